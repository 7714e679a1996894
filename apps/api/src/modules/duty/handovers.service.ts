import { Injectable } from '@nestjs/common';
import { DutyHandoverView, ErrorCode } from '@qihu/contracts';
import { DAY_MS } from '@qihu/domain';
import { EntityManager, In } from 'typeorm';
import { Clock } from '../../infra/clock';
import { TransactionRunner } from '../../infra/database/transaction';
import { AppError } from '../../infra/http/app-error';
import { Scope } from '../identity/caller';
import { DutyAccess } from './duty-access';
import { DutyHandover } from './duty-handover.entity';
import { DutyShiftRow } from './duty-shift.entity';
import { DutyViews, shiftView } from './duty-views';
import { CreateDutyHandoverDto, DutyHandoverQueryDto } from './dto/duty.dto';
import { HANDOVER_WINDOW_MS, MAX_SHIFT_MS, SUCCESSOR_GRACE_MS } from './duty.rules';
import { DutyShiftsService } from './shifts.service';

/** How far back the handover lists look (by the end of the shift handed over). */
const LIST_DAYS = 7;

/**
 * `:me` is on duty in the same roster and level as shift `s` when it ends, or comes on within
 * SUCCESSOR_GRACE_MS after: the person (or backup) a handover note of `s` is for.
 */
const SUCCEEDS = `EXISTS (SELECT 1 FROM duty_shift n
  WHERE n.scope_kind = s.scope_kind AND n.scope_id = s.scope_id AND n.level = s.level AND n.cancelled_at IS NULL AND n.id <> s.id
  AND n.starts_at > DATE_SUB(s.ends_at, INTERVAL ${MAX_SHIFT_MS / 1000} SECOND)
  AND n.starts_at <= DATE_ADD(s.ends_at, INTERVAL ${SUCCESSOR_GRACE_MS / 1000} SECOND) AND n.ends_at > s.ends_at
  AND (n.person_id = :me OR n.backup_person_id = :me))`;

/**
 * 交接班: the person going off duty writes a note near the end of their shift; whoever comes on
 * next in the same roster and level reads and acknowledges it.
 */
