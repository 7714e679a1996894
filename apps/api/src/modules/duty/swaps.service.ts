import { Injectable } from '@nestjs/common';
import { DUTY_SWAP_STATUS_LABEL, DutyScopeKind, DutySwapStatus, DutySwapView, ErrorCode, Role, ShiftSource } from '@qihu/contracts';
import { Brackets, EntityManager, In } from 'typeorm';
import { ChangeBus, ChangeTopic } from '../../infra/cache/change-bus';
import { Clock } from '../../infra/clock';
import { TransactionRunner } from '../../infra/database/transaction';
import { AppError } from '../../infra/http/app-error';
import { Scope } from '../identity/caller';
import { DutyAccess } from './duty-access';
import { DutyShiftRow } from './duty-shift.entity';
import { DutySwap } from './duty-swap.entity';
import { DutyViews, shiftView } from './duty-views';
import { CreateDutySwapDto, DutySwapQueryDto } from './dto/duty.dto';
import { DutyShiftsService } from './shifts.service';

type Decision = DutySwapStatus.Accepted | DutySwapStatus.Rejected | DutySwapStatus.Cancelled;

/**
 * 换班: the person on a shift asks a colleague to take it, or to exchange it for one of theirs.
 * The colleague accepts or rejects; the roster's manager (the admin, the grid's leader, the
 * department's staff) may decide in their place; the requester may withdraw. Accepting puts the
 * colleague on the shift (and the requester on the colleague's), marked as swapped so that a
 * template edit leaves it alone. Only shifts that have not started change hands.
 */
