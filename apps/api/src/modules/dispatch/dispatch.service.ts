import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import {
  ArrivalProof,
  BillView,
  CrewView,
  DISPATCH_STATE_LABEL,
  DispatchListItemView,
  DispatchState,
  DispatchView,
  EquipmentVisitView,
  ErrorCode,
  Role,
  TicketAction,
  TicketStatus,
  TicketView,
  UploadKind,
  WorkLineKind,
} from '@qihu/contracts';
import { decideTransition, SlaWindowKind } from '@qihu/domain';
import { EntityManager, In, IsNull } from 'typeorm';
import { AppConfig, CONFIG } from '../../config/config';
import { Clock } from '../../infra/clock';
import { TransactionRunner, Tx } from '../../infra/database/transaction';
import { AppError } from '../../infra/http/app-error';
import { CrewOnDuty, DutyService } from '../duty/duty.service';
import { EquipmentService } from '../equipment/equipment.service';
import { Scope } from '../identity/caller';
import { RoleAssignment } from '../identity/role-assignment.entity';
import { NotifyService } from '../notify/notify.service';
import { Crew } from '../org/crew.entity';
import { Firm } from '../org/firm.entity';
import { Category } from '../org/category.entity';
import { PartsService } from '../parts/parts.service';
import { SlaTimer, TimerKind } from '../sla/sla-timer.entity';
import { SlaService } from '../sla/sla.service';
import { ActionContext, TicketsService } from '../tickets/tickets.service';
import { TicketDeadlines } from '../tickets/ticket-deadlines';
import { assignedNotice, progressNotice, warningNotice } from '../tickets/ticket-notices';
import { TicketQueries } from '../tickets/ticket-queries.service';
import { Ticket } from '../tickets/ticket.entity';
import { UploadsService } from '../uploads/uploads.service';
import { CrewArea, CrewSkill, TicketDispatch, WorkLine } from './dispatch.entities';
import { CrewCheckInDto, DeclineDto, DispatchDto, FinishDto, UpdateCrewDto, WorkLineDto } from './dto/dispatch.dto';
import { distanceMetres, yuan } from './geo';

const OPEN_DISPATCH: readonly DispatchState[] = [DispatchState.Offered, DispatchState.Accepted, DispatchState.OnSite];

/**
 * The maintenance service's dispatch (五统一): the ticket holder sends an equipment fault to a
 * crew (or to the on-duty crew with the needed skill); the crew accepts or declines; the on-site
 * clock stops only on proof of arrival (inside the firm's geofence, or the machine's QR label);
 * service items and parts are recorded at the prices of the day, a repeat repair within warranty
 * free; the crew finishes (on site, or 远程问诊 without a visit) and the firm sees the bill.
 * Every step runs through the ticket pipeline's action machinery (state machine, scope, event,
 * idempotency, notifications).
 */
@Injectable()
export class DispatchService implements OnModuleInit {
  constructor(
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly transactions: TransactionRunner,
    private readonly tickets: TicketsService,
    private readonly queries: TicketQueries,
    private readonly deadlines: TicketDeadlines,
    private readonly sla: SlaService,
    private readonly duty: DutyService,
    private readonly parts: PartsService,
    private readonly equipment: EquipmentService,
    private readonly uploads: UploadsService,
    private readonly notify: NotifyService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.sla.onFired(TimerKind.DispatchAccept, (tx, timer) => this.expire(tx, timer));
    this.sla.onFired(TimerKind.OnSite, (tx, timer) => this.onSiteOverdue(tx, timer));
    // 一设备一档: a machine's file lists the crews' visits with their parts and costs.
    this.equipment.addHistorySource({ visitsOf: (m, _machine, ticketIds) => this.visitsOf(m, ticketIds) });
  }

