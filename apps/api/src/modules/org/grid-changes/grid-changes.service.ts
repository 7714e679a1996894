import { Injectable } from '@nestjs/common';
import { ChangeRequestStatus, ErrorCode, GridChangeKind } from '@qihu/contracts';
import { EntityManager } from 'typeorm';
import { ChangeBus, ChangeTopic } from '../../../infra/cache/change-bus';
import { Clock } from '../../../infra/clock';
import { TransactionRunner } from '../../../infra/database/transaction';
import { AppError } from '../../../infra/http/app-error';
import { Scope } from '../../identity/caller';
import { GridChangePayload, GridChangeRequest } from '../grid-change-request.entity';
import { reachOf } from '../visibility';
import { ApprovedGridChangeDto, CreateGridChangeDto, GridChangeRequestViewDto } from './dto/grid-change.dto';
import { GridChangeApplier } from './grid-change.apply';
import { gridsConcerned, planGridChange } from './grid-change.plan';

const KIND_LABEL: Record<GridChangeKind, string> = {
  [GridChangeKind.Split]: '拆分',
  [GridChangeKind.Merge]: '合并',
  [GridChangeKind.Withdraw]: '撤销',
};

/**
 * 网格调整: split, merge and withdraw are requested by the community admin or the grid's leader,
 * and applied only when the admin approves, in one transaction, after checking them again.
 * A grid leader sees only the changes that concern their grid.
 */
