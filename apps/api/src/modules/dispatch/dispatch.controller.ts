import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, ParseIntPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { BillView, CrewView, DispatchListItemView, DispatchView, Role, TicketView } from '@qihu/contracts';
import { TICKET_HOLDER_ROLES } from '@qihu/domain';
import { idempotencyKeyOf, KEY_HEADER } from '../../infra/http/idempotency-key';
import { CurrentScope, Roles } from '../identity/auth.decorators';
import { PERSON_ROLES, Scope, STAFF_ROLES } from '../identity/caller';
import { TicketViewDto } from '../tickets/dto/ticket-view.dto';
import { DispatchService } from './dispatch.service';
import { CrewCheckInDto, DeclineDto, DispatchDto, DispatchListQueryDto, FinishDto, UpdateCrewDto, WorkLineDto } from './dto/dispatch.dto';


@ApiTags('dispatch')
@ApiBearerAuth()
@ApiHeader(KEY_HEADER)
@Controller()
export class DispatchController {
  constructor(private readonly dispatch: DispatchService) {}

  @Get('crews')
  @Roles(...STAFF_ROLES, Role.CrewMember)
  crews(@CurrentScope() scope: Scope): Promise<CrewView[]> {
    return this.dispatch.crews(scope);
  }

  /** Skills and the grids a crew serves (community admin). */
  @Patch('crews/:id')
  @Roles(Role.CommunityAdmin)
  updateCrew(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number, @Body() body: UpdateCrewDto): Promise<CrewView> {
    return this.dispatch.updateCrew(scope, id, body);
  }

  /** 派单列表: a crew's dispatches (the admin sees every crew's). */
  @Get('dispatches')
  @Roles(Role.CrewMember, Role.CommunityAdmin)
  list(@CurrentScope() scope: Scope, @Query() query: DispatchListQueryDto): Promise<DispatchListItemView[]> {
    return this.dispatch.list(scope, query.state ?? 'open');
  }

  @Get('tickets/:id/dispatch')
  @Roles(...PERSON_ROLES)
  current(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number): Promise<DispatchView | null> {
    return this.dispatch.current(scope, id);
  }

  /** 账单: what the firm sees before it confirms. */
  @Get('tickets/:id/bill')
  @Roles(...PERSON_ROLES)
  bill(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number): Promise<BillView> {
    return this.dispatch.bill(scope, id);
  }

  @Post('tickets/:id/dispatch')
  @HttpCode(HttpStatus.OK)
  @Roles(...TICKET_HOLDER_ROLES)
  @ApiOkResponse({ type: TicketViewDto })
  send(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number, @Body() body: DispatchDto, @Headers('idempotency-key') key?: string): Promise<TicketView> {
    return this.dispatch.dispatch(scope, id, body, idempotencyKeyOf(key));
  }

  @Post('tickets/:id/accept')
  @HttpCode(HttpStatus.OK)
  @Roles(Role.CrewMember)
  @ApiOkResponse({ type: TicketViewDto })
  accept(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number, @Headers('idempotency-key') key?: string): Promise<TicketView> {
    return this.dispatch.accept(scope, id, idempotencyKeyOf(key));
  }

  @Post('tickets/:id/decline')
  @HttpCode(HttpStatus.OK)
  @Roles(Role.CrewMember)
  @ApiOkResponse({ type: TicketViewDto })
  decline(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number, @Body() body: DeclineDto, @Headers('idempotency-key') key?: string): Promise<TicketView> {
    return this.dispatch.decline(scope, id, body, idempotencyKeyOf(key));
  }

  /** 到场签到 of the crew: inside the firm's geofence, or by the machine's QR label. */
  @Post('tickets/:id/arrive')
  @HttpCode(HttpStatus.OK)
  @Roles(Role.CrewMember)
  @ApiOkResponse({ type: TicketViewDto })
  arrive(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number, @Body() body: CrewCheckInDto, @Headers('idempotency-key') key?: string): Promise<TicketView> {
    return this.dispatch.arrive(scope, id, body, idempotencyKeyOf(key));
  }

  @Post('tickets/:id/work-lines')
  @HttpCode(HttpStatus.OK)
  @Roles(Role.CrewMember)
  @ApiOkResponse({ type: TicketViewDto })
  addLine(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number, @Body() body: WorkLineDto, @Headers('idempotency-key') key?: string): Promise<TicketView> {
    return this.dispatch.addLine(scope, id, body, idempotencyKeyOf(key));
  }

  /** 完工 (on site, or 远程问诊 with `remote: true`). */
  @Post('tickets/:id/finish')
  @HttpCode(HttpStatus.OK)
  @Roles(Role.CrewMember)
  @ApiOkResponse({ type: TicketViewDto })
  finish(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number, @Body() body: FinishDto, @Headers('idempotency-key') key?: string): Promise<TicketView> {
    return this.dispatch.finish(scope, id, body, idempotencyKeyOf(key));
  }
}