  /** The finished visits to these tickets, newest first, with their lines at the prices billed. */
  private async visitsOf(m: EntityManager, ticketIds: readonly number[]): Promise<EquipmentVisitView[]> {
    if (ticketIds.length === 0) return [];
    const dispatches = await m.find(TicketDispatch, { where: { ticketId: In([...ticketIds]), state: DispatchState.Finished }, order: { finishedAt: 'DESC' } });
    if (dispatches.length === 0) return [];
    const [lines, crews, tickets] = await Promise.all([
      m.find(WorkLine, { where: { dispatchId: In(dispatches.map((d) => d.id)) }, order: { id: 'ASC' } }),
      m.findBy(Crew, { id: In([...new Set(dispatches.map((d) => d.crewId))]) }),
      m.find(Ticket, { select: { id: true, number: true }, where: { id: In(dispatches.map((d) => d.ticketId)) } }),
    ]);
    return dispatches.map((d) => {
      const own = lines.filter((l) => l.dispatchId === d.id);
      return {
        ticketId: d.ticketId,
        ticketNumber: tickets.find((t) => t.id === d.ticketId)?.number ?? '',
        crewName: crews.find((c) => c.id === d.crewId)?.name ?? '',
        remote: d.remote,
        arrivedAt: d.arrivedAt ? d.arrivedAt.toISOString() : null,
        finishedAt: d.finishedAt ? d.finishedAt.toISOString() : null,
        lines: own.map((l) => ({ kind: l.kind, name: l.name, quantity: l.quantity, amountFen: l.amountFen, warranty: l.warrantyOfLineId !== null })),
        totalFen: own.reduce((sum, l) => sum + l.amountFen, 0),
      };
    });
  }

  // ---- crews --------------------------------------------------------------------------------

  async crews(scope: Scope): Promise<CrewView[]> {
    const m = this.transactions.manager;
    const crews = await m.find(Crew, { where: { communityId: scope.communityId }, order: { id: 'ASC' } });
    return this.crewViews(m, scope.communityId, crews);
  }

  async updateCrew(scope: Scope, id: number, input: UpdateCrewDto): Promise<CrewView> {
    await this.transactions.run(async ({ manager }) => {
      const crew = await manager.findOneBy(Crew, { id, communityId: scope.communityId });
      if (!crew) throw new AppError(ErrorCode.CrewNotFound, `维修队不存在（编号 ${id}）`);
      if (input.gridIds) {
        const grids: Array<{ id: number }> = input.gridIds.length
          ? await manager.query('SELECT id FROM grid WHERE community_id = ? AND id IN (?)', [scope.communityId, input.gridIds])
          : [];
        const unknown = input.gridIds.filter((g) => !grids.some((r) => Number(r.id) === g));
        if (unknown.length) throw new AppError(ErrorCode.GridNotFound, `网格不存在（编号 ${unknown.join('、')}）`);
        await manager.delete(CrewArea, { crewId: id });
        if (input.gridIds.length) await manager.insert(CrewArea, [...new Set(input.gridIds)].map((gridId) => ({ crewId: id, gridId })));
      }
      if (input.skills) {
        await manager.delete(CrewSkill, { crewId: id });
        if (input.skills.length) await manager.insert(CrewSkill, [...new Set(input.skills)].map((skill) => ({ crewId: id, skill })));
      }
    });
    const m = this.transactions.manager;
    const [view] = await this.crewViews(m, scope.communityId, [await m.findOneByOrFail(Crew, { id })]);
    return view;
  }

  // ---- the steps ----------------------------------------------------------------------------

  /** 派单: to the named crew, or to the on-duty crew with the skill the machine needs. */
  dispatch(scope: Scope, id: number, input: DispatchDto, key?: string): Promise<TicketView> {
    return this.tickets.act(scope, id, TicketAction.Dispatch, key, async (c) => {
      const from = this.tickets.transition(c, scope, TicketAction.Dispatch);
      const onDuty = await this.duty.crewsOnDuty(c.tx.manager, c.ticket.communityId!, c.now);
      const crew = input.crewId ? await this.requireCrew(c.tx.manager, c.ticket.communityId!, input.crewId) : await this.chooseCrew(c, onDuty);
      const acceptDueAt = new Date(c.now.getTime() + this.deadlines.scaledMs(this.config.dispatch.acceptMinutes));
      this.deadlines.start(c.tx, c.ticket, SlaWindowKind.OnSite, c.category, c.now);
      this.sla.schedule(c.tx, { ticketId: id, kind: TimerKind.DispatchAccept, level: c.ticket.level, dueAt: acceptDueAt });
      await c.tx.manager.insert(TicketDispatch, {
        ticketId: id,
        crewId: crew.id,
        state: DispatchState.Offered,
        auto: !input.crewId,
        note: input.note ?? null,
        dispatchedBy: scope.personId,
        dispatchedAt: c.now,
        acceptDueAt,
        onSiteDueAt: c.ticket.deadlineAt!,
        acceptedBy: null,
        acceptedAt: null,
        declinedReason: null,
        arrivedAt: null,
        arrivalProof: null,
        distanceM: null,
        remote: false,
        finishedAt: null,
      });
      c.record(TicketAction.Dispatch, from, { note: input.note ?? null, data: { crewId: crew.id, crewName: crew.name, auto: !input.crewId } });
      const members = await this.crewMembers(c.tx.manager, crew.id, onDuty);
      c.notices.push(...assignedNotice(c.facts, members, `派给${crew.name}`, c.now));
    });
  }

