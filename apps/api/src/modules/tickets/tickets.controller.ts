import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, ParseIntPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Role } from '@qihu/contracts';
import { TICKET_HOLDER_ROLES } from '@qihu/domain';
import type { Response } from 'express';
import { idempotencyKeyOf, KEY_HEADER } from '../../infra/http/idempotency-key';
import { CurrentCaller, CurrentScope, Roles } from '../identity/auth.decorators';
import { Caller, FIRM_ROLES, PERSON_ROLES, Scope, STAFF_ROLES } from '../identity/caller';
import { CreateTicketDto } from './dto/create-ticket.dto';
import {
  CancelDto,
  CheckInDto,
  CommentDto,
  ConfirmDto,
  ReasonDto,
  ResolveDto,
  SuperviseDto,
  TicketListQueryDto,
  TransferDto,
} from './dto/ticket-actions.dto';
import { TicketListViewDto, TicketViewDto, TransferTargetDto } from './dto/ticket-view.dto';
import { TicketQueries } from './ticket-queries.service';
import { TicketsService } from './tickets.service';

const SUPERVISORS = [Role.GridLeader, Role.GridInstructor, Role.DeptStaff, Role.CommunityAdmin];

@ApiTags('tickets')
@ApiBearerAuth()
@ApiHeader(KEY_HEADER)
@Controller('tickets')
export class TicketsController {
  constructor(
    private readonly tickets: TicketsService,
    private readonly queries: TicketQueries,
  ) {}

