import { Injectable, OnModuleInit } from '@nestjs/common';
import {
  AttachmentView,
  ESCALATION_LEVEL_LABEL,
  EscalationLevel,
  ErrorCode,
  Role,
  TicketAction,
  TicketStatus,
  TicketView,
  UploadKind,
  Urgency,
} from '@qihu/contracts';
import { decideTransition, FINAL_TICKET_STATUSES, slaWindowEffect, SlaWindowKind, TransitionContext, TransitionRefusal } from '@qihu/domain';
import { createHash } from 'node:crypto';
import { IsNull } from 'typeorm';
import { Clock } from '../../infra/clock';
import { isDuplicateKey } from '../../infra/database/errors';
import { TransactionRunner, Tx } from '../../infra/database/transaction';
import { columnsOf, hydrate } from '../../infra/database/raw-rows';
import { AppError } from '../../infra/http/app-error';
import { DutyHolding, DutyPlacement, DutyService } from '../duty/duty.service';
import { EquipmentService } from '../equipment/equipment.service';
import { Caller, Scope } from '../identity/caller';
import { RoleAssignment } from '../identity/role-assignment.entity';
import { NotificationInput, NotifyService } from '../notify/notify.service';
import { Category } from '../org/category.entity';
import { OrgService } from '../org/org.service';
import { SlaTimer, TimerKind } from '../sla/sla-timer.entity';
import { SlaService } from '../sla/sla.service';
import { UploadsService } from '../uploads/uploads.service';
import { CancelDto, CheckInDto, CommentDto, ConfirmDto, ReasonDto, ResolveDto, SuperviseDto, TransferDto } from './dto/ticket-actions.dto';
import { CreateTicketDto } from './dto/create-ticket.dto';
import { TicketDeadlines, WARNING_OF } from './ticket-deadlines';
import { TicketEvent } from './ticket-event.entity';
import { assignedNotice, progressNotice, TicketFacts, warningNotice, warningText } from './ticket-notices';
import { TicketNumberAllocator } from './ticket-number';
import { TicketQueries } from './ticket-queries.service';
import { Ticket } from './ticket.entity';

export interface CreateResult {
  ticket: TicketView;
  /** False when an earlier request with the same idempotency key already created it. */
  created: boolean;
}

/** What an action writes to the timeline besides the status change. */
export interface EventDetails {
  note?: string | null;
  data?: Record<string, unknown> | null;
  idempotencyKey?: string | null;
  actorPersonId?: number | null;
}

/** A timeline event: on which ticket, what, from which status, by whom, when, and the rest. */
type EventArgs = [ticket: Ticket, type: string, fromStatus: TicketStatus | null, actor: Role, at: Date, details?: EventDetails];

/** A ticket locked for a change, with what its notices say about it. */
export interface LockedTicket {
  ticket: Ticket;
  category: Category;
  facts: TicketFacts;
}

/** Everything an action's step needs inside its transaction. */
export interface ActionContext {
  tx: Tx;
  ticket: Ticket;
  category: Category;
  facts: TicketFacts;
  now: Date;
  /** Records the action's event (with the client's key) and returns it; its id is known once the change's rows have gone out. */
  record(type: string, from: TicketStatus | null, details?: EventDetails): TicketEvent;
  /** Notifications to write with the change. */
  notices: NotificationInput[];
}

/** Every ticket column an action may change: written back in one UPDATE. */
const MUTABLE: ReadonlyArray<keyof Ticket> = [
  'status',
  'level',
  'holderId',
  'deadlineKind',
  'deadlineAt',
  'overdue',
  'supervised',
  'rating',
  'ratingComment',
  'acknowledgedAt',
  'checkedInAt',
  'resolvedAt',
  'closedAt',
  'updatedAt',
];

/**
 * The 企呼我应 pipeline: intake, routing through the duty roster, the SLA windows and every
 * ticket action. Each action is decided by the domain state machine, checked against the
 * caller's scope, written with its timeline event, timers and notifications in one transaction.
 */
