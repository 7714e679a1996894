import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import {
  ESCALATION_LEVEL_LABEL,
  EscalationLevel,
  ErrorCode,
  Role,
  TICKET_STATUS_LABEL,
  TicketAction,
  TicketStatus,
  TicketView,
} from '@qihu/contracts';
import { decideTransition, TransitionRefusal } from '@qihu/domain';
import { createHash } from 'node:crypto';
import { AppConfig, CONFIG } from '../../config/config';
import { Clock } from '../../infra/clock';
import { isDuplicateKey } from '../../infra/database/errors';
import { TransactionRunner, Tx } from '../../infra/database/transaction';
import { AppError } from '../../infra/http/app-error';
import { Caller, Scope } from '../identity/caller';
import { Category } from '../org/category.entity';
import { OrgService } from '../org/org.service';
import { reachOf } from '../org/visibility';
import { SlaTimer, TimerKind } from '../sla/sla-timer.entity';
import { SlaService } from '../sla/sla.service';
import { CreateTicketDto } from './dto/create-ticket.dto';
import { TicketNumberAllocator } from './ticket-number';
import { TicketEvent } from './ticket-event.entity';
import { Ticket } from './ticket.entity';

export interface CreateResult {
  ticket: TicketView;
  /** False when an earlier request with the same idempotency key already created it. */
  created: boolean;
}

@Injectable()
export class TicketsService implements OnModuleInit {
  constructor(
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly transactions: TransactionRunner,
    private readonly sla: SlaService,
    private readonly org: OrgService,
    private readonly numbers: TicketNumberAllocator,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.sla.onFired(TimerKind.Acknowledge, (tx, timer) => this.escalate(tx, timer));
  }

  /**
   * 一键呼叫: a firm contact or worker raises a request for their own firm. The firm defaults
   * from who is asking; the ticket keeps the grid the firm is in now.
   */
  async create(caller: Caller, scope: Scope, input: CreateTicketDto, idempotencyKey?: string): Promise<CreateResult> {
    const firmId = input.firmId ?? scope.firmId;
    // Another firm's id is answered like an unknown one: nothing about it is disclosed.
    if (!firmId || firmId !== scope.firmId) throw new AppError(ErrorCode.FirmNotFound, `企业不存在（编号 ${input.firmId}）`);
    const request = {
      firmId,
      categoryId: input.categoryId,
      description: input.description ?? '',
      requesterId: caller.personId,
      requesterRole: scope.role,
    };
    const requestHash = createHash('sha256').update(JSON.stringify(request)).digest('hex');
    // A retry is rare: it is found by the unique key when its INSERT fails, not looked up first.
    const category = await this.org.requireCategory(scope, request.categoryId);
    const now = this.clock.now();
    const placement = await this.org.placementAt(firmId, now);
    if (!placement) throw new AppError(ErrorCode.FirmNotFound, '企业尚未划入网格，请联系社区');
    try {
      const number = await this.numbers.next(now);
      const created = await this.transactions.run(async (tx) => {
        const ticket = tx.manager.create(Ticket, {
          ...request,
          ...placement,
          number,
          status: TicketStatus.Submitted,
          level: EscalationLevel.GridMember,
          idempotencyKey: idempotencyKey ?? null,
          requestHash,
          createdAt: now,
          updatedAt: now,
          acknowledgedAt: null,
        });
        const { identifiers } = await tx.manager.insert(Ticket, ticket);
        ticket.id = Number(identifiers[0].id);
        const event = await this.record(tx, ticket, 'created', null, scope.role, now);
        const timer = await this.sla.schedule(tx, {
          ticketId: ticket.id,
          kind: TimerKind.Acknowledge,
          level: EscalationLevel.GridMember,
          dueAt: this.windowEnd(now, category.ackMinutes),
        });
        return { ticket, event, timer };
      });
      // Everything the answer shows was just written: no need to read it back.
      return { ticket: toView(created.ticket, [created.event], created.timer), created: true };
    } catch (err) {
      // Two retries racing with one key: the loser reads the winner's ticket.
      if (idempotencyKey && isDuplicateKey(err)) {
        const replay = await this.replay(scope, idempotencyKey, requestHash);
        if (replay) return replay;
      }
      throw err;
    }
  }

