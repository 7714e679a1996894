import { Injectable } from '@nestjs/common';
import { DutyShiftView, DutySwapStatus, ErrorCode, ShiftSource } from '@qihu/contracts';
import { DAY_MS, Interval, MINUTE_MS } from '@qihu/domain';
import { EntityManager, In } from 'typeorm';
import { ChangeBus, ChangeTopic } from '../../infra/cache/change-bus';
import { Clock } from '../../infra/clock';
import { TransactionRunner } from '../../infra/database/transaction';
import { AppError } from '../../infra/http/app-error';
import { Scope } from '../identity/caller';
import { DutyAccess, DutyTarget } from './duty-access';
import { DutyShiftRow } from './duty-shift.entity';
import { DutySwap } from './duty-swap.entity';
import { DutyViews } from './duty-views';
import { CreateDutyShiftDto, DutyShiftQueryDto } from './dto/duty.dto';
import { MAX_SHIFT_MS, subtractIntervals } from './duty.rules';

/** Longest window one shift list covers. */
const MAX_LIST_WINDOW_MS = 62 * DAY_MS;
const DEFAULT_LIST_WINDOW_MS = 7 * DAY_MS;
/** An override may start this little in the past (the phone's clock, the tap before "now"). */
const OVERRIDE_START_GRACE_MS = 5 * MINUTE_MS;
const LIST_LIMIT = 2000;

/**
 * Shifts: listing in the caller's reach, manual shifts (added beside whoever is on duty),
 * overrides (替班: replace whoever is on duty over an interval, cutting their shifts around it)
 * and cancelling. Past shifts are never rewritten.
 */