@Injectable()
export class DutySwapsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly access: DutyAccess,
    private readonly views: DutyViews,
    private readonly shifts: DutyShiftsService,
    private readonly changes: ChangeBus,
  ) {}

  /** Mine (asked by me or of me), plus, for a roster manager, the swaps of the rosters they manage. */
  async list(scope: Scope, query: DutySwapQueryDto): Promise<DutySwapView[]> {
    const m = this.transactions.manager;
    const qb = m
      .createQueryBuilder(DutySwap, 'w')
      .innerJoin(DutyShiftRow, 's', 's.id = w.shift_id')
      .where('w.community_id = :community', { community: scope.communityId })
      .orderBy('w.created_at', 'DESC')
      .addOrderBy('w.id', 'DESC')
      .limit(200);
    if (query.status) qb.andWhere('w.status = :status', { status: query.status });
    const mine = 'w.requester_id = :me OR w.counterpart_id = :me';
    const managerRoles: readonly Role[] = [Role.CommunityAdmin, Role.GridLeader, Role.DeptStaff];
    if (query.mine || !managerRoles.includes(scope.role)) {
      qb.andWhere(`(${mine})`, { me: scope.personId });
    } else if (scope.role !== Role.CommunityAdmin) {
      qb.andWhere(
        new Brackets((w) => {
          w.where(mine, { me: scope.personId });
          if (scope.role === Role.GridLeader) {
            w.orWhere(
              `(s.scope_kind = '${DutyScopeKind.Grid}' AND s.scope_id = :grid) OR (s.scope_kind = '${DutyScopeKind.Microgrid}' AND s.scope_id IN (SELECT sm.id FROM microgrid sm WHERE sm.grid_id = :grid))`,
              { grid: scope.gridId },
            );
          }
          if (scope.role === Role.DeptStaff) w.orWhere(`s.scope_kind = '${DutyScopeKind.Department}' AND s.scope_id = :dept`, { dept: scope.departmentId });
        }),
      );
    }
    return this.viewsOf(m, scope.communityId, await qb.getMany());
  }

  /** Asks for a swap of one's own shift. The same request twice answers the pending one. */
  async request(scope: Scope, input: CreateDutySwapDto): Promise<DutySwapView> {
    const m = this.transactions.manager;
    const now = this.clock.now();
    const shift = await this.shifts.visible(scope, input.shiftId, m);
    if (shift.personId !== scope.personId) throw new AppError(ErrorCode.Forbidden, '只能为自己的班次申请换班');
    assertSwappable(shift, now, 'shiftId');
    if (input.counterpartId === scope.personId) {
      throw new AppError(ErrorCode.ValidationFailed, '不能与自己换班', { fields: [{ field: 'counterpartId', reason: '不能是自己' }] });
    }
    const [target] = await this.access.targets(m, scope.communityId, [shift]);
    await this.access.assertFit(m, target, shift.level, [{ personId: input.counterpartId, field: 'counterpartId' }]);
    const counterpartShiftId = input.counterpartShiftId ?? null;
    if (counterpartShiftId !== null) {
      const theirs = await m.findOneBy(DutyShiftRow, { id: counterpartShiftId, communityId: scope.communityId });
      if (!theirs || theirs.personId !== input.counterpartId) {
        throw new AppError(ErrorCode.ValidationFailed, '对方班次不存在或不是该同事的班次', { fields: [{ field: 'counterpartShiftId', reason: '不是该同事的班次' }] });
      }
      assertSwappable(theirs, now, 'counterpartShiftId');
      const [theirTarget] = await this.access.targets(m, scope.communityId, [theirs]);
      await this.access.assertFit(m, theirTarget, theirs.level, [{ personId: scope.personId, field: 'counterpartShiftId' }]);
    }
    const swap = await this.transactions.run(async ({ manager }) => {
      const pending = await manager.findOneBy(DutySwap, {
        shiftId: shift.id,
        counterpartId: input.counterpartId,
        status: DutySwapStatus.Pending,
      });
      if (pending && pending.counterpartShiftId === counterpartShiftId) return pending;
      return manager.save(
        manager.create(DutySwap, {
          communityId: scope.communityId,
          shiftId: shift.id,
          counterpartShiftId,
          requesterId: scope.personId,
          counterpartId: input.counterpartId,
          status: DutySwapStatus.Pending,
          note: input.note ?? '',
          decidedBy: null,
          decidedAt: null,
          createdAt: now,
        }),
      );
    });
    return this.view(swap);
  }

  accept(scope: Scope, id: number): Promise<DutySwapView> {
    return this.decide(scope, id, DutySwapStatus.Accepted);
  }

  reject(scope: Scope, id: number): Promise<DutySwapView> {
    return this.decide(scope, id, DutySwapStatus.Rejected);
  }

  cancel(scope: Scope, id: number): Promise<DutySwapView> {
    return this.decide(scope, id, DutySwapStatus.Cancelled);
  }

  /**
   * The counterpart (or the roster's manager) accepts or rejects; the requester withdraws.
   * Deciding the same way twice answers the decided swap; deciding a decided swap otherwise is 409.
   */
  private async decide(scope: Scope, id: number, decision: Decision): Promise<DutySwapView> {
    const now = this.clock.now();
    const swap = await this.transactions.run(async ({ manager, afterCommit }) => {
      afterCommit(async () => this.changes.publish(ChangeTopic.DutyRosters, scope.communityId));
      const swap = await manager.findOne(DutySwap, { where: { id, communityId: scope.communityId }, lock: { mode: 'pessimistic_write' } });
      if (!swap) throw new AppError(ErrorCode.DutySwapNotFound);
      await this.assertMayDecide(manager, scope, swap, decision);
      if (swap.status === decision) return swap;
      if (swap.status !== DutySwapStatus.Pending) throw new AppError(ErrorCode.DutySwapNotPending, `该换班申请${DUTY_SWAP_STATUS_LABEL[swap.status]}，不能再处理`);
      if (decision === DutySwapStatus.Accepted) await this.apply(manager, swap, now);
      await manager.update(DutySwap, { id }, { status: decision, decidedBy: scope.personId, decidedAt: now });
      return manager.findOneByOrFail(DutySwap, { id });
    });
    return this.view(swap);
  }

  private async assertMayDecide(manager: EntityManager, scope: Scope, swap: DutySwap, decision: Decision): Promise<void> {
    const isRequester = swap.requesterId === scope.personId;
    if (decision === DutySwapStatus.Cancelled) {
      if (isRequester) return;
    } else {
      if (swap.counterpartId === scope.personId) return;
      const shift = await manager.findOneByOrFail(DutyShiftRow, { id: swap.shiftId });
      const [target] = await this.access.targets(manager, scope.communityId, [shift]);
      if (target && this.access.canManage(scope, target)) return;
      if (!isRequester && !(target && this.access.canRead(await this.access.viewer(scope, manager), target))) throw new AppError(ErrorCode.DutySwapNotFound);
    }
    throw new AppError(ErrorCode.Forbidden, decision === DutySwapStatus.Cancelled ? '只有申请人可以撤回换班申请' : '只有被邀请的同事或值班表管理人可以处理换班申请');
  }

  /** Puts the counterpart on the shift (and the requester on theirs), after checking nothing changed since the request. */
  private async apply(manager: EntityManager, swap: DutySwap, now: Date): Promise<void> {
    const ids = [swap.shiftId, ...(swap.counterpartShiftId ? [swap.counterpartShiftId] : [])];
    const rows = await manager.find(DutyShiftRow, { where: { id: In(ids) }, lock: { mode: 'pessimistic_write' } });
    const shift = rows.find((r) => r.id === swap.shiftId)!;
    const theirs = swap.counterpartShiftId ? rows.find((r) => r.id === swap.counterpartShiftId)! : null;
    if (shift.personId !== swap.requesterId || (theirs && theirs.personId !== swap.counterpartId)) {
      throw new AppError(ErrorCode.ValidationFailed, '班次人员已变动，请重新申请换班');
    }
    assertSwappable(shift, now, 'shiftId');
    if (theirs) assertSwappable(theirs, now, 'counterpartShiftId');
    // Roles may have changed since the request.
    const [target] = await this.access.targets(manager, swap.communityId, [shift]);
    await this.access.assertFit(manager, target, shift.level, [{ personId: swap.counterpartId, field: 'counterpartId' }]);
    await this.handTo(manager, shift, swap.counterpartId);
    if (theirs) {
      const [theirTarget] = await this.access.targets(manager, swap.communityId, [theirs]);
      await this.access.assertFit(manager, theirTarget, theirs.level, [{ personId: swap.requesterId, field: 'requesterId' }]);
      await this.handTo(manager, theirs, swap.requesterId);
    }
  }

  private async handTo(manager: EntityManager, shift: DutyShiftRow, personId: number): Promise<void> {
    await manager.update(
      DutyShiftRow,
      { id: shift.id },
      { personId, source: ShiftSource.Swap, backupPersonId: shift.backupPersonId === personId ? null : shift.backupPersonId },
    );
  }

  private async view(swap: DutySwap): Promise<DutySwapView> {
    const [view] = await this.viewsOf(this.transactions.manager, swap.communityId, [swap]);
    return view;
  }

  private async viewsOf(manager: EntityManager, communityId: number, swaps: readonly DutySwap[]): Promise<DutySwapView[]> {
    if (swaps.length === 0) return [];
    const shiftIds = [...new Set(swaps.flatMap((w) => [w.shiftId, ...(w.counterpartShiftId ? [w.counterpartShiftId] : [])]))];
    const shifts = new Map((await manager.findBy(DutyShiftRow, { id: In(shiftIds) })).map((s) => [s.id, s]));
    const names = await this.views.names(
      manager,
      communityId,
      [...swaps.flatMap((w) => [w.requesterId, w.counterpartId]), ...[...shifts.values()].flatMap((s) => [s.personId, s.backupPersonId])],
      [...shifts.values()],
    );
    return swaps.map((w) => ({
      id: w.id,
      status: w.status,
      statusLabel: DUTY_SWAP_STATUS_LABEL[w.status],
      shift: shiftView(shifts.get(w.shiftId)!, names),
      requesterId: w.requesterId,
      requesterName: names.person(w.requesterId),
      counterpartId: w.counterpartId,
      counterpartName: names.person(w.counterpartId),
      counterpartShift: w.counterpartShiftId ? shiftView(shifts.get(w.counterpartShiftId)!, names) : null,
      note: w.note,
      decidedBy: w.decidedBy,
      decidedAt: w.decidedAt?.toISOString() ?? null,
      createdAt: w.createdAt.toISOString(),
    }));
  }
}

/** Only a live shift that has not started changes hands. */
function assertSwappable(shift: DutyShiftRow, now: Date, field: string): void {
  if (shift.cancelledAt) throw new AppError(ErrorCode.ValidationFailed, '班次已取消，不能换班', { fields: [{ field, reason: '班次已取消' }] });
  if (shift.startsAt <= now) throw new AppError(ErrorCode.ValidationFailed, '班次已开始，不能换班', { fields: [{ field, reason: '班次已开始' }] });
}
