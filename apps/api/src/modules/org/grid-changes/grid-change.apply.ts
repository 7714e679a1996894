import { Injectable } from '@nestjs/common';
import { GridChangeKind, GridStatus } from '@qihu/contracts';
import { EntityManager, FindOptionsWhere, In, IsNull } from 'typeorm';
import { Person } from '../../identity/person.entity';
import { RoleAssignment } from '../../identity/role-assignment.entity';
import { Community } from '../community.entity';
import { FirmPlacement } from '../firm-placement.entity';
import { Grid } from '../grid.entity';
import { Microgrid } from '../microgrid.entity';
import { OrgService } from '../org.service';
import { ChangedAssignmentDto, GridChangeOutcomeDto, MovedMicrogridDto } from './dto/grid-change.dto';
import { GridChangePlan } from './grid-change.plan';

/** When and why: `at` is when firms change grid, `now` when rows are created and roles revoked. */
export interface ApplyContext {
  at: Date;
  now: Date;
  reason: string;
}

type Assignment = Omit<ChangedAssignmentDto, 'personName'>;

/**
 * Applies a checked change inside the caller's transaction. Nothing is renamed or re-pointed:
 * codes are never reused, so a moved micro-grid is a new row under its new grid and the old one
 * is withdrawn; a firm's placement ends at `at` and a new one starts; a role on a moved
 * micro-grid is revoked and granted again on the new one. Tickets keep the grid they copied
 * when raised, and who held which role when stays readable.
 *
 * Roles and statuses change at approval even when `at` is later (only placements are dated):
 * until then a moved firm is served by the old grid's staff, the micro-grid leaders already
 * hold the new micro-grid.
 */
@Injectable()
export class GridChangeApplier {
  constructor(private readonly org: OrgService) {}

  async apply(m: EntityManager, plan: GridChangePlan, ctx: ApplyContext): Promise<{ outcome: GridChangeOutcomeDto; newGridCode: string | null }> {
    const moved: MovedMicrogridDto[] = [];
    const carried: Assignment[] = [];
    const revoked: Assignment[] = [];
    let firmsMoved = 0;
    const carry = async (microgrids: Microgrid[], into: Grid) => {
      for (const mg of microgrids) {
        const result = await this.carryMicrogrid(m, mg, into, ctx);
        moved.push(result.microgrid);
        carried.push(...result.carried);
        firmsMoved += result.microgrid.firmCount;
      }
    };

    let newGridCode: string | null = null;
    const createdGridIds: number[] = [];
    const withdrawnGridIds: number[] = [];
    const withdrawnMicrogridIds: number[] = [];
    switch (plan.kind) {
      case GridChangeKind.Split: {
        const community = await m.findOneByOrFail(Community, { id: plan.grid.communityId });
        newGridCode = await this.org.nextGridCode(community.code, m);
        const grid = await this.insert(m, Grid, {
          communityId: community.id,
          code: newGridCode,
          name: plan.newGridName,
          status: GridStatus.Active,
          createdAt: ctx.now,
          withdrawnAt: null,
        });
        createdGridIds.push(grid.id);
        await carry(plan.microgrids, grid);
        break;
      }
      case GridChangeKind.Merge:
        await carry(plan.microgrids, plan.into);
        await this.withdrawGrid(m, plan.from, ctx);
        withdrawnGridIds.push(plan.from.id);
        revoked.push(...(await this.revoke(m, { gridId: plan.from.id }, ctx)));
        break;
      case GridChangeKind.Withdraw: {
        const ids = plan.microgrids.map((mg) => mg.id);
        if (ids.length > 0) {
          await m.update(Microgrid, { id: In(ids) }, { status: GridStatus.Withdrawn, withdrawnAt: ctx.at });
          revoked.push(...(await this.revoke(m, { microgridId: In(ids) }, ctx)));
        }
        withdrawnMicrogridIds.push(...ids);
        await this.withdrawGrid(m, plan.grid, ctx);
        withdrawnGridIds.push(plan.grid.id);
        revoked.push(...(await this.revoke(m, { gridId: plan.grid.id }, ctx)));
        break;
      }
    }

    const names = await this.personNames(m, [...carried, ...revoked].map((a) => a.personId));
    const named = (a: Assignment): ChangedAssignmentDto => ({ ...a, personName: names.get(a.personId) ?? '' });
    return {
      newGridCode,
      outcome: {
        createdGridIds,
        withdrawnGridIds,
        microgrids: moved,
        withdrawnMicrogridIds,
        firmsMoved,
        carriedAssignments: carried.map(named),
        revokedAssignments: revoked.map(named),
      },
    };
  }