@Injectable()
export class TicketsService implements OnModuleInit {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly sla: SlaService,
    private readonly deadlines: TicketDeadlines,
    private readonly queries: TicketQueries,
    private readonly org: OrgService,
    private readonly numbers: TicketNumberAllocator,
    private readonly duty: DutyService,
    private readonly uploads: UploadsService,
    private readonly notify: NotifyService,
    private readonly equipment: EquipmentService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.sla.onFired(TimerKind.Acknowledge, (tx, timer) => this.escalate(tx, timer));
    this.sla.onFired(TimerKind.Resolve, (tx, timer) => this.markOverdue(tx, timer));
    this.sla.onFired(TimerKind.Confirm, (tx, timer) => this.autoClose(tx, timer));
    for (const kind of [TimerKind.AcknowledgeWarn50, TimerKind.AcknowledgeWarn75, TimerKind.ResolveWarn50, TimerKind.ResolveWarn75]) {
      this.sla.onFired(kind, (tx, timer) => this.warn(tx, timer));
    }
  }

  // ---- intake -------------------------------------------------------------------------------

  /**
   * 一键呼叫: a firm contact or worker raises a request for their own firm. Firm, place and
   * contact default from who is asking; the ticket keeps the grid the firm is in now and goes
   * to whoever the duty roster has on duty, or the next level at once if nobody is.
   */
  async create(caller: Caller, scope: Scope, input: CreateTicketDto, idempotencyKey?: string): Promise<CreateResult> {
    const firmId = input.firmId ?? scope.firmId;
    // Another firm's id is answered like an unknown one: nothing about it is disclosed.
    if (!firmId || firmId !== scope.firmId) throw new AppError(ErrorCode.FirmNotFound, `企业不存在（编号 ${input.firmId}）`);
    if (input.anonymous && scope.role !== Role.Worker) {
      throw new AppError(ErrorCode.ValidationFailed, '只有职工可以匿名提交诉求', { fields: [{ field: 'anonymous', reason: '企业联系人不能匿名' }] });
    }
    const request = {
      firmId,
      categoryId: input.categoryId,
      urgency: input.urgency ?? Urgency.Normal,
      description: input.description ?? '',
      location: input.location ?? null,
      photoIds: input.photoIds ?? [],
      voiceId: input.voiceId ?? null,
      equipmentCode: input.equipmentCode ?? null,
      anonymous: scope.role === Role.Worker ? (input.anonymous ?? true) : false,
      requesterId: caller.personId,
      requesterRole: scope.role,
    };
    const requestHash = createHash('sha256').update(JSON.stringify(request)).digest('hex');
    // A retry is rare: it is found by the unique key when its INSERT fails, not looked up first.
    const now = this.clock.now();
    const { category, place } = await this.org.intakeContext(scope, request.categoryId, firmId, now);
    if (!place) throw new AppError(ErrorCode.FirmNotFound, '企业尚未划入网格，请联系社区');
    const { firmName, latitude, longitude, address, ...placement } = place;
    if (request.equipmentCode && !(await this.equipment.findForFirm(this.transactions.manager, firmId, request.equipmentCode))) {
      throw new AppError(ErrorCode.ValidationFailed, `本企业没有编号为 ${request.equipmentCode} 的在用设备`, {
        fields: [{ field: 'equipmentCode', reason: '设备不存在或已报废' }],
      });
    }
    const location = request.location ?? { latitude, longitude, address };
    // Who is on duty is read before the transaction: it locks nothing, and the START goes out with the ticket's row.
    const holding = await this.duty.holdersFrom(this.transactions.manager, placementOf(placement, category), EscalationLevel.GridMember, now);
    try {
      const number = await this.numbers.next(now);
      const created = await this.transactions.run(async (tx) => {
        const ticket = tx.manager.create(Ticket, {
          firmId,
          categoryId: request.categoryId,
          urgency: request.urgency,
          description: request.description,
          latitude: location.latitude ?? null,
          longitude: location.longitude ?? null,
          address: location.address ?? '',
          equipmentCode: request.equipmentCode,
          anonymous: request.anonymous,
          requesterId: request.requesterId,
          requesterRole: request.requesterRole,
          ...placement,
          number,
          status: TicketStatus.Submitted,
          level: EscalationLevel.GridMember,
          holderId: null,
          deadlineKind: null,
          deadlineAt: null,
          overdue: false,
          supervised: false,
          rating: null,
          ratingComment: null,
          idempotencyKey: idempotencyKey ?? null,
          requestHash,
          createdAt: now,
          updatedAt: now,
          acknowledgedAt: null,
          checkedInAt: null,
          resolvedAt: null,
          closedAt: null,
        });
        // Holder, level and deadline are known before the row is written: one INSERT, no UPDATE.
        await this.hold(tx, ticket, category, holding, now);
        const timers = this.deadlines.plan(ticket, SlaWindowKind.Acknowledge, category, now, this.ackWindowOptions(ticket, category));
        // Two round trips: the ticket (its id goes into the notices' links), then everything that
        // names it with the COMMIT (attachments, which need the event's id, send it earlier).
        tx.pending.insert(Ticket, ticket);
        await tx.flush();
        this.deadlines.schedule(tx, ticket.id, timers);
        const event = this.insertEvent(tx, ticket, 'created', null, scope.role, now, {
          actorPersonId: caller.personId,
          data: routingData(holding),
          note: routingNote(holding),
        });
        const facts: TicketFacts = { ticket, categoryName: category.name, firmName };
        if (holding.holderIds.length) this.notify.enqueue(tx, assignedNotice(facts, holding.holderIds, '已提交', now));
        const shown = this.queries.queueNames(tx.pending, [ticket.requesterId, ticket.holderId, caller.personId]);
        const files = [...request.photoIds, ...(request.voiceId ? [request.voiceId] : [])];
        const attachments = files.length ? await this.uploads.attach(tx, caller.personId, files, { ticketId: ticket.id, event }) : [];
        requireKinds(attachments, request.photoIds, request.voiceId);
        return { ticket, event, attachments, shown };
      });
      // Everything the answer shows was just written: it is made from memory, not read back.
      const view = this.queries.viewOf(scope, {
        ticket: created.ticket,
        events: [created.event],
        firmName,
        categoryName: category.name,
        attachments: created.attachments,
        names: created.shown.names,
      });
      return { ticket: view, created: true };
    } catch (err) {
      // Two retries racing with one key: the loser reads the winner's ticket.
      if (idempotencyKey && isDuplicateKey(err)) {
        const replay = await this.replayCreate(scope, idempotencyKey, requestHash);
        if (replay) return replay;
      }
      throw err;
    }
  }

  // ---- actions ------------------------------------------------------------------------------

  /**
   * 受理 by a holder of the ticket's level within their scope; they hold it from now on. A
   * repeated acknowledge answers with the ticket unchanged (a retry on a weak network).
   */
  acknowledge(scope: Scope, id: number, key?: string): Promise<TicketView> {
    return this.act(scope, id, TicketAction.Acknowledge, key, async (c) => {
      if (c.ticket.status === TicketStatus.Acknowledged) return;
      const from = this.transition(c, scope, TicketAction.Acknowledge);
      Object.assign(c.ticket, { acknowledgedAt: c.now, holderId: scope.personId });
      // A returned ticket acknowledged again keeps the resolve clock it already had.
      if (!(await this.deadlines.showRunningResolve(c.tx, c.ticket))) {
        this.deadlines.start(c.tx, c.ticket, SlaWindowKind.Resolve, c.category, c.now);
      }
      c.record(TicketAction.Acknowledge, from);
      c.notices.push(...this.toRequester(c, '已受理'));
    });
  }

  /** 退回: back to 待受理 for another on-duty holder, with a reason; the acknowledge deadline is kept. */
  returnTicket(scope: Scope, id: number, input: ReasonDto, key?: string): Promise<TicketView> {
    return this.act(scope, id, TicketAction.Return, key, async (c) => {
      const from = this.transition(c, scope, TicketAction.Return, { reason: input.reason });
      const keptDue = await this.deadlines.previousDue(c.tx, id, TimerKind.Acknowledge);
      this.deadlines.stop(c.tx, id, [SlaWindowKind.Acknowledge]);
      const holding = await this.duty.holdersFrom(c.tx.manager, this.placement(c), c.ticket.level, c.now);
      const others = holding.level === c.ticket.level ? holding.holderIds.filter((p) => p !== scope.personId) : [];
      Object.assign(c.ticket, { holderId: others[0] ?? null, acknowledgedAt: null });
      // No reject ping-pong: the original deadline stands, and if it has passed it escalates now.
      const due = keptDue && keptDue > c.now ? keptDue : c.now;
      this.deadlines.start(c.tx, c.ticket, SlaWindowKind.Acknowledge, c.category, c.now, { dueAtOverride: due });
      c.record(TicketAction.Return, from, { note: input.reason, data: { holderIds: others } });
      c.notices.push(...assignedNotice(c.facts, others, `被退回（${input.reason}）`, c.now));
    });
  }

  /** 转办: to another staff member who may hold the ticket at its level; state and clocks stay. */
  transfer(scope: Scope, id: number, input: TransferDto, key?: string): Promise<TicketView> {
    return this.act(scope, id, TicketAction.Transfer, key, async (c) => {
      const from = this.transition(c, scope, TicketAction.Transfer);
      const holders = await this.queries.holderAssignments(c.tx.manager, c.ticket);
      if (input.toPersonId === scope.personId || !holders.some((r) => r.personId === input.toPersonId)) {
        throw new AppError(ErrorCode.PersonNotFound, '转办对象须是本工单所在网格或部门的其他处理人员', { toPersonId: input.toPersonId });
      }
      c.ticket.holderId = input.toPersonId;
      c.record(TicketAction.Transfer, from, { note: input.reason, data: { toPersonId: input.toPersonId } });
      c.notices.push(...assignedNotice(c.facts, [input.toPersonId], `转办给您（${input.reason}）`, c.now));
    });
  }

  /** 补充说明: a comment and/or photos from the requester or staff, while the ticket is open. */
  comment(scope: Scope, id: number, input: CommentDto, key?: string): Promise<TicketView> {
    const text = input.text?.trim() ?? '';
    const photos = input.photoIds ?? [];
    if (!text && photos.length === 0) {
      throw new AppError(ErrorCode.ValidationFailed, '请填写说明或添加照片', { fields: [{ field: 'text', reason: '说明和照片至少填一项' }] });
    }
    return this.act(scope, id, 'comment', key, async (c) => {
      if (FINAL_TICKET_STATUSES.includes(c.ticket.status)) {
        throw new AppError(ErrorCode.TransitionNotAllowed, '工单已关闭，不能再补充说明', { status: c.ticket.status });
      }
      const event = c.record('comment', c.ticket.status, { note: text || null });
      if (photos.length) requireKinds(await this.uploads.attach(c.tx, scope.personId, photos, { ticketId: id, event }), photos, null);
      const fromRequester = scope.role === Role.FirmContact || scope.role === Role.Worker;
      if (fromRequester) {
        c.notices.push(...(c.ticket.holderId ? warningNotice(c.facts, [c.ticket.holderId], '企业补充了说明', c.now, text) : []));
      } else {
        c.notices.push(...this.toRequester(c, '有新的回复', text));
      }
    });
  }

  /** 到场签到: time and place of the handler on site (needed to resolve 四必到 categories). */
  checkIn(scope: Scope, id: number, input: CheckInDto, key?: string): Promise<TicketView> {
    return this.act(scope, id, TicketAction.CheckIn, key, async (c) => {
      const from = this.transition(c, scope, TicketAction.CheckIn);
      c.ticket.checkedInAt = c.now;
      const data = { latitude: input.latitude, longitude: input.longitude, accuracy: input.accuracy ?? null, address: input.address ?? null };
      c.record(TicketAction.CheckIn, from, { data, note: input.address ?? null });
      c.notices.push(...this.toRequester(c, '工作人员已到场'));
    });
  }

  /** 办结 with a note and photos; the requester then has the confirm window to rate it. */
  resolve(scope: Scope, id: number, input: ResolveDto, key?: string): Promise<TicketView> {
    return this.act(scope, id, TicketAction.Resolve, key, async (c) => {
      const from = this.transition(c, scope, TicketAction.Resolve, { requiresOnSite: c.category.requiresOnSite });
      c.ticket.resolvedAt = c.now;
      this.deadlines.start(c.tx, c.ticket, SlaWindowKind.Confirm, c.category, c.now);
      const event = c.record(TicketAction.Resolve, from, { note: input.note });
      if (input.photoIds?.length) {
        requireKinds(await this.uploads.attach(c.tx, scope.personId, input.photoIds, { ticketId: id, event }), input.photoIds, null);
      }
      c.notices.push(...this.toRequester(c, '已办结，请确认并评价', input.note));
    });
  }

  /** 确认并评价: 1–5 and a comment; closes the ticket. */
  confirm(scope: Scope, id: number, input: ConfirmDto, key?: string): Promise<TicketView> {
    return this.act(scope, id, TicketAction.Confirm, key, async (c) => {
      const from = this.transition(c, scope, TicketAction.Confirm);
      Object.assign(c.ticket, { rating: input.rating, ratingComment: input.comment ?? null, closedAt: c.now, deadlineKind: null, deadlineAt: null });
      c.record(TicketAction.Confirm, from, { note: input.comment ?? null, data: { rating: input.rating } });
      if (c.ticket.holderId) c.notices.push(...progressNotice(c.facts, [c.ticket.holderId], `已评价 ${input.rating} 星`, c.now, input.comment ?? ''));
    });
  }

  /** 重办: the requester reopens within the window; it starts again at the on-duty grid member. */
  reopen(scope: Scope, id: number, input: ReasonDto, key?: string): Promise<TicketView> {
    return this.act(scope, id, TicketAction.Reopen, key, async (c) => {
      const from = this.transition(c, scope, TicketAction.Reopen, {
        now: c.now.getTime(),
        resolvedAt: c.ticket.resolvedAt?.getTime(),
        reopenWindowMs: this.deadlines.confirmWindowMs(c.category),
      });
      Object.assign(c.ticket, { resolvedAt: null, acknowledgedAt: null, checkedInAt: null });
      const holding = await this.route(c.tx, c.ticket, c.category, EscalationLevel.GridMember, c.now);
      this.deadlines.start(c.tx, c.ticket, SlaWindowKind.Acknowledge, c.category, c.now, this.ackWindowOptions(c.ticket, c.category));
      c.record(TicketAction.Reopen, from, { note: input.reason, data: routingData(holding) });
      c.notices.push(...assignedNotice(c.facts, holding.holderIds, `被企业要求重办（${input.reason}）`, c.now));
    });
  }

  /** 撤回 before anyone acknowledged it. */
  cancel(scope: Scope, id: number, input: CancelDto, key?: string): Promise<TicketView> {
    return this.act(scope, id, TicketAction.Cancel, key, async (c) => {
      const from = this.transition(c, scope, TicketAction.Cancel);
      this.deadlines.stop(c.tx, id, [SlaWindowKind.Acknowledge, SlaWindowKind.Resolve, SlaWindowKind.Confirm]);
      Object.assign(c.ticket, { closedAt: c.now, deadlineKind: null, deadlineAt: null });
      c.record(TicketAction.Cancel, from, { note: input.reason ?? null });
      if (c.ticket.holderId) c.notices.push(...progressNotice(c.facts, [c.ticket.holderId], '已被企业撤回', c.now, input.reason ?? ''));
    });
  }

  /** 督办: the community presses the holder, with a note; the ticket is marked on every list. */
  supervise(scope: Scope, id: number, input: SuperviseDto, key?: string): Promise<TicketView> {
    return this.act(scope, id, TicketAction.Supervise, key, async (c) => {
      const from = this.transition(c, scope, TicketAction.Supervise);
      c.ticket.supervised = true;
      c.record(TicketAction.Supervise, from, { note: input.note });
      const to = c.ticket.holderId ? [c.ticket.holderId] : await this.admins(c.tx, c.ticket.communityId);
      c.notices.push(...warningNotice(c.facts, to, `督办：${input.note}`, c.now, input.note));
    });
  }

  get(scope: Scope, id: number): Promise<TicketView> {
    return this.queries.requireVisible(scope, id).then(() => this.queries.view(scope, id));
  }

  // ---- timers firing ------------------------------------------------------------------------

  /** The acknowledge deadline passed: the ticket goes one level up (skipping unstaffed levels). */
  private async escalate(tx: Tx, timer: SlaTimer): Promise<void> {
    const { ticket, category, facts } = await this.lock(tx, timer.ticketId);
    const decision = decideTransition(ticket, TicketAction.Escalate, { role: Role.System });
    if (!decision.ok) return; // acknowledged or at the top: nothing to escalate
    const now = this.clock.now();
    const holding = await this.route(tx, ticket, category, decision.level, now);
    if (ticket.level < EscalationLevel.Department) {
      this.deadlines.start(tx, ticket, SlaWindowKind.Acknowledge, category, now, this.ackWindowOptions(ticket, category));
    } else {
      Object.assign(ticket, { deadlineKind: null, deadlineAt: null });
    }
    ticket.updatedAt = now;
    tx.pending.update(Ticket, ticket.id, pick(ticket));
    this.insertEvent(tx, ticket, TicketAction.Escalate, ticket.status, Role.System, now, {
      note: `超时未受理，升级至${ESCALATION_LEVEL_LABEL[ticket.level]}${routingNote(holding) ? `；${routingNote(holding)}` : ''}`,
      data: routingData(holding),
    });
    this.notify.enqueue(tx, assignedNotice(facts, holding.holderIds, '超时未受理，已升级', now));
  }

  /** 50% or 75% of a window used: remind the holder. */
  private async warn(tx: Tx, timer: SlaTimer): Promise<void> {
    const warning = WARNING_OF[timer.kind];
    if (!warning) return;
    const { ticket, facts } = await this.lock(tx, timer.ticketId);
    const now = this.clock.now();
    const text = warningText(warning.window, warning.percent);
    this.insertEvent(tx, ticket, 'sla_warning', ticket.status, Role.System, now, { note: text, data: { ...warning } });
    if (ticket.holderId) this.notify.enqueue(tx, warningNotice(facts, [ticket.holderId], text, now));
  }

  /** The resolve deadline passed: marked overdue; the holder and the community admin are told. */
  private async markOverdue(tx: Tx, timer: SlaTimer): Promise<void> {
    const { ticket, facts } = await this.lock(tx, timer.ticketId);
    if (ticket.resolvedAt || FINAL_TICKET_STATUSES.includes(ticket.status)) return;
    const now = this.clock.now();
    Object.assign(ticket, { overdue: true, updatedAt: now });
    tx.pending.update(Ticket, ticket.id, { overdue: true, updatedAt: now });
    this.insertEvent(tx, ticket, 'overdue', ticket.status, Role.System, now, { note: '已超过办结时限' });
    const to = [...(ticket.holderId ? [ticket.holderId] : []), ...(await this.admins(tx, ticket.communityId))];
    this.notify.enqueue(tx, warningNotice(facts, to, '已超过办结时限，请尽快办结', now));
  }

  /** The confirm window passed without a rating: closed as not rated. */
  private async autoClose(tx: Tx, timer: SlaTimer): Promise<void> {
    const { ticket, facts } = await this.lock(tx, timer.ticketId);
    const decision = decideTransition(ticket, TicketAction.AutoClose, { role: Role.System });
    if (!decision.ok) return;
    const now = this.clock.now();
    Object.assign(ticket, { status: decision.to, closedAt: now, deadlineKind: null, deadlineAt: null, updatedAt: now });
    tx.pending.update(Ticket, ticket.id, pick(ticket));
    this.insertEvent(tx, ticket, TicketAction.AutoClose, TicketStatus.Resolved, Role.System, now, { note: '超过评价时限，按未评价关闭' });
    if (ticket.requesterId) this.notify.enqueue(tx, progressNotice(facts, [ticket.requesterId], '已超时自动关闭（未评价）', now));
  }

  // ---- the machinery ------------------------------------------------------------------------

  /**
   * Runs one action (public for modules that extend the pipeline, like dispatch): a retried request (same Idempotency-Key) answers with the ticket as it is;
   * otherwise the windows the action stops are cancelled first (the lock order of a firing
   * timer), then the ticket is locked, the step runs, and the ticket, its event and the
   * notifications are written together.
   */
  async act(
    scope: Scope,
    id: number,
    action: TicketAction | 'comment' | 'work_line' | 'work_line_removed',
    key: string | undefined,
    step: (c: ActionContext) => Promise<void>,
  ): Promise<TicketView> {
    await this.queries.requireVisible(scope, id);
    if (key && (await this.replayAction(id, action, key))) return this.queries.view(scope, id);
    try {
      await this.transactions.run(async (tx) => {
        const stops = isTransition(action) ? slaWindowEffect(action).stop : [];
        this.deadlines.stop(tx, id, stops);
        const { ticket, category, facts } = await this.lock(tx, id);
        const now = this.clock.now();
        const before = { ...ticket };
        const c: ActionContext = {
          tx,
          ticket,
          category,
          now,
          facts,
          notices: [],
          record: (type, from, details = {}) =>
            this.insertEvent(tx, ticket, type, from, scope.role, now, { actorPersonId: scope.personId, idempotencyKey: key ?? null, ...details }),
        };
        await step(c);
        if (MUTABLE.some((k) => ticket[k] !== before[k])) {
          ticket.updatedAt = now;
          tx.pending.update(Ticket, id, pick(ticket));
        }
        this.notify.enqueue(tx, c.notices);
      });
    } catch (err) {
      // Copies of one request racing: the later ones, refused by the state the first left or by
      // the unique key, find the first's event by its key and answer as it did.
      if (!(key && (isDuplicateKey(err) || err instanceof AppError) && (await this.replayAction(id, action, key)))) throw err;
    }
    return this.queries.view(scope, id);
  }

  /** Decides a transition for the caller; sets the new status and level on the ticket, returns the old status. */
  transition(c: ActionContext, scope: Scope, action: TicketAction, ctx: TransitionContext = {}): TicketStatus {
    const decision = decideTransition(c.ticket, action, { role: scope.role }, ctx);
    if (!decision.ok) throw refusal(decision.reason, c.ticket.status);
    const from = c.ticket.status;
    c.ticket.status = decision.to;
    c.ticket.level = decision.level;
    return from;
  }

  /**
   * Puts the ticket with whoever the duty roster has on duty from `level` up; levels nobody
   * covers are skipped at once and raised as coverage alerts to the community admin.
   */
  private async route(tx: Tx, ticket: Ticket, category: Category, level: EscalationLevel, now: Date): Promise<DutyHolding> {
    const holding = await this.duty.holdersFrom(tx.manager, placementOf(ticket, category), level, now);
    await this.hold(tx, ticket, category, holding, now);
    return holding;
  }

  /** Gives the ticket to the holding's level and first holder, and raises the gaps it met. */
  private async hold(tx: Tx, ticket: Ticket, category: Category, holding: DutyHolding, now: Date): Promise<void> {
    ticket.level = holding.level;
    ticket.holderId = holding.holderIds[0] ?? null;
    for (const skip of holding.skipped) {
      const department = skip.level === EscalationLevel.Department;
      if (department && !category.departmentId) continue;
      await this.duty.raiseRoutingGap(tx, {
        communityId: ticket.communityId!,
        scopeKind: department ? 'department' : 'grid',
        scopeId: department ? category.departmentId! : ticket.gridId!,
        level: skip.level,
        at: now,
      });
    }
  }

  private placement(c: ActionContext) {
    return placementOf(c.ticket, c.category);
  }

  /** Level 0 has the category's acknowledge window; each level above it the escalation window. */
  private ackWindowOptions(ticket: Ticket, category: Category) {
    return { level: ticket.level, minutes: ticket.level === EscalationLevel.GridMember ? category.ackMinutes : category.escalateMinutes };
  }

  private toRequester(c: ActionContext, what: string, note = ''): NotificationInput[] {
    return c.ticket.requesterId ? progressNotice(c.facts, [c.ticket.requesterId], what, c.now, note) : [];
  }

  async admins(tx: Tx, communityId: number | null): Promise<number[]> {
    if (!communityId) return [];
    const rows = await tx.manager.find(RoleAssignment, { where: { communityId, role: Role.CommunityAdmin, revokedAt: IsNull() } });
    return rows.map((r) => r.personId);
  }

  /** True when this key already did this action on this ticket; a key reused for something else is refused. */
  private async replayAction(ticketId: number, action: string, key: string): Promise<boolean> {
    const event = await this.transactions.manager.findOne(TicketEvent, { select: { id: true, ticketId: true, type: true }, where: { idempotencyKey: key } });
    if (!event) return false;
    if (event.ticketId !== ticketId || event.type !== action) throw new AppError(ErrorCode.IdempotencyKeyReused);
    return true;
  }

  private async replayCreate(scope: Scope, idempotencyKey: string, requestHash: string): Promise<CreateResult | null> {
    const existing = await this.transactions.manager.findOneBy(Ticket, { idempotencyKey });
    if (!existing) return null;
    // A key is the client's: another firm's key is as good as a reused one, and says nothing.
    if (existing.requestHash !== requestHash || existing.firmId !== scope.firmId) {
      throw new AppError(ErrorCode.IdempotencyKeyReused);
    }
    return { ticket: await this.queries.view(scope, existing.id), created: false };
  }

  /**
   * Locks the ticket for the change and reads what its notices say (category, firm), with
   * whatever the change has pending (the timers it stops), in one round trip.
   */
  async lock(tx: Tx, id: number): Promise<LockedTicket> {
    const locked = tx.pending.select<Record<string, unknown>>(`SELECT ${columnsOf(tx.manager, Ticket, 't')} FROM ticket t WHERE t.id = ? FOR UPDATE`, [id]);
    const around = tx.pending.select<Record<string, unknown>>(
      `SELECT ${columnsOf(tx.manager, Category, 'c')}, f.name AS firm_name FROM ticket t JOIN category c ON c.id = t.category_id JOIN firm f ON f.id = t.firm_id WHERE t.id = ?`,
      [id],
    );
    await tx.flush();
    if (!locked.rows[0] || !around.rows[0]) throw new AppError(ErrorCode.TicketNotFound);
    const ticket = hydrate(tx.manager, Ticket, 't', locked.rows[0]);
    const category = hydrate(tx.manager, Category, 'c', around.rows[0]);
    return { ticket, category, facts: { ticket, categoryName: category.name, firmName: String(around.rows[0].firm_name) } };
  }

  /** Queues a timeline event with the change's pending rows; its id is known once they have gone out. */
  insertEvent(tx: Tx, ...[ticket, type, fromStatus, actor, at, details = {}]: EventArgs): TicketEvent {
    const event = Object.assign(new TicketEvent(), {
      ticketId: ticket.id,
      type,
      fromStatus,
      toStatus: ticket.status,
      level: ticket.level,
      actor,
      actorPersonId: details.actorPersonId ?? null,
      note: details.note ?? null,
      data: details.data ?? null,
      idempotencyKey: details.idempotencyKey ?? null,
      at,
    });
    tx.pending.insert(TicketEvent, event);
    return event;
  }
}