  /** 接单 by a member of the crew it was sent to. */
  accept(scope: Scope, id: number, key?: string): Promise<TicketView> {
    return this.tickets.act(scope, id, TicketAction.Accept, key, async (c) => {
      const dispatch = await this.openDispatch(c, scope, [DispatchState.Offered]);
      const from = this.tickets.transition(c, scope, TicketAction.Accept);
      this.sla.cancelArmed(c.tx, id, TimerKind.DispatchAccept);
      await c.tx.manager.update(TicketDispatch, { id: dispatch.id }, { state: DispatchState.Accepted, acceptedBy: scope.personId, acceptedAt: c.now });
      c.record(TicketAction.Accept, from, { data: { crewId: dispatch.crewId } });
      if (c.ticket.requesterId) c.notices.push(...progressNotice(c.facts, [c.ticket.requesterId], '维修队已接单，正在赶来', c.now));
    });
  }

  /** 拒单 with a reason: back to the holder to dispatch again; parts taken are put back. */
  decline(scope: Scope, id: number, input: DeclineDto, key?: string): Promise<TicketView> {
    return this.tickets.act(scope, id, TicketAction.Decline, key, async (c) => {
      const dispatch = await this.openDispatch(c, scope, [DispatchState.Offered, DispatchState.Accepted]);
      const from = this.tickets.transition(c, scope, TicketAction.Decline);
      await this.backToHolder(c.tx, c.ticket, dispatch, DispatchState.Declined, input.reason, scope.personId);
      c.record(TicketAction.Decline, from, { note: input.reason, data: { crewId: dispatch.crewId } });
      if (c.ticket.holderId) c.notices.push(...warningNotice(c.facts, [c.ticket.holderId], `维修队拒单（${input.reason}），请重新派单`, c.now, input.reason));
    });
  }

  /**
   * 到场签到 of the crew: proof of arrival is a position within the firm's geofence, or the scanned
   * QR label of one of the firm's machines. Nothing else stops the on-site clock.
   */
  arrive(scope: Scope, id: number, input: CrewCheckInDto, key?: string): Promise<TicketView> {
    return this.tickets.act(scope, id, TicketAction.CheckIn, key, async (c) => {
      const dispatch = await this.openDispatch(c, scope, [DispatchState.Accepted]);
      const proof = await this.proofOfArrival(c, input);
      const from = this.tickets.transition(c, scope, TicketAction.CheckIn);
      c.ticket.checkedInAt = c.now;
      await this.deadlines.showRunningResolve(c.tx, c.ticket);
      await c.tx.manager.update(TicketDispatch, { id: dispatch.id }, { state: DispatchState.OnSite, arrivedAt: c.now, arrivalProof: proof.proof, distanceM: proof.distanceM });
      c.record(TicketAction.CheckIn, from, {
        data: { proof: proof.proof, distanceM: proof.distanceM, equipmentCode: proof.equipmentCode, latitude: input.latitude ?? null, longitude: input.longitude ?? null },
      });
      if (c.ticket.requesterId) c.notices.push(...progressNotice(c.facts, [c.ticket.requesterId], '维修人员已到场', c.now));
    });
  }

