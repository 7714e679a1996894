/**
 * Who may hold a scope's duty at a level, as one SQL predicate, so that validating a roster,
 * routing a ticket and reporting coverage all read the same rule, and a person whose role is
 * revoked stops counting as on duty at once (the shifts stay for history):
 *
 * - grid, level 0: a 专职/兼职网格员 of the grid, or a 微网格长 of one of its micro-grids;
 * - grid, level 1: the grid's 网格长;
 * - micro-grid, level 0: its 微网格长, or a 专职/兼职网格员 of its grid;
 * - department, level 2: its 部门工作人员;
 * - crew, level 0: its 维修人员.
 */
import { DutyScopeKind, EscalationLevel, Role } from '@qihu/contracts';

const MEMBER_ROLES = `'${Role.GridMember}', '${Role.GridPartTime}'`;

/**
 * `EXISTS (…)`: the person (a column or derived value) holds a live role fitting the scope and
 * level (also columns). The arguments are SQL expressions written by this module, never input.
 */
export function fitsRosterSql(person: string, kind: string, scopeId: string, level: string): string {
  return `EXISTS (SELECT 1 FROM role_assignment ra LEFT JOIN microgrid ram ON ram.id = ra.microgrid_id
    WHERE ra.person_id = ${person} AND ra.revoked_at IS NULL AND (
      (${kind} = '${DutyScopeKind.Grid}' AND ${level} = ${EscalationLevel.GridMember}
        AND ((ra.role IN (${MEMBER_ROLES}) AND ra.grid_id = ${scopeId}) OR (ra.role = '${Role.MicrogridLeader}' AND ram.grid_id = ${scopeId})))
      OR (${kind} = '${DutyScopeKind.Grid}' AND ${level} = ${EscalationLevel.GridLeader}
        AND ra.role = '${Role.GridLeader}' AND ra.grid_id = ${scopeId})
      OR (${kind} = '${DutyScopeKind.Microgrid}' AND ${level} = ${EscalationLevel.GridMember}
        AND ((ra.role = '${Role.MicrogridLeader}' AND ra.microgrid_id = ${scopeId})
          OR (ra.role IN (${MEMBER_ROLES}) AND ra.grid_id = (SELECT fm.grid_id FROM microgrid fm WHERE fm.id = ${scopeId}))))
      OR (${kind} = '${DutyScopeKind.Department}' AND ${level} = ${EscalationLevel.Department}
        AND ra.role = '${Role.DeptStaff}' AND ra.department_id = ${scopeId})
      OR (${kind} = '${DutyScopeKind.Crew}' AND ${level} = ${EscalationLevel.GridMember}
        AND ra.role = '${Role.CrewMember}' AND ra.crew_id = ${scopeId})))`;
}

/** Who fits, in words for the error message ("… 不是第一网格的{words}"). */
export function fitWords(kind: DutyScopeKind, level: EscalationLevel): string {
  if (kind === DutyScopeKind.Grid) return level === EscalationLevel.GridLeader ? '网格长' : '专职网格员、兼职网格员或微网格长';
  if (kind === DutyScopeKind.Microgrid) return '微网格长或所属网格的网格员';
  if (kind === DutyScopeKind.Crew) return '维修人员';
  return '部门工作人员';
}

/** Columns of a live shift `s` with whether its person and backup still fit its roster. */
export const SHIFT_FIT_COLUMNS = `s.id AS id, s.community_id AS communityId, s.scope_kind AS scopeKind, s.scope_id AS scopeId, s.level AS level,
  s.person_id AS personId, s.backup_person_id AS backupPersonId, s.starts_at AS startsAt, s.ends_at AS endsAt,
  ${fitsRosterSql('s.person_id', 's.scope_kind', 's.scope_id', 's.level')} AS personFits,
  (s.backup_person_id IS NOT NULL AND ${fitsRosterSql('s.backup_person_id', 's.scope_kind', 's.scope_id', 's.level')}) AS backupFits`;

export interface FitShiftRow {
  id: number;
  communityId: number;
  scopeKind: DutyScopeKind;
  scopeId: number;
  level: number;
  personId: number;
  backupPersonId: number | null;
  startsAt: Date;
  endsAt: Date;
  personFits: number | string;
  backupFits: number | string;
}

/** Whoever actually holds a shift: its person and its backup, each while they still fit (primary first). */
export function holdersOf(row: FitShiftRow): number[] {
  const holders: number[] = [];
  if (Number(row.personFits) === 1) holders.push(Number(row.personId));
  if (row.backupPersonId !== null && Number(row.backupFits) === 1) holders.push(Number(row.backupPersonId));
  return holders;
}
