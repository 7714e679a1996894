import { ErrorCode, GridChangeKind, GridStatus } from '@qihu/contracts';
import { EntityManager } from 'typeorm';
import { AppError } from '../../../infra/http/app-error';
import { Community } from '../community.entity';
import { FirmPlacement } from '../firm-placement.entity';
import { GridChangePayload } from '../grid-change-request.entity';
import { Grid } from '../grid.entity';
import { Microgrid } from '../microgrid.entity';

/** Code widths of libs/domain: 3 digits per grid, 2 per micro-grid. */
const MAX_GRID_NUMBER = 999;
const MAX_MICROGRID_NUMBER = 99;

/** A change checked against the organisation as it stands, with the rows it will touch. */
export type GridChangePlan =
  | { kind: GridChangeKind.Split; grid: Grid; newGridName: string; microgrids: Microgrid[] }
  | { kind: GridChangeKind.Merge; from: Grid; into: Grid; microgrids: Microgrid[] }
  | { kind: GridChangeKind.Withdraw; grid: Grid; microgrids: Microgrid[] };

/**
 * Checks a change against the community's grids at `at` (its effective instant): run when it is
 * requested and again, under lock, when it is approved, since the organisation may have moved
 * on in between. Unknown ids (or another community's) are 404; everything else is 400.
 */
export async function planGridChange(m: EntityManager, communityId: number, payload: GridChangePayload, at: Date): Promise<GridChangePlan> {
  switch (payload.kind) {
    case GridChangeKind.Split: {
      const grid = await activeGrid(m, communityId, payload.gridId, 'gridId');
      const own = await m.find(Microgrid, { where: { gridId: grid.id }, order: { code: 'ASC' } });
      const requested = new Set(payload.microgridIds);
      const unknown = payload.microgridIds.filter((id) => !own.some((mg) => mg.id === id));
      if (unknown.length > 0) await refuseForeignMicrogrids(m, communityId, grid, unknown);
      const moving = own.filter((mg) => requested.has(mg.id));
      const withdrawn = moving.find((mg) => mg.status !== GridStatus.Active);
      if (withdrawn) throw invalid('microgridIds', `微网格「${withdrawn.name}」已撤销`);
      if (own.filter((mg) => mg.status === GridStatus.Active).every((mg) => requested.has(mg.id))) {
        throw invalid('microgridIds', `拆分须在「${grid.name}」保留至少一个微网格；整体调整请申请合并`);
      }
      const community = await m.findOneByOrFail(Community, { id: communityId });
      if ((await lastNumber(m, 'grid', community.code)) >= MAX_GRID_NUMBER) throw invalid('gridId', `社区网格编号已用尽（最多 ${MAX_GRID_NUMBER} 个），无法再拆分`);
      return { kind: payload.kind, grid, newGridName: payload.newGrid.name, microgrids: moving };
    }
    case GridChangeKind.Merge: {
      if (payload.fromGridId === payload.intoGridId) throw invalid('intoGridId', '不能将网格并入其自身');
      const from = await activeGrid(m, communityId, payload.fromGridId, 'fromGridId');
      const into = await activeGrid(m, communityId, payload.intoGridId, 'intoGridId');
      const microgrids = await m.find(Microgrid, { where: { gridId: from.id, status: GridStatus.Active }, order: { code: 'ASC' } });
      // A firm still due to sit in a withdrawn micro-grid (an earlier change not yet in force) would be left behind.
      const stranded = await placedFrom(m, from.id, at, microgrids.map((mg) => mg.id));
      if (stranded > 0) throw invalid('fromGridId', `「${from.name}」有 ${stranded} 家企业的调整尚未生效，请待生效后再合并`);
      if ((await lastNumber(m, 'microgrid', into.code)) + microgrids.length > MAX_MICROGRID_NUMBER) {
        throw invalid('intoGridId', `「${into.name}」的微网格编号不足（编号不重复使用，最多 ${MAX_MICROGRID_NUMBER} 个），无法并入 ${microgrids.length} 个微网格`);
      }
      return { kind: payload.kind, from, into, microgrids };
    }
    case GridChangeKind.Withdraw: {
      const grid = await activeGrid(m, communityId, payload.gridId, 'gridId');
      const firms = await placedFrom(m, grid.id, at, []);
      if (firms > 0) {
        throw invalid('gridId', `「${grid.name}」在生效时仍有 ${firms} 家企业，请先将这些企业调整到其他网格，再申请撤销`);
      }
      const microgrids = await m.find(Microgrid, { where: { gridId: grid.id, status: GridStatus.Active }, order: { code: 'ASC' } });
      return { kind: payload.kind, grid, microgrids };
    }
  }
}

/** Which grids a change concerns: a grid leader may ask for, and see, changes of their own grid. */
export function gridsConcerned(payload: GridChangePayload): number[] {
  switch (payload.kind) {
    case GridChangeKind.Split:
    case GridChangeKind.Withdraw:
      return [payload.gridId];
    case GridChangeKind.Merge:
      return [payload.fromGridId, payload.intoGridId];
  }
}

async function activeGrid(m: EntityManager, communityId: number, id: number, field: string): Promise<Grid> {
  const grid = await m.findOneBy(Grid, { id, communityId });
  if (!grid) throw new AppError(ErrorCode.GridNotFound, `网格不存在（编号 ${id}）`);
  if (grid.status !== GridStatus.Active) throw invalid(field, `「${grid.name}」已撤销`);
  return grid;
}

/** Micro-grids not of the grid being split: another grid's is a mistake (400), any other is unknown (404). */
async function refuseForeignMicrogrids(m: EntityManager, communityId: number, grid: Grid, ids: number[]): Promise<never> {
  const found = await m
    .createQueryBuilder(Microgrid, 'mg')
    .innerJoin(Grid, 'g', 'g.id = mg.grid_id')
    .where('mg.id IN (:...ids) AND g.community_id = :community', { ids, community: communityId })
    .getMany();
  const missing = ids.find((id) => !found.some((mg) => mg.id === id));
  if (missing !== undefined) throw new AppError(ErrorCode.MicrogridNotFound, `微网格不存在（编号 ${missing}）`);
  throw invalid('microgridIds', `微网格「${found[0].name}」不属于「${grid.name}」`);
}

/** Firms placed in the grid at `at` or later, outside the given micro-grids. */
async function placedFrom(m: EntityManager, gridId: number, at: Date, exceptMicrogrids: number[]): Promise<number> {
  const qb = m
    .createQueryBuilder(FirmPlacement, 'fp')
    .select('COUNT(DISTINCT fp.firm_id)', 'n')
    .where('fp.grid_id = :grid AND (fp.effective_to IS NULL OR fp.effective_to > :at)', { grid: gridId, at });
  if (exceptMicrogrids.length > 0) qb.andWhere('fp.microgrid_id NOT IN (:...except)', { except: exceptMicrogrids });
  const row = await qb.getRawOne<{ n: number | string }>();
  return Number(row?.n ?? 0);
}

/** The highest number used under a code prefix (withdrawn ones included: codes are never reused). */
async function lastNumber(m: EntityManager, table: 'grid' | 'microgrid', prefix: string): Promise<number> {
  const [row] = await m.query(`SELECT MAX(code) AS code FROM ${table} WHERE code LIKE ?`, [`${prefix}%`]);
  return row?.code ? Number(String(row.code).slice(prefix.length)) : 0;
}

function invalid(field: string, message: string): AppError {
  return new AppError(ErrorCode.ValidationFailed, message, { fields: [{ field, reason: message }] });
}