  /**
   * A service item or part used, at the price of now. A part is taken from the crew's store. A
   * repeat of the same item on the same machine within the first repair's warranty is free.
   */
  addLine(scope: Scope, id: number, input: WorkLineDto, key?: string): Promise<TicketView> {
    return this.tickets.act(scope, id, 'work_line', key, async (c) => {
      if (c.ticket.status !== TicketStatus.Accepted && c.ticket.status !== TicketStatus.OnSite) {
        throw new AppError(ErrorCode.TransitionNotAllowed, '接单后、完工前才能登记服务项目和配件', { status: c.ticket.status });
      }
      const dispatch = await this.openDispatch(c, scope, [DispatchState.Accepted, DispatchState.OnSite]);
      const m = c.tx.manager;
      const priced = await this.parts.priceAt(m, c.ticket.communityId!, input.kind, input.code, c.now);
      const first = await this.warrantyOrigin(m, c.ticket, input.kind, priced.code, c.now);
      const listAmount = priced.unitPriceFen * input.quantity;
      const { identifiers } = await m.insert(WorkLine, {
        communityId: c.ticket.communityId!,
        ticketId: id,
        dispatchId: dispatch.id,
        firmId: c.ticket.firmId,
        equipmentCode: c.ticket.equipmentCode,
        kind: input.kind,
        itemId: priced.itemId,
        versionId: priced.versionId,
        code: priced.code,
        name: priced.name,
        unit: priced.unit,
        quantity: input.quantity,
        unitPriceFen: priced.unitPriceFen,
        amountFen: first ? 0 : listAmount,
        warrantyDays: priced.warrantyDays,
        warrantyOfLineId: first?.id ?? null,
        recordedBy: scope.personId,
        recordedAt: c.now,
        idempotencyKey: key ?? null,
      });
      const lineId = Number(identifiers[0].id);
      if (input.kind === WorkLineKind.Part) {
        const store = await this.parts.storeOfCrew(m, dispatch.crewId);
        if (!store) throw new AppError(ErrorCode.StoreNotFound, '本维修队没有备件库，请联系社区');
        await this.parts.take(c.tx, {
          communityId: c.ticket.communityId!,
          storeId: store.id,
          partId: priced.itemId,
          quantity: input.quantity,
          ticketId: id,
          personId: scope.personId,
          reference: `work-line-${lineId}`,
        });
      }
      c.record('work_line', c.ticket.status, {
        note: `${priced.name} × ${input.quantity}${first ? '（保修期内，免费）' : `，${yuan(listAmount)} 元`}`,
        data: { lineId, kind: input.kind, code: priced.code, quantity: input.quantity, amountFen: first ? 0 : listAmount, warranty: !!first },
      });
    });
  }

  /** 完工: the crew resolves the ticket, on site or (远程问诊) without a visit; the firm then sees the bill. */
  finish(scope: Scope, id: number, input: FinishDto, key?: string): Promise<TicketView> {
    return this.tickets.act(scope, id, TicketAction.Resolve, key, async (c) => {
      const dispatch = await this.openDispatch(c, scope, [DispatchState.Accepted, DispatchState.OnSite]);
      const remote = dispatch.state === DispatchState.Accepted;
      if (remote && !input.remote) {
        throw new AppError(ErrorCode.TransitionNotAllowed, '请先到场签到；不到场解决的请选择远程问诊', { status: c.ticket.status });
      }
      const from = this.tickets.transition(c, scope, TicketAction.Resolve, { requiresOnSite: c.category.requiresOnSite });
      c.ticket.resolvedAt = c.now;
      this.deadlines.start(c.tx, c.ticket, SlaWindowKind.Confirm, c.category, c.now);
      await c.tx.manager.update(TicketDispatch, { id: dispatch.id }, { state: DispatchState.Finished, finishedAt: c.now, remote });
      const event = c.record(TicketAction.Resolve, from, { note: input.note, data: { remote, crewId: dispatch.crewId } });
      if (input.photoIds?.length) {
        const attached = await this.uploads.attach(c.tx, scope.personId, input.photoIds, { ticketId: id, event });
        if (attached.some((a) => a.kind !== UploadKind.Image)) throw new AppError(ErrorCode.ValidationFailed, '照片须为图片');
      }
      const bill = await this.billOf(c.tx.manager, c.ticket);
      const what = remote ? '已远程问诊解决' : '维修完工';
      if (c.ticket.requesterId) c.notices.push(...progressNotice(c.facts, [c.ticket.requesterId], `${what}，费用 ${bill.totalYuan} 元，请确认并评价`, c.now, input.note));
    });
  }

