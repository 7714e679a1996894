import { Injectable } from '@nestjs/common';
import { DutyScopeKind, DutyScopeRef, ERROR_MESSAGE, ErrorCode, EscalationLevel, GridStatus, Role } from '@qihu/contracts';
import { EntityManager } from 'typeorm';
import { TransactionRunner } from '../../infra/database/transaction';
import { AppError } from '../../infra/http/app-error';
import { Scope } from '../identity/caller';
import { dutyLevelLabel, LEVELS_OF_SCOPE } from './duty.rules';
import { fitsRosterSql, fitWords } from './roster-fit';

/** A roster's scope, as found in the caller's community. */
export interface DutyTarget extends DutyScopeRef {
  communityId: number;
  name: string;
  /** The grid of a grid or micro-grid; null for a department or a crew. */
  gridId: number | null;
  active: boolean;
}

/** Roles that have a duty roster to read (the firm side does not). */
export const DUTY_READER_ROLES: readonly Role[] = [
  Role.CommunityAdmin,
  Role.GridLeader,
  Role.GridMember,
  Role.GridPartTime,
  Role.GridInstructor,
  Role.MicrogridLeader,
  Role.DeptStaff,
  Role.CrewMember,
];

/**
 * How far a caller sees into the rosters: the whole community; or one grid (and its micro-grids)
 * plus every department and crew; or, for a crew member, his crew.
 */
export interface DutyViewer {
  scope: Scope;
  communityWide: boolean;
  gridId: number | null;
}

/** A roster the caller cannot read, or that does not exist (which one is not disclosed): 404. */
const NOT_FOUND: Record<DutyScopeKind, () => AppError> = {
  [DutyScopeKind.Grid]: () => new AppError(ErrorCode.GridNotFound),
  [DutyScopeKind.Microgrid]: () => new AppError(ErrorCode.MicrogridNotFound),
  [DutyScopeKind.Department]: () => new AppError(ErrorCode.DepartmentNotFound),
  // CREW_NOT_FOUND is the 422 of a crew named in a request that does not exist (see manageable).
  [DutyScopeKind.Crew]: () => new AppError(ErrorCode.NotFound, ERROR_MESSAGE[ErrorCode.CrewNotFound]),
};

export const scopeKey = (kind: DutyScopeKind, id: number) => `${kind}:${id}`;

/**
 * Who may read and who may manage which roster. Reading: the admin and department staff the
 * whole community; grid staff their grid, its micro-grids, the departments and the crews (they
 * escalate to the one and dispatch to the other); a 微网格长 their micro-grid, its grid, the
 * departments and the crews; a crew member his crew only. Managing: the admin everything, a
 * 网格长 his grid and its micro-grids, department staff their department. A roster the caller
 * cannot read answers 404; one they read but do not manage answers 403.
 */
@Injectable()
export class DutyAccess {
  constructor(private readonly transactions: TransactionRunner) {}

  async viewer(scope: Scope, manager: EntityManager = this.transactions.manager): Promise<DutyViewer> {
    if (scope.role === Role.CommunityAdmin || scope.role === Role.DeptStaff) return { scope, communityWide: true, gridId: null };
    if (scope.role === Role.CrewMember) return { scope, communityWide: false, gridId: null };
    if (scope.role === Role.MicrogridLeader) {
      const [row] = await manager.query('SELECT grid_id AS gridId FROM microgrid WHERE id = ?', [scope.microgridId]);
      return { scope, communityWide: false, gridId: row ? Number(row.gridId) : null };
    }
    return { scope, communityWide: false, gridId: scope.gridId };
  }

