import { Injectable } from '@nestjs/common';
import {
  AttachmentView,
  DEADLINE_KIND_LABEL,
  ESCALATION_LEVEL_LABEL,
  ErrorCode,
  Role,
  ROLE_LABEL,
  TICKET_EVENT_LABEL,
  TICKET_STATUS_LABEL,
  TicketAction,
  TicketDeadlineView,
  TicketListView,
  TicketSummaryView,
  TicketView,
  TransferTargetView,
  URGENCY_LABEL,
} from '@qihu/contracts';
import { availableActions, HOLDER_ROLES_BY_LEVEL } from '@qihu/domain';
import { Brackets, EntityManager, In, IsNull, SelectQueryBuilder } from 'typeorm';
import { Clock } from '../../infra/clock';
import { TransactionRunner } from '../../infra/database/transaction';
import { WriteBatch } from '../../infra/database/write-batch';
import { AppError } from '../../infra/http/app-error';
import { Scope } from '../identity/caller';
import { Person } from '../identity/person.entity';
import { RoleAssignment } from '../identity/role-assignment.entity';
import { Category } from '../org/category.entity';
import { Firm } from '../org/firm.entity';
import { reachOf } from '../org/visibility';
import { UploadsService } from '../uploads/uploads.service';
import { TicketEvent } from './ticket-event.entity';
import { Ticket } from './ticket.entity';

/** Actions the API carries out (escalation and auto-close are the clock's). */
const OFFERED_ACTIONS: ReadonlySet<TicketAction> = new Set([
  TicketAction.Acknowledge,
  TicketAction.Return,
  TicketAction.Transfer,
  TicketAction.CheckIn,
  TicketAction.Resolve,
  TicketAction.Confirm,
  TicketAction.Reopen,
  TicketAction.Cancel,
  TicketAction.Supervise,
  TicketAction.Dispatch,
  TicketAction.Accept,
  TicketAction.Decline,
]);

const PAGE_DEFAULT = 20;
const PAGE_MAX = 100;

export interface ListOptions {
  status?: 'open' | 'closed' | 'all';
  holder?: 'me' | 'all';
  cursor?: string;
  limit?: number;
}

/** What a ticket view is made of. */
export interface ViewParts {
  ticket: Ticket;
  events: TicketEvent[];
  firmName: string;
  categoryName: string;
  attachments: AttachmentView[];
  names: Map<number, string>;
}