  // ---- reads --------------------------------------------------------------------------------

  /** The ticket's current (latest) dispatch, for anyone who may see the ticket. */
  async current(scope: Scope, id: number): Promise<DispatchView | null> {
    await this.queries.requireVisible(scope, id);
    const m = this.transactions.manager;
    const dispatch = await m.findOne(TicketDispatch, { where: { ticketId: id }, order: { id: 'DESC' } });
    if (!dispatch) return null;
    const [view] = await this.dispatchViews(m, [dispatch]);
    return view;
  }

  /** 账单: every line at the price of its time, warranty lines marked and free. */
  async bill(scope: Scope, id: number): Promise<BillView> {
    await this.queries.requireVisible(scope, id);
    const m = this.transactions.manager;
    return this.billOf(m, await m.findOneByOrFail(Ticket, { id }));
  }

  /** 派单列表: a crew member sees their crew's dispatches, the admin every crew's. */
  async list(scope: Scope, state: 'open' | 'all'): Promise<DispatchListItemView[]> {
    const m = this.transactions.manager;
    const where = {
      ...(scope.role === Role.CrewMember ? { crewId: scope.crewId! } : {}),
      ...(state === 'open' ? { state: In([...OPEN_DISPATCH]) } : {}),
    };
    const rows = await m
      .createQueryBuilder(TicketDispatch, 'd')
      .innerJoin(Ticket, 't', 't.id = d.ticket_id')
      .where('t.community_id = :community', { community: scope.communityId })
      .andWhere(where)
      .orderBy('d.dispatched_at', 'DESC')
      .take(100)
      .getMany();
    const views = await this.dispatchViews(m, rows);
    const tickets = rows.length ? await m.findBy(Ticket, { id: In(rows.map((r) => r.ticketId)) }) : [];
    const firms = tickets.length ? await m.findBy(Firm, { id: In([...new Set(tickets.map((t) => t.firmId))]) }) : [];
    const categories = tickets.length ? await m.findBy(Category, { id: In([...new Set(tickets.map((t) => t.categoryId))]) }) : [];
    const ticketOf = new Map(tickets.map((t) => [t.id, t]));
    const firmName = new Map(firms.map((f) => [f.id, f.name]));
    const categoryName = new Map(categories.map((x) => [x.id, x.name]));
    return views.map((v) => {
      const t = ticketOf.get(v.ticketId)!;
      return {
        ...v,
        ticketNumber: t.number,
        firmName: firmName.get(t.firmId) ?? '',
        categoryName: categoryName.get(t.categoryId) ?? '',
        description: t.description,
        address: t.address,
        latitude: t.latitude,
        longitude: t.longitude,
        equipmentCode: t.equipmentCode,
      };
    });
  }

  // ---- the clock ----------------------------------------------------------------------------

  /** Nobody in the crew accepted in time: the ticket goes back to its holder, who is told. */
  private async expire(tx: Tx, timer: SlaTimer): Promise<void> {
    const { ticket, facts } = await this.tickets.lock(tx, timer.ticketId);
    const decision = decideTransition(ticket, TicketAction.Decline, { role: Role.System });
    const dispatch = await tx.manager.findOne(TicketDispatch, { where: { ticketId: ticket.id }, order: { id: 'DESC' } });
    if (!decision.ok || !dispatch || dispatch.state !== DispatchState.Offered) return;
    const now = this.clock.now();
    this.sla.cancelArmed(tx, ticket.id, [TimerKind.OnSite]);
    Object.assign(ticket, { status: decision.to, updatedAt: now });
    await this.backToHolder(tx, ticket, dispatch, DispatchState.Expired, null, null);
    await tx.manager.update(Ticket, { id: ticket.id }, { status: ticket.status, deadlineKind: ticket.deadlineKind, deadlineAt: ticket.deadlineAt, updatedAt: now });
    this.tickets.insertEvent(tx, ticket, 'dispatch_expired', TicketStatus.Dispatched, Role.System, now, {
      note: '维修队超时未接单，已退回，请重新派单',
      data: { crewId: dispatch.crewId },
    });
    if (ticket.holderId) this.notify.enqueue(tx, warningNotice(facts, [ticket.holderId], '维修队超时未接单，请重新派单', now));
  }