  /** 一键呼叫: raise a request. A retry with the same Idempotency-Key returns the same ticket (200). */
  @Post()
  @Roles(...FIRM_ROLES)
  @ApiCreatedResponse({ type: TicketViewDto })
  @ApiOkResponse({ type: TicketViewDto, description: '同一请求编号的重试' })
  async create(
    @CurrentCaller() caller: Caller,
    @CurrentScope() scope: Scope,
    @Body() body: CreateTicketDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TicketViewDto> {
    const { ticket, created } = await this.tickets.create(caller, scope, body, idempotencyKeyOf(key));
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return ticket;
  }

  /** 我的诉求: the requester's own requests, newest first. */
  @Get('mine')
  @Roles(...FIRM_ROLES)
  @ApiOkResponse({ type: TicketListViewDto })
  mine(@CurrentScope() scope: Scope, @Query() query: TicketListQueryDto): Promise<TicketListViewDto> {
    return this.queries.mine(scope, query);
  }

  /** 待办: tickets in the caller's scope, soonest deadline first. */
  @Get('inbox')
  @Roles(...STAFF_ROLES)
  @ApiOkResponse({ type: TicketListViewDto })
  inbox(@CurrentScope() scope: Scope, @Query() query: TicketListQueryDto): Promise<TicketListViewDto> {
    return this.queries.inbox(scope, query);
  }

  @Get(':id')
  @Roles(...PERSON_ROLES)
  @ApiOkResponse({ type: TicketViewDto })
  get(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number): Promise<TicketViewDto> {
    return this.tickets.get(scope, id);
  }

  @Get(':id/transfer-targets')
  @Roles(...TICKET_HOLDER_ROLES)
  @ApiOkResponse({ type: [TransferTargetDto] })
  transferTargets(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number): Promise<TransferTargetDto[]> {
    return this.queries.transferTargets(scope, id);
  }

  /** 受理: the holder takes the ticket on; the acknowledge deadline is cancelled, the resolve clock starts. */
  @Post(':id/acknowledge')
  @HttpCode(HttpStatus.OK)
  @Roles(...TICKET_HOLDER_ROLES)
  @ApiOkResponse({ type: TicketViewDto })
  acknowledge(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number, @Headers('idempotency-key') key?: string): Promise<TicketViewDto> {
    return this.tickets.acknowledge(scope, id, idempotencyKeyOf(key));
  }

  /** 退回 with a reason; the acknowledge deadline is not reset. */
  @Post(':id/return')
  @HttpCode(HttpStatus.OK)
  @Roles(...TICKET_HOLDER_ROLES)
  @ApiOkResponse({ type: TicketViewDto })
  returnTicket(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number, @Body() body: ReasonDto, @Headers('idempotency-key') key?: string): Promise<TicketViewDto> {
    return this.tickets.returnTicket(scope, id, body, idempotencyKeyOf(key));
  }

  @Post(':id/transfer')
  @HttpCode(HttpStatus.OK)
  @Roles(...TICKET_HOLDER_ROLES)
  @ApiOkResponse({ type: TicketViewDto })
  transfer(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number, @Body() body: TransferDto, @Headers('idempotency-key') key?: string): Promise<TicketViewDto> {
    return this.tickets.transfer(scope, id, body, idempotencyKeyOf(key));
  }

  /** 补充说明: a comment and/or photos by the requester or staff. */
  @Post(':id/comments')
  @HttpCode(HttpStatus.OK)
  @Roles(...FIRM_ROLES, ...STAFF_ROLES)
  @ApiOkResponse({ type: TicketViewDto })
  comment(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number, @Body() body: CommentDto, @Headers('idempotency-key') key?: string): Promise<TicketViewDto> {
    return this.tickets.comment(scope, id, body, idempotencyKeyOf(key));
  }

  @Post(':id/check-in')
  @HttpCode(HttpStatus.OK)
  @Roles(...TICKET_HOLDER_ROLES)
  @ApiOkResponse({ type: TicketViewDto })
  checkIn(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number, @Body() body: CheckInDto, @Headers('idempotency-key') key?: string): Promise<TicketViewDto> {
    return this.tickets.checkIn(scope, id, body, idempotencyKeyOf(key));
  }

  @Post(':id/resolve')
  @HttpCode(HttpStatus.OK)
  @Roles(...TICKET_HOLDER_ROLES)
  @ApiOkResponse({ type: TicketViewDto })
  resolve(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number, @Body() body: ResolveDto, @Headers('idempotency-key') key?: string): Promise<TicketViewDto> {
    return this.tickets.resolve(scope, id, body, idempotencyKeyOf(key));
  }

  @Post(':id/confirm')
  @HttpCode(HttpStatus.OK)
  @Roles(...FIRM_ROLES)
  @ApiOkResponse({ type: TicketViewDto })
  confirm(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number, @Body() body: ConfirmDto, @Headers('idempotency-key') key?: string): Promise<TicketViewDto> {
    return this.tickets.confirm(scope, id, body, idempotencyKeyOf(key));
  }

  @Post(':id/reopen')
  @HttpCode(HttpStatus.OK)
  @Roles(...FIRM_ROLES)
  @ApiOkResponse({ type: TicketViewDto })
  reopen(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number, @Body() body: ReasonDto, @Headers('idempotency-key') key?: string): Promise<TicketViewDto> {
    return this.tickets.reopen(scope, id, body, idempotencyKeyOf(key));
  }

  @Post(':id/cancel')
  @HttpCode(HttpStatus.OK)
  @Roles(...FIRM_ROLES)
  @ApiOkResponse({ type: TicketViewDto })
  cancel(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number, @Body() body: CancelDto, @Headers('idempotency-key') key?: string): Promise<TicketViewDto> {
    return this.tickets.cancel(scope, id, body, idempotencyKeyOf(key));
  }

  /** 督办 by the community (and grid leaders, instructors, departments). */
  @Post(':id/supervise')
  @HttpCode(HttpStatus.OK)
  @Roles(...SUPERVISORS)
  @ApiOkResponse({ type: TicketViewDto })
  supervise(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number, @Body() body: SuperviseDto, @Headers('idempotency-key') key?: string): Promise<TicketViewDto> {
    return this.tickets.supervise(scope, id, body, idempotencyKeyOf(key));
  }
}