/** Photos must be images and the voice note a recording; the transaction rolls back otherwise. */
function requireKinds(attached: AttachmentView[], photoIds: readonly string[], voiceId: string | null): void {
  const kindOf = new Map(attached.map((a) => [a.id, a.kind]));
  const wrong = [
    ...photoIds.filter((id) => kindOf.get(id) !== UploadKind.Image).map((id) => ({ field: 'photoIds', id, reason: '不是图片' })),
    ...(voiceId && kindOf.get(voiceId) !== UploadKind.Voice ? [{ field: 'voiceId', id: voiceId, reason: '不是语音' }] : []),
  ];
  if (wrong.length) throw new AppError(ErrorCode.ValidationFailed, '照片须为图片，语音须为录音', { fields: wrong });
}

/** Where a ticket sits, for the duty roster. */
function placementOf(t: Pick<Ticket, 'communityId' | 'gridId' | 'microgridId'>, category: Category): DutyPlacement {
  return { communityId: t.communityId!, gridId: t.gridId!, microgridId: t.microgridId, departmentId: category.departmentId };
}

function isTransition(action: string): action is TicketAction {
  return (Object.values(TicketAction) as string[]).includes(action);
}

function pick(ticket: Ticket): Partial<Ticket> {
  return Object.fromEntries(MUTABLE.map((k) => [k, ticket[k]])) as Partial<Ticket>;
}