  /** A new micro-grid (next code under `into`) takes the old one's firms from `at`, and its leaders now. */
  private async carryMicrogrid(m: EntityManager, old: Microgrid, into: Grid, ctx: ApplyContext): Promise<{ microgrid: MovedMicrogridDto; carried: Assignment[] }> {
    const code = await this.org.nextMicrogridCode(into.code, m);
    const created = await this.insert(m, Microgrid, {
      gridId: into.id,
      code,
      name: old.name,
      kind: old.kind,
      status: GridStatus.Active,
      createdAt: ctx.now,
      withdrawnAt: null,
    });
    await m.update(Microgrid, { id: old.id }, { status: GridStatus.Withdrawn, withdrawnAt: ctx.at });
    const firmCount = await this.movePlacements(m, old, created, ctx);

    const carried: Assignment[] = [];
    for (const previous of await this.revoke(m, { microgridId: old.id }, ctx)) {
      const again = await this.insert(m, RoleAssignment, {
        personId: previous.personId,
        role: previous.role,
        communityId: into.communityId,
        gridId: null,
        microgridId: created.id,
        firmId: null,
        departmentId: null,
        crewId: null,
        createdAt: ctx.now,
        revokedAt: null,
      });
      carried.push({ id: again.id, personId: again.personId, role: again.role, gridId: null, microgridId: created.id, replacesId: previous.id });
    }
    return {
      microgrid: { fromId: old.id, fromCode: old.code, id: created.id, code, gridId: into.id, name: old.name, kind: old.kind, firmCount },
      carried,
    };
  }

  /**
   * Every placement in `from` that is in force at `at` ends there and continues in `to`;
   * placements planned to start later are re-pointed (they are not history yet). Unlike
   * OrgService.placeFirm this keeps a firm's later planned moves elsewhere.
   */
  private async movePlacements(m: EntityManager, from: Microgrid, to: Microgrid, ctx: ApplyContext): Promise<number> {
    const staying = () =>
      m
        .createQueryBuilder(FirmPlacement, 'fp')
        .where('fp.microgrid_id = :mg AND (fp.effective_to IS NULL OR fp.effective_to > :at)', { mg: from.id, at: ctx.at })
        .orderBy('fp.firm_id', 'ASC')
        .getMany();
    const firmIds = [...new Set((await staying()).map((p) => p.firmId))];
    if (firmIds.length === 0) return 0;
    // Same lock as placeFirm, in id order; then read again, as a move may have landed meanwhile.
    await m.query(`SELECT id FROM firm WHERE id IN (${firmIds.map(() => '?').join(',')}) ORDER BY id FOR UPDATE`, firmIds);
    const placements = await staying();
    for (const p of placements) {
      if (p.effectiveFrom >= ctx.at) {
        await m.update(FirmPlacement, { id: p.id }, { gridId: to.gridId, microgridId: to.id });
        continue;
      }
      await m.update(FirmPlacement, { id: p.id }, { effectiveTo: ctx.at });
      await m.insert(FirmPlacement, { firmId: p.firmId, gridId: to.gridId, microgridId: to.id, effectiveFrom: ctx.at, effectiveTo: p.effectiveTo, reason: ctx.reason });
    }
    return new Set(placements.map((p) => p.firmId)).size;
  }

  private async withdrawGrid(m: EntityManager, grid: Grid, ctx: ApplyContext): Promise<void> {
    await m.update(Grid, { id: grid.id }, { status: GridStatus.Withdrawn, withdrawnAt: ctx.at });
  }

  /** Revokes the active assignments matching `where` (history stays: rows are never deleted). */
  private async revoke(m: EntityManager, where: FindOptionsWhere<RoleAssignment>, ctx: ApplyContext): Promise<Assignment[]> {
    const active = await m.find(RoleAssignment, { where: { ...where, revokedAt: IsNull() }, order: { id: 'ASC' } });
    if (active.length === 0) return [];
    await m.update(RoleAssignment, { id: In(active.map((a) => a.id)) }, { revokedAt: ctx.now });
    return active.map((a) => ({ id: a.id, personId: a.personId, role: a.role, gridId: a.gridId, microgridId: a.microgridId }));
  }

  private async personNames(m: EntityManager, ids: number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const people = await m.findBy(Person, { id: In([...new Set(ids)]) });
    return new Map(people.map((p) => [p.id, p.name]));
  }

  private async insert<T extends { id: number }>(m: EntityManager, entity: new () => T, values: Omit<T, 'id'>): Promise<T> {
    const { identifiers } = await m.insert(entity, values as never);
    return { ...values, id: Number(identifiers[0].id) } as T;
  }
}
