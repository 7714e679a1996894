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
import { decideTransition } from '@qihu/domain';
import { createHash } from 'node:crypto';
import { QueryFailedError } from 'typeorm';
import { AppConfig, CONFIG } from '../../config/config';
import { Clock } from '../../infra/clock';
import { TransactionRunner, Tx } from '../../infra/database/transaction';
import { AppError } from '../../infra/http/app-error';
import { OrgService } from '../org/org.service';
import { SlaTimer, TimerKind } from '../sla/sla-timer.entity';
import { SlaService } from '../sla/sla.service';
import { CreateTicketDto } from './dto/create-ticket.dto';
import { TicketNumberAllocator } from './ticket-number';
import { TicketEvent } from './ticket-event.entity';
import { Ticket } from './ticket.entity';

/**
 * Until people and scopes exist (organisation issue), an action is taken in the role that
 * holds the ticket's current level.
 */
const HOLDER_ROLE: Record<EscalationLevel, Role> = {
  [EscalationLevel.GridMember]: Role.GridMember,
  [EscalationLevel.GridLeader]: Role.GridLeader,
  [EscalationLevel.Department]: Role.DeptStaff,
};

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

  async create(input: CreateTicketDto, idempotencyKey?: string): Promise<CreateResult> {
    const request = { firmId: input.firmId, categoryId: input.categoryId, description: input.description ?? '' };
    const requestHash = createHash('sha256').update(JSON.stringify(request)).digest('hex');
    if (idempotencyKey) {
      const replay = await this.replay(idempotencyKey, requestHash);
      if (replay) return replay;
    }
    await this.org.requireFirm(request.firmId);
    await this.org.requireCategory(request.categoryId);
    try {
      const now = this.clock.now();
      const number = await this.numbers.next(now);
      const id = await this.transactions.run(async (tx) => {
        const ticket = tx.manager.create(Ticket, {
          ...request,
          number,
          status: TicketStatus.Submitted,
          level: EscalationLevel.GridMember,
          idempotencyKey: idempotencyKey ?? null,
          requestHash,
          createdAt: now,
          updatedAt: now,
          acknowledgedAt: null,
        });
        await tx.manager.save(ticket);
        await this.record(tx, ticket, 'created', null, Role.FirmContact, now);
        await this.sla.schedule(tx, {
          ticketId: ticket.id,
          kind: TimerKind.Acknowledge,
          level: EscalationLevel.GridMember,
          dueAt: new Date(now.getTime() + this.config.sla.ackMs),
        });
        return ticket.id;
      });
      return { ticket: await this.view(id), created: true };
    } catch (err) {
      // Two retries racing with one key: the loser reads the winner's ticket.
      if (idempotencyKey && isDuplicateKey(err)) {
        const replay = await this.replay(idempotencyKey, requestHash);
        if (replay) return replay;
      }
      throw err;
    }
  }

  /** 受理. Acknowledging an acknowledged ticket again answers with it unchanged (a retry). */
  async acknowledge(id: number): Promise<TicketView> {
    await this.transactions.run(async (tx) => {
      // Timers first, then the ticket: the same lock order as a firing timer, so no deadlock.
      await this.sla.cancelArmed(tx, id, TimerKind.Acknowledge);
      const ticket = await this.lock(tx, id);
      if (ticket.status === TicketStatus.Acknowledged) return;
      const decision = decideTransition(ticket, TicketAction.Acknowledge, { role: HOLDER_ROLE[ticket.level] });
      if (!decision.ok) {
        throw new AppError(ErrorCode.TransitionNotAllowed, undefined, {
          status: ticket.status,
          reason: decision.reason,
        });
      }
      const now = this.clock.now();
      const from = ticket.status;
      ticket.status = decision.to;
      ticket.acknowledgedAt = now;
      ticket.updatedAt = now;
      await tx.manager.save(ticket);
      await this.record(tx, ticket, TicketAction.Acknowledge, from, HOLDER_ROLE[ticket.level], now);
    });
    return this.view(id);
  }

  async get(id: number): Promise<TicketView> {
    return this.view(id);
  }

  /** The acknowledge deadline passed: the ticket goes one level up and the next clock starts. */
  private async escalate(tx: Tx, timer: SlaTimer): Promise<void> {
    const ticket = await this.lock(tx, timer.ticketId);
    const decision = decideTransition(ticket, TicketAction.Escalate, { role: Role.System });
    if (!decision.ok) return; // acknowledged or at the top: nothing to escalate
    const now = this.clock.now();
    ticket.level = decision.level;
    ticket.updatedAt = now;
    await tx.manager.save(ticket);
    await this.record(tx, ticket, TicketAction.Escalate, ticket.status, Role.System, now);
    if (ticket.level < EscalationLevel.Department) {
      await this.sla.schedule(tx, {
        ticketId: ticket.id,
        kind: TimerKind.Acknowledge,
        level: ticket.level,
        dueAt: new Date(now.getTime() + this.config.sla.escalateMs),
      });
    }
  }

  private async replay(idempotencyKey: string, requestHash: string): Promise<CreateResult | null> {
    const existing = await this.transactions.manager.findOneBy(Ticket, { idempotencyKey });
    if (!existing) return null;
    if (existing.requestHash !== requestHash) throw new AppError(ErrorCode.IdempotencyKeyReused);
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
  ): Promise<void> {
    await tx.manager.insert(TicketEvent, {
      ticketId: ticket.id,
      type,
      fromStatus,
      toStatus: ticket.status,
      level: ticket.level,
      actor,
      at,
    });
  }

  private async view(id: number): Promise<TicketView> {
    const manager = this.transactions.manager;
    const ticket = await manager.findOneBy(Ticket, { id });
    if (!ticket) throw new AppError(ErrorCode.TicketNotFound);
    const [events, deadline] = await Promise.all([
      manager.find(TicketEvent, { where: { ticketId: id }, order: { id: 'ASC' } }),
      this.sla.nextDeadline(id),
    ]);
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
}

function isDuplicateKey(err: unknown): boolean {
  return err instanceof QueryFailedError && (err as QueryFailedError & { errno?: number }).errno === 1062;
}
