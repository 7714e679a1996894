import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, ParseIntPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ErrorCode, Role } from '@qihu/contracts';
import type { Response } from 'express';
import { AppError } from '../../infra/http/app-error';
import { CurrentCaller, CurrentScope, Roles } from '../identity/auth.decorators';
import { Caller, PERSON_ROLES, Scope } from '../identity/caller';
import { CreateTicketDto } from './dto/create-ticket.dto';
import { TicketViewDto } from './dto/ticket-view.dto';
import { TicketsService } from './tickets.service';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,64}$/;


@ApiTags('tickets')
@ApiBearerAuth()
@Controller('tickets')
export class TicketsController {
  constructor(private readonly tickets: TicketsService) {}

  /** 一键呼叫: raise a request. A retry with the same Idempotency-Key returns the same ticket (200). */
  @Post()
  @Roles(Role.FirmContact, Role.Worker)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: '客户端请求编号（8–64 位字母、数字、_ 或 -）' })
  @ApiCreatedResponse({ type: TicketViewDto })
  @ApiOkResponse({ type: TicketViewDto, description: '同一请求编号的重试' })
  async create(
    @CurrentCaller() caller: Caller,
    @CurrentScope() scope: Scope,
    @Body() body: CreateTicketDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TicketViewDto> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new AppError(ErrorCode.ValidationFailed, '请求编号格式不正确', {
        fields: [{ field: 'Idempotency-Key', reason: '须为 8–64 位字母、数字、_ 或 -' }],
      });
    }
    const { ticket, created } = await this.tickets.create(caller, scope, body, idempotencyKey);
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return ticket;
  }

  @Get(':id')
  @Roles(...PERSON_ROLES)
  @ApiOkResponse({ type: TicketViewDto })
  get(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number): Promise<TicketViewDto> {
    return this.tickets.get(scope, id);
  }

  /** 受理: the holder takes the ticket on; the acknowledge deadline is cancelled. */
  @Post(':id/acknowledge')
  @HttpCode(HttpStatus.OK)
  @Roles(Role.GridMember, Role.GridPartTime, Role.MicrogridLeader, Role.GridLeader, Role.DeptStaff, Role.CommunityAdmin)
  @ApiOkResponse({ type: TicketViewDto })
  acknowledge(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number): Promise<TicketViewDto> {
    return this.tickets.acknowledge(scope, id);
  }
}