  canRead(viewer: DutyViewer, t: DutyTarget): boolean {
    if (t.communityId !== viewer.scope.communityId) return false;
    if (viewer.scope.role === Role.CrewMember) return t.scopeKind === DutyScopeKind.Crew && t.scopeId === viewer.scope.crewId;
    if (viewer.communityWide || t.scopeKind === DutyScopeKind.Department || t.scopeKind === DutyScopeKind.Crew) return true;
    if (viewer.scope.role === Role.MicrogridLeader && t.scopeKind === DutyScopeKind.Microgrid) return t.scopeId === viewer.scope.microgridId;
    return t.gridId !== null && t.gridId === viewer.gridId;
  }

  canManage(scope: Scope, t: DutyTarget): boolean {
    if (t.communityId !== scope.communityId) return false;
    switch (scope.role) {
      case Role.CommunityAdmin:
        return true;
      case Role.GridLeader:
        return (t.scopeKind === DutyScopeKind.Grid || t.scopeKind === DutyScopeKind.Microgrid) && t.gridId === scope.gridId;
      case Role.DeptStaff:
        return t.scopeKind === DutyScopeKind.Department && t.scopeId === scope.departmentId;
      default:
        return false;
    }
  }

  /** A roster's scope the caller may read, else 404 (existence is not disclosed). */
  async readable(scope: Scope, ref: DutyScopeRef, manager: EntityManager = this.transactions.manager): Promise<DutyTarget> {
    const [target] = await this.targets(manager, scope.communityId, [ref]);
    if (!target || !this.canRead(await this.viewer(scope, manager), target)) throw NOT_FOUND[ref.scopeKind]();
    return target;
  }

  /**
   * A roster the caller manages: 404 if they cannot read it, 403 if they only read it. A crew
   * not in the community is 422 CREW_NOT_FOUND, as wherever a crew is named: every roster
   * manager reads every crew of the community, so this discloses nothing.
   */
  async manageable(scope: Scope, ref: DutyScopeRef, manager: EntityManager = this.transactions.manager): Promise<DutyTarget> {
    const [target] = await this.targets(manager, scope.communityId, [ref]);
    if (!target && ref.scopeKind === DutyScopeKind.Crew) throw new AppError(ErrorCode.CrewNotFound);
    if (!target || !this.canRead(await this.viewer(scope, manager), target)) throw NOT_FOUND[ref.scopeKind]();
    if (!this.canManage(scope, target)) throw new AppError(ErrorCode.Forbidden, `无权管理${target.name}的值班表`);
    return target;
  }

  /** Grids, micro-grids, departments and crews of one community by reference, with names. */
  async targets(manager: EntityManager, communityId: number, refs: readonly DutyScopeRef[]): Promise<DutyTarget[]> {
    const ids = (kind: DutyScopeKind) => [...new Set(refs.filter((r) => r.scopeKind === kind).map((r) => r.scopeId))];
    const found = new Map<string, DutyTarget>();
    const grids = ids(DutyScopeKind.Grid);
    if (grids.length) {
      const rows: Array<{ id: number; name: string; status: string }> = await manager.query(
        'SELECT id, name, status FROM grid WHERE community_id = ? AND id IN (?)',
        [communityId, grids],
      );
      for (const r of rows) found.set(scopeKey(DutyScopeKind.Grid, r.id), { scopeKind: DutyScopeKind.Grid, scopeId: r.id, communityId, name: r.name, gridId: r.id, active: r.status === GridStatus.Active });
    }
    const microgrids = ids(DutyScopeKind.Microgrid);
    if (microgrids.length) {
      const rows: Array<{ id: number; name: string; status: string; gridId: number }> = await manager.query(
        'SELECT m.id, m.name, m.status, m.grid_id AS gridId FROM microgrid m JOIN grid g ON g.id = m.grid_id WHERE g.community_id = ? AND m.id IN (?)',
        [communityId, microgrids],
      );
      for (const r of rows) found.set(scopeKey(DutyScopeKind.Microgrid, r.id), { scopeKind: DutyScopeKind.Microgrid, scopeId: r.id, communityId, name: r.name, gridId: r.gridId, active: r.status === GridStatus.Active });
    }
    const departments = ids(DutyScopeKind.Department);
    if (departments.length) {
      const rows: Array<{ id: number; name: string }> = await manager.query('SELECT id, name FROM department WHERE community_id = ? AND id IN (?)', [communityId, departments]);
      for (const r of rows) found.set(scopeKey(DutyScopeKind.Department, r.id), { scopeKind: DutyScopeKind.Department, scopeId: r.id, communityId, name: r.name, gridId: null, active: true });
    }
    const crews = ids(DutyScopeKind.Crew);
    if (crews.length) {
      const rows: Array<{ id: number; name: string }> = await manager.query('SELECT id, name FROM crew WHERE community_id = ? AND id IN (?)', [communityId, crews]);
      for (const r of rows) found.set(scopeKey(DutyScopeKind.Crew, r.id), { scopeKind: DutyScopeKind.Crew, scopeId: r.id, communityId, name: r.name, gridId: null, active: true });
    }
    return refs.map((r) => found.get(scopeKey(r.scopeKind, r.scopeId))).filter((t): t is DutyTarget => t !== undefined);
  }