  /** The on-site deadline passed without proof of arrival: the holder and the admin are told. */
  private async onSiteOverdue(tx: Tx, timer: SlaTimer): Promise<void> {
    const { ticket, facts } = await this.tickets.lock(tx, timer.ticketId);
    if (ticket.status !== TicketStatus.Dispatched && ticket.status !== TicketStatus.Accepted) return;
    const now = this.clock.now();
    this.tickets.insertEvent(tx, ticket, 'on_site_overdue', ticket.status, Role.System, now, { note: '超过到场时限，维修人员尚未到场' });
    const to = [...(ticket.holderId ? [ticket.holderId] : []), ...(await this.tickets.admins(tx, ticket.communityId))];
    this.notify.enqueue(tx, warningNotice(facts, to, '维修人员超过到场时限仍未到场', now));
  }

  // ---- the machinery ------------------------------------------------------------------------

  /** The ticket's open dispatch to the caller's crew in one of `states`, else 409 (or 403 for another crew). */
  private async openDispatch(c: ActionContext, scope: Scope, states: readonly DispatchState[]): Promise<TicketDispatch> {
    const dispatch = await c.tx.manager.findOne(TicketDispatch, { where: { ticketId: c.ticket.id }, order: { id: 'DESC' }, lock: { mode: 'pessimistic_write' } });
    if (!dispatch || !states.includes(dispatch.state)) {
      throw new AppError(ErrorCode.TransitionNotAllowed, '该工单当前没有可操作的派单', { status: c.ticket.status, dispatch: dispatch?.state ?? null });
    }
    if (scope.role !== Role.CrewMember || dispatch.crewId !== scope.crewId) {
      throw new AppError(ErrorCode.Forbidden, '该工单派给了其他维修队');
    }
    return dispatch;
  }

  /** A declined or expired dispatch: parts taken go back to the store, the ticket shows its resolve deadline again. */
  private async backToHolder(tx: Tx, ticket: Ticket, dispatch: TicketDispatch, state: DispatchState, reason: string | null, personId: number | null): Promise<void> {
    await tx.manager.update(TicketDispatch, { id: dispatch.id }, { state, declinedReason: reason });
    await this.parts.returnForTicket(tx, ticket.id, personId ?? dispatch.dispatchedBy);
    await this.deadlines.showRunningResolve(tx, ticket);
  }

  private async proofOfArrival(
    c: ActionContext,
    input: CrewCheckInDto,
  ): Promise<{ proof: ArrivalProof; distanceM: number | null; equipmentCode: string | null }> {
    if (input.label !== undefined) {
      // Only the scanned label proves presence: it carries a token printed nowhere else.
      const machine = await this.equipment.verifyLabel(c.tx.manager, c.ticket.firmId, input.label);
      if (!machine) throw new AppError(ErrorCode.EquipmentNotFound, '扫描的二维码不是本企业设备的标签');
      return { proof: ArrivalProof.Label, distanceM: null, equipmentCode: machine.code };
    }
    if (input.latitude === undefined || input.longitude === undefined) {
      throw new AppError(ErrorCode.ValidationFailed, '请提供当前位置，或扫描设备二维码', { fields: [{ field: 'latitude', reason: '缺少位置' }] });
    }
    const firm = await c.tx.manager.findOneOrFail(Firm, { select: { id: true, latitude: true, longitude: true }, where: { id: c.ticket.firmId } });
    if (firm.latitude === null || firm.longitude === null) {
      throw new AppError(ErrorCode.OutsideGeofence, '企业未登记位置，无法按位置签到，请扫描设备二维码');
    }
    const distanceM = Math.round(distanceMetres(firm as { latitude: number; longitude: number }, input as { latitude: number; longitude: number }));
    const radius = this.config.dispatch.geofenceRadiusM;
    if (distanceM > radius) {
      throw new AppError(ErrorCode.OutsideGeofence, `当前位置距企业约 ${distanceM} 米，超出签到范围（${radius} 米），请到达现场后再签到，或扫描设备二维码`, { distanceM, radiusM: radius });
    }
    return { proof: ArrivalProof.Geofence, distanceM, equipmentCode: null };
  }