@Injectable()
export class DutyHandoversService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly access: DutyAccess,
    private readonly views: DutyViews,
    private readonly shifts: DutyShiftsService,
  ) {}

  /**
   * Writes (or, until acknowledged, rewrites) the handover note of one's own shift, from
   * HANDOVER_WINDOW_MS before its end until as long after.
   */
  async write(scope: Scope, input: CreateDutyHandoverDto): Promise<DutyHandoverView> {
    const now = this.clock.now().getTime();
    const shift = await this.shifts.visible(scope, input.shiftId);
    if (shift.personId !== scope.personId) throw new AppError(ErrorCode.Forbidden, '只能为自己的班次填写交接班记录');
    if (shift.cancelledAt) throw new AppError(ErrorCode.ValidationFailed, '班次已取消，不能填写交接班记录');
    const opens = Math.max(shift.startsAt.getTime(), shift.endsAt.getTime() - HANDOVER_WINDOW_MS);
    if (now < opens || now > shift.endsAt.getTime() + HANDOVER_WINDOW_MS) {
      throw new AppError(ErrorCode.ValidationFailed, '交接班记录须在下班前后 2 小时内填写', { fields: [{ field: 'shiftId', reason: '不在交接时间内' }] });
    }
    const handover = await this.transactions.run(async ({ manager }) => {
      const existing = await manager.findOne(DutyHandover, { where: { shiftId: shift.id }, lock: { mode: 'pessimistic_write' } });
      if (existing?.acknowledgedAt) throw new AppError(ErrorCode.AlreadyExists, '接班人已确认该交接，不能再修改');
      if (existing) {
        await manager.update(DutyHandover, { id: existing.id }, { note: input.note, updatedAt: new Date(now) });
        return manager.findOneByOrFail(DutyHandover, { id: existing.id });
      }
      return manager.save(
        manager.create(DutyHandover, {
          shiftId: shift.id,
          fromPersonId: scope.personId,
          note: input.note,
          createdAt: new Date(now),
          updatedAt: new Date(now),
          acknowledgedBy: null,
          acknowledgedAt: null,
        }),
      );
    });
    const [view] = await this.viewsOf(this.transactions.manager, scope.communityId, [handover]);
    return view;
  }

  /** Handovers for me (`mine`), else those of the rosters the caller reads; shifts ended in the last week. */
  async list(scope: Scope, query: DutyHandoverQueryDto): Promise<DutyHandoverView[]> {
    const m = this.transactions.manager;
    const now = this.clock.now();
    if ((query.scopeKind === undefined) !== (query.scopeId === undefined)) {
      throw new AppError(ErrorCode.ValidationFailed, '请同时指定 scopeKind 与 scopeId', { fields: [{ field: 'scopeId', reason: '须与 scopeKind 同时提供' }] });
    }
    const qb = m
      .createQueryBuilder(DutyHandover, 'h')
      .innerJoin(DutyShiftRow, 's', 's.id = h.shift_id')
      .where('s.community_id = :community AND s.ends_at > :since', { community: scope.communityId, since: new Date(now.getTime() - LIST_DAYS * DAY_MS) })
      .orderBy('s.ends_at', 'DESC')
      .addOrderBy('h.id', 'DESC')
      .limit(200);
    if (query.scopeKind !== undefined && query.scopeId !== undefined) {
      await this.access.readable(scope, { scopeKind: query.scopeKind, scopeId: query.scopeId }, m);
      qb.andWhere('s.scope_kind = :kind AND s.scope_id = :sid', { kind: query.scopeKind, sid: query.scopeId });
    }
    if (query.mine) {
      qb.andWhere(SUCCEEDS, { me: scope.personId });
    } else {
      const readable = this.access.readableWhere(await this.access.viewer(scope, m), 's');
      qb.andWhere(readable.sql, readable.params);
    }
    return this.viewsOf(m, scope.communityId, await qb.getMany());
  }

  /** The next person on duty confirms they read the note. Acknowledging twice answers the acknowledged handover. */
  async acknowledge(scope: Scope, id: number): Promise<DutyHandoverView> {
    const now = this.clock.now();
    const handover = await this.transactions.run(async ({ manager }) => {
      const found = await manager
        .createQueryBuilder(DutyHandover, 'h')
        .innerJoin(DutyShiftRow, 's', 's.id = h.shift_id')
        .addSelect(`${SUCCEEDS}`, 'succeeds')
        .setParameters({ me: scope.personId })
        .where('h.id = :id AND s.community_id = :community', { id, community: scope.communityId })
        .setLock('pessimistic_write')
        .getRawAndEntities();
      const handover = found.entities[0];
      if (!handover) throw new AppError(ErrorCode.NotFound, '交接班记录不存在');
      if (handover.acknowledgedAt) return handover;
      if (Number(found.raw[0].succeeds) !== 1) {
        const shift = await manager.findOneByOrFail(DutyShiftRow, { id: handover.shiftId });
        const [target] = await this.access.targets(manager, scope.communityId, [shift]);
        if (!target || !this.access.canRead(await this.access.viewer(scope, manager), target)) throw new AppError(ErrorCode.NotFound, '交接班记录不存在');
        throw new AppError(ErrorCode.Forbidden, '只有接班人可以确认交接');
      }
      await manager.update(DutyHandover, { id }, { acknowledgedBy: scope.personId, acknowledgedAt: now });
      return manager.findOneByOrFail(DutyHandover, { id });
    });
    const [view] = await this.viewsOf(this.transactions.manager, scope.communityId, [handover]);
    return view;
  }

  private async viewsOf(manager: EntityManager, communityId: number, handovers: readonly DutyHandover[]): Promise<DutyHandoverView[]> {
    if (handovers.length === 0) return [];
    const shifts = new Map((await manager.findBy(DutyShiftRow, { id: In(handovers.map((h) => h.shiftId)) })).map((s) => [s.id, s]));
    const names = await this.views.names(
      manager,
      communityId,
      [...handovers.flatMap((h) => [h.fromPersonId, h.acknowledgedBy]), ...[...shifts.values()].flatMap((s) => [s.personId, s.backupPersonId])],
      [...shifts.values()],
    );
    return handovers.map((h) => ({
      id: h.id,
      shift: shiftView(shifts.get(h.shiftId)!, names),
      fromPersonId: h.fromPersonId,
      fromPersonName: names.person(h.fromPersonId),
      note: h.note,
      createdAt: h.createdAt.toISOString(),
      acknowledgedBy: h.acknowledgedBy,
      acknowledgedByName: names.personOrNull(h.acknowledgedBy),
      acknowledgedAt: h.acknowledgedAt?.toISOString() ?? null,
    }));
  }
}