  /**
   * 受理 by the holder of the ticket's level (domain rules) within their scope. Acknowledging
   * an acknowledged ticket again answers with it unchanged (a retry on a weak network).
   */
  async acknowledge(scope: Scope, id: number): Promise<TicketView> {
    await this.requireVisible(scope, id);
    await this.transactions.run(async (tx) => {
      // Timers first, then the ticket: the same lock order as a firing timer, so no deadlock.
      await this.sla.cancelArmed(tx, id, TimerKind.Acknowledge);
      const ticket = await this.lock(tx, id);
      if (ticket.status === TicketStatus.Acknowledged) return;
      const decision = decideTransition(ticket, TicketAction.Acknowledge, { role: scope.role });
      if (!decision.ok) throw refusal(decision.reason, ticket.status);
      const now = this.clock.now();
      const from = ticket.status;
      Object.assign(ticket, { status: decision.to, acknowledgedAt: now, updatedAt: now });
      await tx.manager.update(Ticket, { id }, { status: ticket.status, acknowledgedAt: now, updatedAt: now });
      await this.record(tx, ticket, TicketAction.Acknowledge, from, scope.role, now);
    });
    return this.view(id);
  }

  async get(scope: Scope, id: number): Promise<TicketView> {
    await this.requireVisible(scope, id);
    return this.view(id);
  }

  /**
   * A ticket the caller may see, else 404: the firm's own (a worker only their own), the grid's
   * or micro-grid's for grid staff, the department's categories, the whole community for admin.
   */
  private async requireVisible(scope: Scope, id: number): Promise<void> {
    const qb = this.transactions.manager
      .createQueryBuilder(Ticket, 't')
      .where('t.id = :id AND t.community_id = :community', { id, community: scope.communityId });
    if (scope.role === Role.DeptStaff) {
      qb.andWhere('t.category_id IN (SELECT c.id FROM category c WHERE c.department_id = :dept)', { dept: scope.departmentId });
    } else if (scope.role === Role.Worker) {
      qb.andWhere('t.firm_id = :firm AND t.requester_id = :person', { firm: scope.firmId, person: scope.personId });
    } else if (scope.role === Role.FirmContact) {
      // Workers may stay anonymous to their firm: their tickets are not the firm's to read.
      qb.andWhere('t.firm_id = :firm AND (t.requester_role <> :worker OR t.requester_id = :person)', {
        firm: scope.firmId,
        worker: Role.Worker,
        person: scope.personId,
      });
    } else if (scope.role === Role.CrewMember) {
      // Crews see what is dispatched to them (the maintenance issue); nothing yet.
      qb.andWhere('1 = 0');
    } else {
      const reach = reachOf(scope);
      if (reach === 'grid') qb.andWhere('t.grid_id = :grid', { grid: scope.gridId });
      if (reach === 'microgrid') qb.andWhere('t.microgrid_id = :mg', { mg: scope.microgridId });
      if (reach === 'firm') qb.andWhere('t.firm_id = :firm', { firm: scope.firmId });
    }
    if (!(await qb.getExists())) throw new AppError(ErrorCode.TicketNotFound);
  }

  /** The end of an SLA window of the category policy (compressed by SLA_TIME_SCALE in tests). */
  private windowEnd(from: Date, minutes: number): Date {
    return new Date(from.getTime() + Math.round(minutes * 60_000 * this.config.sla.timeScale));
  }