  /**
   * The on-duty crew with the skill the machine needs (any skill when the ticket names no known
   * machine), serving the ticket's grid, with the fewest open dispatches.
   */
  private async chooseCrew(c: ActionContext, onDuty: readonly CrewOnDuty[]): Promise<Crew> {
    const m = c.tx.manager;
    const machine = c.ticket.equipmentCode ? await this.equipment.findForFirm(m, c.ticket.firmId, c.ticket.equipmentCode) : null;
    const candidates = onDuty.map((d) => d.crewId);
    if (candidates.length === 0) throw new AppError(ErrorCode.CrewNotFound, '当前没有值班的维修队，请手动选择维修队');
    const rows: Array<{ id: number; open: number }> = await m.query(
      `SELECT c.id, (SELECT COUNT(*) FROM ticket_dispatch d WHERE d.crew_id = c.id AND d.state IN (?)) AS open
         FROM crew c
        WHERE c.id IN (?) AND c.community_id = ?
          AND (? IS NULL OR EXISTS (SELECT 1 FROM crew_skill s WHERE s.crew_id = c.id AND s.skill = ?))
          AND (NOT EXISTS (SELECT 1 FROM crew_area a WHERE a.crew_id = c.id)
               OR EXISTS (SELECT 1 FROM crew_area a WHERE a.crew_id = c.id AND a.grid_id = ?))
        ORDER BY open ASC, c.id ASC`,
      [OPEN_DISPATCH, candidates, c.ticket.communityId, machine?.skill ?? null, machine?.skill ?? null, c.ticket.gridId],
    );
    if (rows.length === 0) {
      throw new AppError(ErrorCode.CrewNotFound, machine ? `当前没有具备该设备维修技能的值班维修队，请手动选择维修队` : '当前没有服务该网格的值班维修队，请手动选择维修队');
    }
    return m.findOneByOrFail(Crew, { id: Number(rows[0].id) });
  }

  private async requireCrew(m: EntityManager, communityId: number, id: number): Promise<Crew> {
    const crew = await m.findOneBy(Crew, { id, communityId });
    if (!crew) throw new AppError(ErrorCode.CrewNotFound, `维修队不存在（编号 ${id}）`);
    return crew;
  }

  /** Who of the crew to tell: those on duty now, else every member. */
  private async crewMembers(m: EntityManager, crewId: number, onDuty: readonly CrewOnDuty[]): Promise<number[]> {
    const now = onDuty.find((d) => d.crewId === crewId)?.personIds ?? [];
    if (now.length) return now;
    const members = await m.find(RoleAssignment, { where: { crewId, role: Role.CrewMember, revokedAt: IsNull() } });
    return members.map((r) => r.personId);
  }

  /** The first chargeable line of the same item on the same machine whose warranty still runs. */
  private async warrantyOrigin(m: EntityManager, ticket: Ticket, kind: WorkLineKind, code: string, at: Date): Promise<WorkLine | null> {
    if (!ticket.equipmentCode) return null;
    return m
      .createQueryBuilder(WorkLine, 'w')
      .innerJoin(Ticket, 't', 't.id = w.ticket_id')
      .where('w.firm_id = :firm AND w.equipment_code = :code AND w.kind = :kind AND w.code = :item', {
        firm: ticket.firmId,
        code: ticket.equipmentCode,
        kind,
        item: code,
      })
      .andWhere('w.ticket_id <> :ticket AND w.warranty_of_line_id IS NULL AND w.amount_fen > 0', { ticket: ticket.id })
      .andWhere('t.resolved_at IS NOT NULL')
      .andWhere('DATE_ADD(w.recorded_at, INTERVAL w.warranty_days DAY) >= :at', { at })
      .orderBy('w.recorded_at', 'ASC')
      .getOne();
  }