  /**
   * Query-builder condition (on a table aliased `alias` with scope_kind, scope_id and
   * community_id) for the rosters the viewer may read.
   */
  readableWhere(viewer: DutyViewer, alias: string): { sql: string; params: Record<string, unknown> } {
    const params: Record<string, unknown> = { rvCommunity: viewer.scope.communityId };
    const community = `${alias}.community_id = :rvCommunity`;
    if (viewer.communityWide) return { sql: community, params };
    if (viewer.scope.role === Role.CrewMember) {
      params.rvCrew = viewer.scope.crewId ?? 0;
      return { sql: `${community} AND ${alias}.scope_kind = '${DutyScopeKind.Crew}' AND ${alias}.scope_id = :rvCrew`, params };
    }
    params.rvGrid = viewer.gridId ?? 0;
    const microgrids =
      viewer.scope.role === Role.MicrogridLeader
        ? `${alias}.scope_id = :rvMicrogrid`
        : `${alias}.scope_id IN (SELECT rm.id FROM microgrid rm WHERE rm.grid_id = :rvGrid)`;
    if (viewer.scope.role === Role.MicrogridLeader) params.rvMicrogrid = viewer.scope.microgridId;
    return {
      sql: `${community} AND (${alias}.scope_kind IN ('${DutyScopeKind.Department}', '${DutyScopeKind.Crew}')
        OR (${alias}.scope_kind = '${DutyScopeKind.Grid}' AND ${alias}.scope_id = :rvGrid)
        OR (${alias}.scope_kind = '${DutyScopeKind.Microgrid}' AND ${microgrids}))`,
      params,
    };
  }