@Injectable()
export class DutyShiftsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly access: DutyAccess,
    private readonly views: DutyViews,
    private readonly changes: ChangeBus,
  ) {}

  async list(scope: Scope, query: DutyShiftQueryDto): Promise<DutyShiftView[]> {
    const m = this.transactions.manager;
    const from = query.from ? new Date(query.from) : this.clock.now();
    const to = query.to ? new Date(query.to) : new Date(from.getTime() + DEFAULT_LIST_WINDOW_MS);
    if (to <= from || to.getTime() - from.getTime() > MAX_LIST_WINDOW_MS) {
      throw new AppError(ErrorCode.ValidationFailed, '时间窗须结束晚于开始，且不超过 62 天', { fields: [{ field: 'to', reason: '须晚于 from，且不超过 62 天' }] });
    }
    if ((query.scopeKind === undefined) !== (query.scopeId === undefined)) {
      throw new AppError(ErrorCode.ValidationFailed, '请同时指定 scopeKind 与 scopeId', { fields: [{ field: 'scopeId', reason: '须与 scopeKind 同时提供' }] });
    }
    const qb = m
      .createQueryBuilder(DutyShiftRow, 's')
      .where('s.starts_at < :to AND s.ends_at > :from', { from, to })
      // Shifts last at most a week: this bound keeps the scan on the start-time index.
      .andWhere('s.starts_at > :earliest', { earliest: new Date(from.getTime() - MAX_SHIFT_MS) })
      .orderBy('s.starts_at', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .take(LIST_LIMIT);
    if (!query.includeCancelled) qb.andWhere('s.cancelled_at IS NULL');
    if (query.level !== undefined) qb.andWhere('s.level = :level', { level: query.level });
    if (query.scopeKind !== undefined && query.scopeId !== undefined) {
      await this.access.readable(scope, { scopeKind: query.scopeKind, scopeId: query.scopeId }, m);
      qb.andWhere('s.scope_kind = :kind AND s.scope_id = :sid', { kind: query.scopeKind, sid: query.scopeId });
    }
    if (query.mine) {
      qb.andWhere('s.community_id = :community AND (s.person_id = :me OR s.backup_person_id = :me)', { community: scope.communityId, me: scope.personId });
    } else {
      const readable = this.access.readableWhere(await this.access.viewer(scope, m), 's');
      qb.andWhere(readable.sql, readable.params);
    }
    return this.views.shifts(m, scope.communityId, await qb.getMany());
  }

  /** A shift added beside whoever else is on duty. The same shift sent twice answers the first. */
  async createManual(scope: Scope, input: CreateDutyShiftDto): Promise<DutyShiftView> {
    const { target, interval } = await this.checkNewShift(scope, input);
    const row = await this.transactions.run(async ({ manager, afterCommit }) => {
      afterCommit(async () => this.changes.publish(ChangeTopic.DutyRosters, scope.communityId));
      const same = await this.sameLiveShift(manager, target, input, interval, ShiftSource.Manual);
      if (same) return same;
      return this.insert(manager, target, input, interval, ShiftSource.Manual, scope.personId);
    });
    return this.views.shift(this.transactions.manager, row);
  }

  /**
   * 替班: `input.personId` is on duty over [startsAt, endsAt) instead of whoever was. Shifts of
   * the scope and level overlapping it are cut: a shift inside is cancelled, one across either
   * end is trimmed, one around it is split in two. Template materialisation later leaves the
   * interval alone. The same override sent twice answers the first.
   */
  async createOverride(scope: Scope, input: CreateDutyShiftDto): Promise<DutyShiftView> {
    const now = this.clock.now();
    const { target, interval } = await this.checkNewShift(scope, input);
    if (interval.start < now.getTime() - OVERRIDE_START_GRACE_MS) {
      throw new AppError(ErrorCode.ValidationFailed, '替班开始时间不能早于当前时间', { fields: [{ field: 'startsAt', reason: '不能早于当前时间' }] });
    }
    const row = await this.transactions.run(async ({ manager, afterCommit }) => {
      afterCommit(async () => this.changes.publish(ChangeTopic.DutyRosters, scope.communityId));
      // The template's lock orders this against materialisation of the same roster.
      await manager.query('SELECT id FROM duty_template WHERE scope_kind = ? AND scope_id = ? AND level = ? AND deleted_at IS NULL FOR UPDATE', [target.scopeKind, target.scopeId, input.level]);
      const same = await this.sameLiveShift(manager, target, input, interval, ShiftSource.Override);
      if (same) return same;
      const overlapping = await manager
        .createQueryBuilder(DutyShiftRow, 's')
        .setLock('pessimistic_write')
        .where('s.scope_kind = :kind AND s.scope_id = :sid AND s.level = :level AND s.cancelled_at IS NULL', { kind: target.scopeKind, sid: target.scopeId, level: input.level })
        .andWhere('s.starts_at > :earliest AND s.starts_at < :end AND s.ends_at > :start', {
          earliest: new Date(interval.start - MAX_SHIFT_MS),
          start: new Date(interval.start),
          end: new Date(interval.end),
        })
        .getMany();
      const cancelled: number[] = [];
      for (const shift of overlapping) {
        const [first, second] = subtractIntervals({ start: shift.startsAt.getTime(), end: shift.endsAt.getTime() }, [interval]);
        if (!first) {
          cancelled.push(shift.id);
          continue;
        }
        await manager.update(DutyShiftRow, { id: shift.id }, { startsAt: new Date(first.start), endsAt: new Date(first.end) });
        if (second) {
          await manager.insert(DutyShiftRow, { ...shift, id: undefined, startsAt: new Date(second.start), endsAt: new Date(second.end), createdAt: now });
        }
      }
      await this.cancel(manager, cancelled, now);
      return this.insert(manager, target, input, interval, ShiftSource.Override, scope.personId);
    });
    return this.views.shift(this.transactions.manager, row);
  }

  /**
   * Cancels a shift that has not started; one already running ends now (its past stays).
   * Cancelling twice answers the cancelled shift.
   */
  async cancelShift(scope: Scope, id: number): Promise<DutyShiftView> {
    const now = this.clock.now();
    const row = await this.transactions.run(async ({ manager, afterCommit }) => {
      afterCommit(async () => this.changes.publish(ChangeTopic.DutyRosters, scope.communityId));
      const shift = await this.visible(scope, id, manager, true);
      await this.access.manageable(scope, shift, manager);
      if (shift.cancelledAt) return shift;
      if (shift.endsAt <= now) throw new AppError(ErrorCode.ValidationFailed, '班次已结束，不能取消');
      if (shift.startsAt < now) {
        await manager.update(DutyShiftRow, { id }, { endsAt: now });
        await this.cancelPendingSwaps(manager, [id], now);
      } else {
        await this.cancel(manager, [id], now);
      }
      return manager.findOneByOrFail(DutyShiftRow, { id });
    });
    return this.views.shift(this.transactions.manager, row);
  }

  /** A shift of the caller's community that they can read (or that is theirs), else 404. */
  async visible(scope: Scope, id: number, manager: EntityManager = this.transactions.manager, lock = false): Promise<DutyShiftRow> {
    const shift = await manager.findOne(DutyShiftRow, { where: { id, communityId: scope.communityId }, lock: lock ? { mode: 'pessimistic_write' } : undefined });
    if (!shift) throw new AppError(ErrorCode.ShiftNotFound);
    if (shift.personId === scope.personId || shift.backupPersonId === scope.personId) return shift;
    const [target] = await this.access.targets(manager, scope.communityId, [shift]);
    if (!target || !this.access.canRead(await this.access.viewer(scope, manager), target)) throw new AppError(ErrorCode.ShiftNotFound);
    return shift;
  }

  /** Cancels shifts (not yet started) and the pending swaps that named them. */
  async cancel(manager: EntityManager, ids: readonly number[], now: Date): Promise<void> {
    if (ids.length === 0) return;
    await manager.update(DutyShiftRow, { id: In([...ids]) }, { cancelledAt: now });
    await this.cancelPendingSwaps(manager, ids, now);
  }

  private async cancelPendingSwaps(manager: EntityManager, shiftIds: readonly number[], now: Date): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(DutySwap)
      .set({ status: DutySwapStatus.Cancelled, decidedAt: now })
      .where('status = :pending AND (shift_id IN (:...ids) OR counterpart_shift_id IN (:...ids))', { pending: DutySwapStatus.Pending, ids: [...shiftIds] })
      .execute();
  }

  /** The checks every new shift passes: a roster the caller manages, a level of it, a sane interval, people who fit. */
  private async checkNewShift(scope: Scope, input: CreateDutyShiftDto): Promise<{ target: DutyTarget; interval: Interval }> {
    const m = this.transactions.manager;
    const target = await this.access.manageable(scope, input, m);
    if (!target.active) throw new AppError(ErrorCode.ValidationFailed, `${target.name}已撤销，不能排班`);
    this.access.assertLevel(target, input.level);
    const interval = { start: new Date(input.startsAt).getTime(), end: new Date(input.endsAt).getTime() };
    if (interval.end <= interval.start) {
      throw new AppError(ErrorCode.ValidationFailed, '结束时间须晚于开始时间', { fields: [{ field: 'endsAt', reason: '须晚于开始时间' }] });
    }
    if (interval.end - interval.start > MAX_SHIFT_MS) {
      throw new AppError(ErrorCode.ValidationFailed, '一个班次最长 7 天', { fields: [{ field: 'endsAt', reason: '班次最长 7 天' }] });
    }
    if (interval.end <= this.clock.now().getTime()) {
      throw new AppError(ErrorCode.ValidationFailed, '不能安排已结束的班次', { fields: [{ field: 'endsAt', reason: '须晚于当前时间' }] });
    }
    const backup = input.backupPersonId ?? null;
    if (backup === input.personId) {
      throw new AppError(ErrorCode.ValidationFailed, '备班人员不能与值班人员相同', { fields: [{ field: 'backupPersonId', reason: '不能与值班人员相同' }] });
    }
    await this.access.assertFit(m, target, input.level, [
      { personId: input.personId, field: 'personId' },
      ...(backup === null ? [] : [{ personId: backup, field: 'backupPersonId' }]),
    ]);
    return { target, interval };
  }

  private sameLiveShift(manager: EntityManager, target: DutyTarget, input: CreateDutyShiftDto, interval: Interval, source: ShiftSource): Promise<DutyShiftRow | null> {
    return manager
      .createQueryBuilder(DutyShiftRow, 's')
      .where('s.scope_kind = :kind AND s.scope_id = :sid AND s.level = :level AND s.cancelled_at IS NULL', { kind: target.scopeKind, sid: target.scopeId, level: input.level })
      .andWhere('s.starts_at = :start AND s.ends_at = :end AND s.person_id = :person AND s.source = :source', {
        start: new Date(interval.start),
        end: new Date(interval.end),
        person: input.personId,
        source,
      })
      .getOne();
  }

  private async insert(manager: EntityManager, target: DutyTarget, input: CreateDutyShiftDto, interval: Interval, source: ShiftSource, createdBy: number): Promise<DutyShiftRow> {
    const row = manager.create(DutyShiftRow, {
      communityId: target.communityId,
      scopeKind: target.scopeKind,
      scopeId: target.scopeId,
      level: input.level,
      personId: input.personId,
      backupPersonId: input.backupPersonId ?? null,
      startsAt: new Date(interval.start),
      endsAt: new Date(interval.end),
      source,
      templateId: null,
      note: input.note ?? '',
      createdBy,
      createdAt: this.clock.now(),
      cancelledAt: null,
    });
    return manager.save(row);
  }
}