  private async billOf(m: EntityManager, ticket: Ticket): Promise<BillView> {
    const lines = await m.find(WorkLine, { where: { ticketId: ticket.id }, order: { id: 'ASC' } });
    const origins = lines.filter((l) => l.warrantyOfLineId).map((l) => l.warrantyOfLineId!);
    const originTickets: Array<{ lineId: number; number: string }> = origins.length
      ? await m.query('SELECT w.id AS lineId, t.number FROM work_line w JOIN ticket t ON t.id = w.ticket_id WHERE w.id IN (?)', [origins])
      : [];
    const totalFen = lines.reduce((sum, l) => sum + l.amountFen, 0);
    return {
      ticketId: ticket.id,
      ticketNumber: ticket.number,
      lines: lines.map((l) => ({
        id: l.id,
        kind: l.kind,
        code: l.code,
        name: l.name,
        unit: l.unit,
        quantity: l.quantity,
        unitPriceFen: l.unitPriceFen,
        amountFen: l.amountFen,
        warranty: l.warrantyOfLineId !== null,
        warrantyOfTicketNumber: originTickets.find((o) => Number(o.lineId) === l.warrantyOfLineId)?.number ?? null,
        warrantyDays: l.warrantyDays,
        recordedAt: l.recordedAt.toISOString(),
      })),
      listTotalFen: lines.reduce((sum, l) => sum + l.unitPriceFen * l.quantity, 0),
      totalFen,
      totalYuan: yuan(totalFen),
    };
  }

  private async dispatchViews(m: EntityManager, rows: TicketDispatch[]): Promise<DispatchView[]> {
    if (rows.length === 0) return [];
    const crews = await m.findBy(Crew, { id: In([...new Set(rows.map((r) => r.crewId))]) });
    const names = await this.queries.names(m, rows.map((r) => r.acceptedBy));
    const iso = (d: Date | null) => (d ? d.toISOString() : null);
    return rows.map((d) => ({
      id: d.id,
      ticketId: d.ticketId,
      crewId: d.crewId,
      crewName: crews.find((c) => c.id === d.crewId)?.name ?? '',
      state: d.state,
      stateLabel: DISPATCH_STATE_LABEL[d.state],
      auto: d.auto,
      note: d.note,
      dispatchedAt: d.dispatchedAt.toISOString(),
      acceptDueAt: d.acceptDueAt.toISOString(),
      onSiteDueAt: d.onSiteDueAt.toISOString(),
      acceptedAt: iso(d.acceptedAt),
      acceptedByName: d.acceptedBy ? (names.get(d.acceptedBy) ?? null) : null,
      declinedReason: d.declinedReason,
      arrivedAt: iso(d.arrivedAt),
      arrivalProof: d.arrivalProof,
      distanceM: d.distanceM,
      remote: d.remote,
      finishedAt: iso(d.finishedAt),
    }));
  }

  private async crewViews(m: EntityManager, communityId: number, crews: Crew[]): Promise<CrewView[]> {
    if (crews.length === 0) return [];
    const ids = crews.map((c) => c.id);
    const [skills, areas, members, onDuty] = await Promise.all([
      m.findBy(CrewSkill, { crewId: In(ids) }),
      m.findBy(CrewArea, { crewId: In(ids) }),
      m.find(RoleAssignment, { where: { crewId: In(ids), role: Role.CrewMember, revokedAt: IsNull() }, order: { id: 'ASC' } }),
      this.duty.crewsOnDuty(m, communityId, this.clock.now()),
    ]);
    const names = await this.queries.names(m, members.map((r) => r.personId));
    return crews.map((c) => ({
      id: c.id,
      name: c.name,
      skills: skills.filter((s) => s.crewId === c.id).map((s) => s.skill).sort(),
      gridIds: areas.filter((a) => a.crewId === c.id).map((a) => a.gridId).sort((a, b) => a - b),
      members: members.filter((r) => r.crewId === c.id).map((r) => ({ personId: r.personId, name: names.get(r.personId) ?? '' })),
      // crewsOnDuty lists only crews with someone on duty.
      onDuty: onDuty.some((d) => d.crewId === c.id),
    }));
  }
}