  /**
   * The rosters that are the caller's own concern (the coverage report): the admin's whole
   * community (active grids, their micro-grids, departments, crews), a grid's staff that grid and
   * its micro-grids, a 微网格长 that micro-grid and its grid, department staff their department,
   * a crew member his crew.
   */
  async ownTargets(scope: Scope, manager: EntityManager = this.transactions.manager): Promise<DutyTarget[]> {
    const refs: DutyScopeRef[] = [];
    const add = (kind: DutyScopeKind, rows: Array<{ id: number }>) => refs.push(...rows.map((r) => ({ scopeKind: kind, scopeId: Number(r.id) })));
    const gridFilter =
      scope.role === Role.CommunityAdmin ? { sql: '', params: [] as unknown[] }
      : scope.role === Role.MicrogridLeader ? { sql: ' AND g.id = (SELECT grid_id FROM microgrid WHERE id = ?)', params: [scope.microgridId] }
      : scope.role === Role.DeptStaff || scope.role === Role.CrewMember ? null
      : { sql: ' AND g.id = ?', params: [scope.gridId] };
    if (gridFilter) {
      add(DutyScopeKind.Grid, await manager.query(`SELECT g.id FROM grid g WHERE g.community_id = ? AND g.status = ?${gridFilter.sql} ORDER BY g.code`, [scope.communityId, GridStatus.Active, ...gridFilter.params]));
      const mine = scope.role === Role.MicrogridLeader ? { sql: ' AND m.id = ?', params: [scope.microgridId] } : { sql: '', params: [] };
      add(DutyScopeKind.Microgrid, await manager.query(`SELECT m.id FROM microgrid m JOIN grid g ON g.id = m.grid_id WHERE g.community_id = ? AND g.status = ? AND m.status = ?${gridFilter.sql}${mine.sql} ORDER BY m.code`, [scope.communityId, GridStatus.Active, GridStatus.Active, ...gridFilter.params, ...mine.params]));
    }
    if (scope.role === Role.CommunityAdmin || scope.role === Role.DeptStaff) {
      const own = scope.role === Role.DeptStaff ? { sql: ' AND id = ?', params: [scope.departmentId] } : { sql: '', params: [] };
      add(DutyScopeKind.Department, await manager.query(`SELECT id FROM department WHERE community_id = ?${own.sql} ORDER BY code`, [scope.communityId, ...own.params]));
    }
    if (scope.role === Role.CommunityAdmin || scope.role === Role.CrewMember) {
      const own = scope.role === Role.CrewMember ? { sql: ' AND id = ?', params: [scope.crewId] } : { sql: '', params: [] };
      add(DutyScopeKind.Crew, await manager.query(`SELECT id FROM crew WHERE community_id = ?${own.sql} ORDER BY id`, [scope.communityId, ...own.params]));
    }
    return this.targets(manager, scope.communityId, refs);
  }

  /** 400 unless the level belongs to the scope's kind of roster. */
  assertLevel(target: DutyTarget, level: EscalationLevel): void {
    if (!LEVELS_OF_SCOPE[target.scopeKind].includes(level)) {
      const allowed = LEVELS_OF_SCOPE[target.scopeKind].map((l) => `${l}（${dutyLevelLabel(target.scopeKind, l)}）`).join('、');
      throw new AppError(ErrorCode.ValidationFailed, `${target.name}的值班表只有 ${allowed} 级`, { fields: [{ field: 'level', reason: `只能是 ${allowed}` }] });
    }
  }

  /**
   * 400 naming the person unless each person exists and holds a role fitting the scope and
   * level (roster-fit.ts). `fields` names the request field of each person, for the details.
   */
  async assertFit(manager: EntityManager, target: DutyTarget, level: EscalationLevel, people: ReadonlyArray<{ personId: number; field: string }>): Promise<void> {
    if (people.length === 0) return;
    // Only people with a role in this community (now or before) are found: others are not ours to name.
    const rows: Array<{ id: number; name: string; fits: number | string }> = await manager.query(
      `SELECT p.id, p.name, ${fitsRosterSql('p.id', 'k.kind', 'k.scope_id', 'k.level')} AS fits
       FROM person p JOIN (SELECT ? AS kind, ? AS scope_id, ? AS level) k
       WHERE p.id IN (?) AND EXISTS (SELECT 1 FROM role_assignment rc WHERE rc.person_id = p.id AND rc.community_id = ?)`,
      [target.scopeKind, target.scopeId, level, [...new Set(people.map((p) => p.personId))], target.communityId],
    );
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    for (const { personId, field } of people) {
      const row = byId.get(personId);
      if (!row) throw new AppError(ErrorCode.ValidationFailed, `人员 #${personId} 不存在`, { fields: [{ field, reason: '人员不存在' }] });
      if (Number(row.fits) !== 1) {
        const reason = `${row.name} 不是${target.name}的${fitWords(target.scopeKind, level)}，不能排入${dutyLevelLabel(target.scopeKind, level)}值班`;
        throw new AppError(ErrorCode.ValidationFailed, reason, { fields: [{ field, reason }] });
      }
    }
  }
}