function routingData(holding: DutyHolding): Record<string, unknown> {
  return { holderIds: holding.holderIds, skipped: holding.skipped };
}

/** 「网格员无人值班，直接上报网格长」 when levels were skipped; null otherwise. */
function routingNote(holding: DutyHolding): string | null {
  if (holding.skipped.length === 0) return null;
  const skipped = holding.skipped.map((s) => ESCALATION_LEVEL_LABEL[s.level]).join('、');
  const to = holding.holderIds.length ? ESCALATION_LEVEL_LABEL[holding.level] : `${ESCALATION_LEVEL_LABEL[holding.level]}（暂无值班人员，已提醒社区）`;
  return `${skipped}无人值班，直接上报${to}`;
}

function refusal(reason: TransitionRefusal, status: TicketStatus): AppError {
  switch (reason) {
    case TransitionRefusal.RoleNotPermitted:
      return new AppError(ErrorCode.Forbidden, '当前角色不是该工单此级别的处理人', { status, reason });
    case TransitionRefusal.OnSiteCheckInRequired:
      return new AppError(ErrorCode.TransitionNotAllowed, '该类诉求须到场签到后才能办结（四必到）', { status, reason });
    case TransitionRefusal.ReopenWindowPassed:
      return new AppError(ErrorCode.TransitionNotAllowed, '已超过重办期限，不能重办', { status, reason });
    case TransitionRefusal.ReasonRequired:
      return new AppError(ErrorCode.ValidationFailed, '请填写原因', { status, reason });
    default:
      return new AppError(ErrorCode.TransitionNotAllowed, undefined, { status, reason });
  }
}
