import { FirmScale, MicrogridKind, OrgWarning, OrgWarningCode, Role, ROLE_LABEL } from '@qihu/contracts';

/** Firms per small-firm micro-grid (多企一格): domain.md, 2–5. */
export const SMALL_FIRM_MICROGRID_BAND = { min: 2, max: 5 } as const;
/** Micro-grid leaders per micro-grid: domain.md, 2. */
export const MICROGRID_LEADERS = 2;
/** The "1+3" of 1+3+N: every grid needs at least one of each. */
export const GRID_CORE_STAFF: readonly Role[] = [Role.GridLeader, Role.GridMember, Role.GridPartTime, Role.GridInstructor];

/** The organisation as it stands now: active grids and micro-grids, current placements, active roles. */
export interface OrgSnapshot {
  band: { min: number; max: number };
  grids: ReadonlyArray<{ id: number; code: string; name: string }>;
  microgrids: ReadonlyArray<{ id: number; gridId: number; code: string; name: string; kind: MicrogridKind }>;
  /** Each firm where it is placed now. */
  firms: ReadonlyArray<{ id: number; name: string; scale: FirmScale; gridId: number; microgridId: number }>;
  /** Active grid-scoped and micro-grid-scoped role assignments. */
  roles: ReadonlyArray<{ personId: number; role: Role; gridId: number | null; microgridId: number | null }>;
}

/**
 * The staffing and sizing rules of domain.md, as warnings (never refusals). Ordered by grid
 * code, then: the grid's size and staff, then each micro-grid (by code) with its size, leaders
 * and above-scale firms, so a list is stable enough to compare.
 */
export function orgWarnings(org: OrgSnapshot): OrgWarning[] {
  const firmsByGrid = groupBy(org.firms, (f) => f.gridId);
  const firmsByMicrogrid = groupBy(org.firms, (f) => f.microgridId);
  const microgridsByGrid = groupBy(org.microgrids, (m) => m.gridId);
  const warnings: OrgWarning[] = [];

  for (const grid of [...org.grids].sort(byCode)) {
    const gridCode = grid.code;
    const firmCount = firmsByGrid.get(grid.id)?.length ?? 0;
    if (firmCount < org.band.min || firmCount > org.band.max) {
      warnings.push({
        code: OrgWarningCode.GridFirmCountOutOfBand,
        message: `网格「${grid.name}」现有 ${firmCount} 家企业，${firmCount < org.band.min ? '少于' : '多于'}社区设定的 ${org.band.min}–${org.band.max} 家`,
        gridCode,
      });
    }

    const staff = new Set(org.roles.filter((r) => r.gridId === grid.id).map((r) => r.role));
    const missing = GRID_CORE_STAFF.filter((role) => !staff.has(role));
    if (missing.length > 0) {
      warnings.push({
        code: OrgWarningCode.GridStaffIncomplete,
        message: `网格「${grid.name}」缺少${missing.map((r) => ROLE_LABEL[r]).join('、')}（应配齐 1+3 力量）`,
        gridCode,
      });
    }

    for (const mg of [...(microgridsByGrid.get(grid.id) ?? [])].sort(byCode)) {
      const where = { gridCode, microgridCode: mg.code };
      const firms = firmsByMicrogrid.get(mg.id) ?? [];
      if (mg.kind === MicrogridKind.SmallFirms && (firms.length < SMALL_FIRM_MICROGRID_BAND.min || firms.length > SMALL_FIRM_MICROGRID_BAND.max)) {
        warnings.push({
          code: OrgWarningCode.SmallFirmMicrogridOutOfBand,
          message: `微网格「${mg.name}」现有 ${firms.length} 家企业，多企一格宜为 ${SMALL_FIRM_MICROGRID_BAND.min}–${SMALL_FIRM_MICROGRID_BAND.max} 家`,
          ...where,
        });
      }

      const leaders = new Set(org.roles.filter((r) => r.role === Role.MicrogridLeader && r.microgridId === mg.id).map((r) => r.personId)).size;
      if (leaders !== MICROGRID_LEADERS) {
        warnings.push({
          code: OrgWarningCode.MicrogridLeadersMissing,
          message: `微网格「${mg.name}」现有 ${leaders} 名微网格长，应为 ${MICROGRID_LEADERS} 名`,
          ...where,
        });
      }

      for (const firm of [...firms].sort((a, b) => a.id - b.id)) {
        if (firm.scale !== FirmScale.Above) continue;
        const others = firms.length - 1;
        if (others > 0) {
          warnings.push({
            code: OrgWarningCode.LargeFirmSharesMicrogrid,
            message: `规上企业「${firm.name}」与其他 ${others} 家企业同在微网格「${mg.name}」，宜一企一格`,
            ...where,
            firmId: firm.id,
          });
        } else if (mg.kind !== MicrogridKind.SingleFirm) {
          warnings.push({
            code: OrgWarningCode.LargeFirmSharesMicrogrid,
            message: `规上企业「${firm.name}」所在微网格「${mg.name}」不是一企一格`,
            ...where,
            firmId: firm.id,
          });
        }
      }
    }
  }
  return warnings;
}

function groupBy<T, K>(items: ReadonlyArray<T>, key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function byCode(a: { code: string }, b: { code: string }): number {
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}