/** Reads of tickets, always through the caller's scope: what they may see, and how it looks. */
@Injectable()
export class TicketQueries {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly uploads: UploadsService,
    private readonly clock: Clock,
  ) {}

  /**
   * Limits a query on `t` to the tickets the caller may see: the firm's own (a worker only their
   * own; a worker's anonymous request is not the firm's to read), the grid's or micro-grid's for
   * grid staff, the department's categories, the whole community for the admin.
   */
  visibleTo<T extends object>(qb: SelectQueryBuilder<T>, scope: Scope): SelectQueryBuilder<T> {
    qb.andWhere('t.community_id = :community', { community: scope.communityId });
    if (scope.role === Role.DeptStaff) {
      qb.andWhere('t.category_id IN (SELECT c.id FROM category c WHERE c.department_id = :dept)', { dept: scope.departmentId });
    } else if (scope.role === Role.Worker) {
      qb.andWhere('t.firm_id = :firm AND t.requester_id = :person', { firm: scope.firmId, person: scope.personId });
    } else if (scope.role === Role.FirmContact) {
      qb.andWhere('t.firm_id = :firm AND (t.anonymous = 0 OR t.requester_id = :person)', {
        firm: scope.firmId,
        person: scope.personId,
      });
    } else if (scope.role === Role.CrewMember) {
      // Crews see what has been dispatched to their crew, and nothing else.
      qb.andWhere('t.id IN (SELECT d.ticket_id FROM ticket_dispatch d WHERE d.crew_id = :crew)', { crew: scope.crewId });
    } else {
      const reach = reachOf(scope);
      if (reach === 'grid') qb.andWhere('t.grid_id = :grid', { grid: scope.gridId });
      if (reach === 'microgrid') qb.andWhere('t.microgrid_id = :mg', { mg: scope.microgridId });
    }
    return qb;
  }

  /** 404 unless the caller may see the ticket: nothing about other people's tickets is disclosed. */
  async requireVisible(scope: Scope, id: number, manager: EntityManager = this.transactions.manager): Promise<void> {
    const qb = manager.createQueryBuilder(Ticket, 't').where('t.id = :id', { id });
    if (!(await this.visibleTo(qb, scope).getExists())) throw new AppError(ErrorCode.TicketNotFound);
  }

  async view(scope: Scope, id: number): Promise<TicketView> {
    const manager = this.transactions.manager;
    const ticket = await manager.findOneBy(Ticket, { id });
    if (!ticket) throw new AppError(ErrorCode.TicketNotFound);
    const [events, firm, category, attachments] = await Promise.all([
      manager.find(TicketEvent, { where: { ticketId: id }, order: { id: 'ASC' } }),
      manager.findOneOrFail(Firm, { select: { id: true, name: true }, where: { id: ticket.firmId } }),
      manager.findOneOrFail(Category, { select: { id: true, name: true }, where: { id: ticket.categoryId } }),
      this.uploads.listForTicket(id),
    ]);
    const names = await this.names(manager, [ticket.requesterId, ticket.holderId, ...events.map((e) => e.actorPersonId)]);
    return this.compose(scope, { ticket, events, firmName: firm.name, categoryName: category.name, attachments, names });
  }

  /** A view of what the caller already holds in memory (a ticket just created): no reads at all. */
  viewOf(scope: Scope, parts: ViewParts): TicketView {
    return this.compose(scope, parts);
  }

  /** The names a view of these people will show, read with the caller's batch. */
  queueNames(batch: WriteBatch, ids: Array<number | null>): { readonly names: Map<number, string> } {
    const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
    const read = wanted.length ? batch.select<{ id: number; name: string }>(`SELECT id, name FROM person WHERE id IN (${wanted.map(() => '?').join(', ')})`, wanted) : null;
    return {
      get names() {
        return new Map((read?.rows ?? []).map((p) => [Number(p.id), p.name]));
      },
    };
  }

  private compose(scope: Scope, { ticket, events, firmName, categoryName, attachments, names }: ViewParts): TicketView {
    const now = this.clock.now().getTime();
    return {
      id: ticket.id,
      number: ticket.number,
      firmId: ticket.firmId,
      firmName,
      categoryId: ticket.categoryId,
      categoryName,
      urgency: ticket.urgency,
      urgencyLabel: URGENCY_LABEL[ticket.urgency],
      description: ticket.description,
      location:
        ticket.latitude !== null && ticket.longitude !== null
          ? { latitude: ticket.latitude, longitude: ticket.longitude, address: ticket.address }
          : null,
      equipmentCode: ticket.equipmentCode,
      anonymous: ticket.anonymous,
      requesterName: ticket.requesterId ? (names.get(ticket.requesterId) ?? null) : null,
      status: ticket.status,
      statusLabel: TICKET_STATUS_LABEL[ticket.status],
      level: ticket.level,
      levelLabel: ESCALATION_LEVEL_LABEL[ticket.level],
      holder: ticket.holderId
        ? { personId: ticket.holderId, name: names.get(ticket.holderId) ?? '', level: ticket.level, levelLabel: ESCALATION_LEVEL_LABEL[ticket.level] }
        : null,
      deadline: deadlineView(ticket, now),
      nextDeadlineAt: ticket.deadlineAt ? ticket.deadlineAt.toISOString() : null,
      overdue: ticket.overdue,
      supervised: ticket.supervised,
      rating: ticket.rating,
      ratingComment: ticket.ratingComment,
      createdAt: ticket.createdAt.toISOString(),
      acknowledgedAt: iso(ticket.acknowledgedAt),
      checkedInAt: iso(ticket.checkedInAt),
      resolvedAt: iso(ticket.resolvedAt),
      closedAt: iso(ticket.closedAt),
      attachments,
      events: events.map((e) => ({
        id: e.id,
        type: e.type,
        typeLabel: TICKET_EVENT_LABEL[e.type] ?? e.type,
        fromStatus: e.fromStatus,
        toStatus: e.toStatus,
        level: e.level,
        levelLabel: ESCALATION_LEVEL_LABEL[e.level],
        actor: e.actor,
        actorPersonId: e.actorPersonId,
        actorName: e.actorPersonId ? (names.get(e.actorPersonId) ?? null) : null,
        note: e.note,
        data: e.data as Record<string, unknown> | null,
        at: e.at.toISOString(),
      })),
      actions: availableActions(ticket, { role: scope.role }).filter((a) => OFFERED_ACTIONS.has(a)),
    };
  }

  /** 我的诉求: a requester's own requests (a firm contact: the firm's, less workers' anonymous ones). */
  mine(scope: Scope, options: ListOptions): Promise<TicketListView> {
    const qb = this.listQuery(scope, options.status ?? 'all');
    qb.orderBy('t.id', 'DESC');
    return this.page(qb, options, (t) => t.id);
  }

  /**
   * The staff inbox: tickets in the caller's scope, soonest deadline first (tickets without a
   * deadline last); `holder=me` for only those the caller holds.
   */
  inbox(scope: Scope, options: ListOptions): Promise<TicketListView> {
    const qb = this.listQuery(scope, options.status ?? 'open');
    if (options.holder === 'me') qb.andWhere('t.holder_id = :me', { me: scope.personId });
    qb.orderBy('t.deadline_at IS NULL', 'ASC').addOrderBy('t.deadline_at', 'ASC').addOrderBy('t.id', 'ASC');
    return this.page(qb, options, null);
  }

  /** 转办: staff who may hold the ticket at its level, within its grid, micro-grid or department. */
  async transferTargets(scope: Scope, id: number): Promise<TransferTargetView[]> {
    await this.requireVisible(scope, id);
    const manager = this.transactions.manager;
    const ticket = await manager.findOneByOrFail(Ticket, { id });
    const rows = await this.holderAssignments(manager, ticket);
    const people = await manager.findBy(Person, { id: In([...new Set(rows.map((r) => r.personId))]) });
    const nameOf = new Map(people.map((p) => [p.id, p.name]));
    return rows
      .filter((r) => r.personId !== scope.personId)
      .map((r) => ({ personId: r.personId, name: nameOf.get(r.personId) ?? '', roleLabel: ROLE_LABEL[r.role] }))
      .filter((t, i, all) => all.findIndex((o) => o.personId === t.personId) === i);
  }

  /** Active role assignments that may hold the ticket at its current level. */
  async holderAssignments(manager: EntityManager, ticket: Ticket): Promise<RoleAssignment[]> {
    const roles = HOLDER_ROLES_BY_LEVEL[ticket.level];
    const category = await manager.findOneByOrFail(Category, { id: ticket.categoryId });
    return manager
      .createQueryBuilder(RoleAssignment, 'ra')
      .where({ communityId: ticket.communityId, revokedAt: IsNull(), role: In([...roles]) })
      .andWhere(
        new Brackets((or) => {
          or.where('ra.role = :admin', { admin: Role.CommunityAdmin })
            .orWhere('(ra.role IN (:...gridRoles) AND ra.grid_id = :grid)', {
              gridRoles: [Role.GridMember, Role.GridPartTime, Role.GridLeader],
              grid: ticket.gridId,
            })
            .orWhere('(ra.role = :mgl AND ra.microgrid_id = :mg)', { mgl: Role.MicrogridLeader, mg: ticket.microgridId })
            .orWhere('(ra.role = :dept AND ra.department_id = :deptId)', { dept: Role.DeptStaff, deptId: category.departmentId ?? 0 });
        }),
      )
      .orderBy('ra.id', 'ASC')
      .getMany();
  }

  async names(manager: EntityManager, ids: Array<number | null>): Promise<Map<number, string>> {
    const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
    if (wanted.length === 0) return new Map();
    const people = await manager.find(Person, { select: { id: true, name: true }, where: { id: In(wanted) } });
    return new Map(people.map((p) => [p.id, p.name]));
  }

  private listQuery(scope: Scope, status: 'open' | 'closed' | 'all'): SelectQueryBuilder<Ticket> {
    const qb = this.transactions.manager.createQueryBuilder(Ticket, 't');
    this.visibleTo(qb, scope);
    if (status === 'open') qb.andWhere('t.closed_at IS NULL');
    if (status === 'closed') qb.andWhere('t.closed_at IS NOT NULL');
    return qb;
  }

  /**
   * One page. `keyOf` gives a keyset cursor for id-ordered lists; lists ordered by deadline page
   * by offset (an inbox is short and re-sorted as deadlines move, so a key would not hold still).
   */
  private async page(
    qb: SelectQueryBuilder<Ticket>,
    options: ListOptions,
    keyOf: ((t: Ticket) => number) | null,
  ): Promise<TicketListView> {
    const limit = Math.min(Math.max(options.limit ?? PAGE_DEFAULT, 1), PAGE_MAX);
    const cursor = options.cursor ? Number(options.cursor) : null;
    if (options.cursor !== undefined && (!Number.isSafeInteger(cursor) || cursor! < 0)) {
      throw new AppError(ErrorCode.ValidationFailed, '分页参数不正确', { fields: [{ field: 'cursor', reason: '须为上一页返回的 nextCursor' }] });
    }
    if (keyOf && cursor !== null) qb.andWhere('t.id < :cursor', { cursor });
    if (!keyOf && cursor !== null) qb.skip(cursor);
    const rows = await qb.take(limit + 1).getMany();
    const more = rows.length > limit;
    const items = rows.slice(0, limit);
    const manager = this.transactions.manager;
    const [firms, categories, names] = await Promise.all([
      items.length ? manager.find(Firm, { select: { id: true, name: true }, where: { id: In([...new Set(items.map((t) => t.firmId))]) } }) : [],
      items.length ? manager.find(Category, { select: { id: true, name: true }, where: { id: In([...new Set(items.map((t) => t.categoryId))]) } }) : [],
      this.names(manager, items.map((t) => t.holderId)),
    ]);
    const firmName = new Map(firms.map((f) => [f.id, f.name]));
    const categoryName = new Map(categories.map((c) => [c.id, c.name]));
    const now = this.clock.now().getTime();
    const view: TicketListView = {
      items: items.map((t): TicketSummaryView => ({
        id: t.id,
        number: t.number,
        firmName: firmName.get(t.firmId) ?? '',
        categoryName: categoryName.get(t.categoryId) ?? '',
        urgency: t.urgency,
        urgencyLabel: URGENCY_LABEL[t.urgency],
        description: t.description,
        status: t.status,
        statusLabel: TICKET_STATUS_LABEL[t.status],
        level: t.level,
        levelLabel: ESCALATION_LEVEL_LABEL[t.level],
        holderName: t.holderId ? (names.get(t.holderId) ?? null) : null,
        deadline: deadlineView(t, now),
        overdue: t.overdue,
        supervised: t.supervised,
        createdAt: t.createdAt.toISOString(),
      })),
    };
    if (more) view.nextCursor = String(keyOf ? keyOf(items[items.length - 1]) : (cursor ?? 0) + limit);
    return view;
  }
}

function deadlineView(ticket: Ticket, now: number): TicketDeadlineView | null {
  if (!ticket.deadlineKind || !ticket.deadlineAt) return null;
  return {
    kind: ticket.deadlineKind,
    label: DEADLINE_KIND_LABEL[ticket.deadlineKind],
    dueAt: ticket.deadlineAt.toISOString(),
    remainingMs: ticket.deadlineAt.getTime() - now,
  };
}

function iso(d: Date | null): string | null {
  return d ? d.toISOString() : null;
}