@Injectable()
export class GridChangesService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly applier: GridChangeApplier,
    private readonly changes: ChangeBus,
  ) {}

  async request(scope: Scope, input: CreateGridChangeDto): Promise<GridChangeRequestViewDto> {
    const now = this.clock.now();
    const effectiveFrom = input.effectiveFrom ? new Date(input.effectiveFrom) : now;
    if (effectiveFrom < now) {
      throw new AppError(ErrorCode.ValidationFailed, '生效时间不能早于当前时间', { fields: [{ field: 'effectiveFrom', reason: '不能早于当前时间' }] });
    }
    const payload = payloadOf(input);
    // Not another grid's business: 404 as for any grid the caller cannot see.
    if (!this.concerns(scope, payload)) throw new AppError(ErrorCode.GridNotFound);
    await planGridChange(this.transactions.manager, scope.communityId, payload, effectiveFrom);
    const { identifiers } = await this.transactions.manager.insert(GridChangeRequest, {
      communityId: scope.communityId,
      kind: payload.kind,
      status: ChangeRequestStatus.Pending,
      payload,
      reason: input.reason.trim(),
      effectiveFrom,
      requestedBy: scope.personId,
      decidedBy: null,
      decidedAt: null,
      decisionNote: '',
      createdAt: now,
    });
    return this.get(scope, Number(identifiers[0].id));
  }

  async list(scope: Scope, status?: ChangeRequestStatus): Promise<GridChangeRequestViewDto[]> {
    const qb = this.transactions.manager
      .createQueryBuilder(GridChangeRequest, 'r')
      .where('r.community_id = :community', { community: scope.communityId })
      .orderBy('r.id', 'DESC');
    if (status) qb.andWhere('r.status = :status', { status });
    if (reachOf(scope) !== 'community') {
      qb.andWhere(
        "(JSON_EXTRACT(r.payload, '$.gridId') = :grid OR JSON_EXTRACT(r.payload, '$.fromGridId') = :grid OR JSON_EXTRACT(r.payload, '$.intoGridId') = :grid)",
        { grid: scope.gridId },
      );
    }
    return (await qb.getMany()).map(toView);
  }

  async get(scope: Scope, id: number): Promise<GridChangeRequestViewDto> {
    const found = await this.transactions.manager.findOneBy(GridChangeRequest, { id, communityId: scope.communityId });
    if (!found || !this.concerns(scope, found.payload)) throw new AppError(ErrorCode.ChangeRequestNotFound);
    return toView(found);
  }

  /**
   * Applies the change and marks it approved, or changes nothing. The request row is locked
   * first, so of two approvals racing only one applies it; the community row next, so grid and
   * micro-grid codes are numbered by one approval at a time.
   */
  async approve(scope: Scope, id: number): Promise<ApprovedGridChangeDto> {
    return this.transactions.run(async ({ manager, afterCommit }) => {
      // Staff of moved micro-grids get new roles: the guard's and the rosters' caches drop theirs.
      afterCommit(async () => this.changes.publish(ChangeTopic.RoleAssignments));
      const request = await this.lockPending(manager, scope, id);
      await manager.query('SELECT id FROM community WHERE id = ? FOR UPDATE', [scope.communityId]);
      const now = this.clock.now();
      // Approved late, a change takes effect now: firms never move into the past.
      const at = request.effectiveFrom > now ? request.effectiveFrom : now;
      const plan = await planGridChange(manager, scope.communityId, request.payload, at);
      const { outcome, newGridCode } = await this.applier.apply(manager, plan, {
        at,
        now,
        reason: `网格${KIND_LABEL[request.kind]}（调整申请 ${request.id}）`,
      });
      const payload: GridChangePayload =
        request.payload.kind === GridChangeKind.Split && newGridCode !== null
          ? { ...request.payload, newGrid: { ...request.payload.newGrid, code: newGridCode } }
          : request.payload;
      const decided = { status: ChangeRequestStatus.Approved, payload, effectiveFrom: at, decidedBy: scope.personId, decidedAt: now };
      await manager.update(GridChangeRequest, { id }, decided);
      return { ...toView({ ...request, ...decided }), outcome };
    });
  }

  async reject(scope: Scope, id: number, note: string): Promise<GridChangeRequestViewDto> {
    return this.transactions.run(async ({ manager }) => {
      const request = await this.lockPending(manager, scope, id);
      const decided = { status: ChangeRequestStatus.Rejected, decidedBy: scope.personId, decidedAt: this.clock.now(), decisionNote: note.trim() };
      await manager.update(GridChangeRequest, { id }, decided);
      return toView({ ...request, ...decided });
    });
  }

  private async lockPending(manager: EntityManager, scope: Scope, id: number): Promise<GridChangeRequest> {
    const request = await manager.findOne(GridChangeRequest, { where: { id, communityId: scope.communityId }, lock: { mode: 'pessimistic_write' } });
    if (!request) throw new AppError(ErrorCode.ChangeRequestNotFound);
    if (request.status !== ChangeRequestStatus.Pending) throw new AppError(ErrorCode.ChangeRequestNotPending);
    return request;
  }

  private concerns(scope: Scope, payload: GridChangePayload): boolean {
    return reachOf(scope) === 'community' || gridsConcerned(payload).includes(scope.gridId ?? 0);
  }
}

function payloadOf(input: CreateGridChangeDto): GridChangePayload {
  switch (input.kind) {
    case GridChangeKind.Split:
      // The code is given at approval: two pending splits must not both hold the next number.
      return { kind: input.kind, gridId: input.gridId, newGrid: { code: '', name: input.newGridName.trim() }, microgridIds: input.microgridIds };
    case GridChangeKind.Merge:
      return { kind: input.kind, fromGridId: input.fromGridId, intoGridId: input.intoGridId };
    case GridChangeKind.Withdraw:
      return { kind: input.kind, gridId: input.gridId };
  }
}

function toView(r: GridChangeRequest): GridChangeRequestViewDto {
  return {
    id: r.id,
    communityId: r.communityId,
    kind: r.kind,
    status: r.status,
    payload: r.payload,
    reason: r.reason,
    effectiveFrom: r.effectiveFrom.toISOString(),
    requestedBy: r.requestedBy,
    decidedBy: r.decidedBy,
    decidedAt: r.decidedAt?.toISOString() ?? null,
    decisionNote: r.decisionNote,
    createdAt: r.createdAt.toISOString(),
  };
}