  /** The acknowledge deadline passed: the ticket goes one level up and the next clock starts. */
  private async escalate(tx: Tx, timer: SlaTimer): Promise<void> {
    const ticket = await this.lock(tx, timer.ticketId);
    const decision = decideTransition(ticket, TicketAction.Escalate, { role: Role.System });
    if (!decision.ok) return; // acknowledged or at the top: nothing to escalate
    const now = this.clock.now();
    ticket.level = decision.level;
    ticket.updatedAt = now;
    // Plain UPDATE/INSERTs on this hot path: save() would re-read each row first.
    await tx.manager.update(Ticket, { id: ticket.id }, { level: ticket.level, updatedAt: now });
    await this.record(tx, ticket, TicketAction.Escalate, ticket.status, Role.System, now);
    if (ticket.level < EscalationLevel.Department) {
      const category = await tx.manager.findOneByOrFail(Category, { id: ticket.categoryId });
      await this.sla.schedule(tx, {
        ticketId: ticket.id,
        kind: TimerKind.Acknowledge,
        level: ticket.level,
        dueAt: this.windowEnd(now, category.escalateMinutes),
      });
    }
  }

  private async replay(scope: Scope, idempotencyKey: string, requestHash: string): Promise<CreateResult | null> {
    const existing = await this.transactions.manager.findOneBy(Ticket, { idempotencyKey });
    if (!existing) return null;
    // A key is the client's: another firm's key is as good as a reused one, and says nothing.
    if (existing.requestHash !== requestHash || existing.firmId !== scope.firmId) {
      throw new AppError(ErrorCode.IdempotencyKeyReused);
    }
    return { ticket: await this.view(existing.id), created: false };
  }

  private async lock(tx: Tx, id: number): Promise<Ticket> {
    const ticket = await tx.manager.findOne(Ticket, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!ticket) throw new AppError(ErrorCode.TicketNotFound);
    return ticket;
  }

  private async record(
    tx: Tx,
    ticket: Ticket,
    type: string,
    fromStatus: TicketStatus | null,
    actor: Role,
    at: Date,
  ): Promise<TicketEvent> {
    const event = tx.manager.create(TicketEvent, {
      ticketId: ticket.id,
      type,
      fromStatus,
      toStatus: ticket.status,
      level: ticket.level,
      actor,
      at,
    });
    const { identifiers } = await tx.manager.insert(TicketEvent, event);
    event.id = Number(identifiers[0].id);
    return event;
  }

  private async view(id: number): Promise<TicketView> {
    const manager = this.transactions.manager;
    const ticket = await manager.findOneBy(Ticket, { id });
    if (!ticket) throw new AppError(ErrorCode.TicketNotFound);
    const [events, deadline] = await Promise.all([
      manager.find(TicketEvent, { where: { ticketId: id }, order: { id: 'ASC' } }),
      this.sla.nextDeadline(id),
    ]);
    return toView(ticket, events, deadline);
  }
}

function toView(ticket: Ticket, events: TicketEvent[], deadline: SlaTimer | null): TicketView {
  return {
    id: ticket.id,
    number: ticket.number,
    firmId: ticket.firmId,
    categoryId: ticket.categoryId,
    description: ticket.description,
    status: ticket.status,
    statusLabel: TICKET_STATUS_LABEL[ticket.status],
    level: ticket.level,
    levelLabel: ESCALATION_LEVEL_LABEL[ticket.level],
    nextDeadlineAt: deadline ? deadline.dueAt.toISOString() : null,
    createdAt: ticket.createdAt.toISOString(),
    acknowledgedAt: ticket.acknowledgedAt ? ticket.acknowledgedAt.toISOString() : null,
    events: events.map((e) => ({
      id: e.id,
      type: e.type,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      level: e.level,
      actor: e.actor,
      at: e.at.toISOString(),
    })),
  };
}

function refusal(reason: TransitionRefusal, status: TicketStatus): AppError {
  if (reason === TransitionRefusal.RoleNotPermitted) {
    return new AppError(ErrorCode.Forbidden, '当前角色不是该工单此级别的处理人', { status, reason });
  }
  return new AppError(ErrorCode.TransitionNotAllowed, undefined, { status, reason });
}
