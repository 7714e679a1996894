import { Injectable } from '@nestjs/common';
import { ErrorCode, FirmScale, GridStatus, OrgWarning, Role } from '@qihu/contracts';
import { Brackets } from 'typeorm';
import { Clock } from '../../../infra/clock';
import { TransactionRunner } from '../../../infra/database/transaction';
import { AppError } from '../../../infra/http/app-error';
import { Scope } from '../../identity/caller';
import { RoleAssignment } from '../../identity/role-assignment.entity';
import { Community } from '../community.entity';
import { FirmPlacement } from '../firm-placement.entity';
import { Firm } from '../firm.entity';
import { Grid } from '../grid.entity';
import { Microgrid } from '../microgrid.entity';
import { reachOf } from '../visibility';
import { GRID_CORE_STAFF, OrgSnapshot, orgWarnings } from './org-warning.rules';

/**
 * Loads the organisation in the caller's reach (the community for an admin, their grid for grid
 * staff) in five queries, whatever its size, and applies the rules of org-warning.rules.ts.
 */
@Injectable()
export class OrgWarningsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async warnings(scope: Scope): Promise<OrgWarning[]> {
    return orgWarnings(await this.snapshot(scope));
  }

  private async snapshot(scope: Scope): Promise<OrgSnapshot> {
    const m = this.transactions.manager;
    const community = await m.findOneBy(Community, { id: scope.communityId });
    if (!community) throw new AppError(ErrorCode.CommunityNotFound);

    const gridQuery = m
      .createQueryBuilder(Grid, 'g')
      .where('g.community_id = :community AND g.status = :active', { community: scope.communityId, active: GridStatus.Active });
    if (reachOf(scope) === 'grid') gridQuery.andWhere('g.id = :grid', { grid: scope.gridId });
    const grids = await gridQuery.getMany();
    const band = { min: community.firmBandMin, max: community.firmBandMax };
    if (grids.length === 0) return { band, grids: [], microgrids: [], firms: [], roles: [] };
    const gridIds = grids.map((g) => g.id);

    const microgrids = await m
      .createQueryBuilder(Microgrid, 'mg')
      .where('mg.grid_id IN (:...grids) AND mg.status = :active', { grids: gridIds, active: GridStatus.Active })
      .getMany();
    const microgridIds = microgrids.map((mg) => mg.id);

    const now = this.clock.now();
    const firms = await m
      .createQueryBuilder(FirmPlacement, 'fp')
      .innerJoin(Firm, 'f', 'f.id = fp.firm_id')
      .select(['f.id AS id', 'f.name AS name', 'f.scale AS scale', 'fp.grid_id AS gridId', 'fp.microgrid_id AS microgridId'])
      .where('fp.grid_id IN (:...grids)', { grids: gridIds })
      .andWhere('fp.effective_from <= :now AND (fp.effective_to IS NULL OR fp.effective_to > :now)', { now })
      .getRawMany<{ id: number; name: string; scale: FirmScale; gridId: number; microgridId: number }>();

    const roles = await m
      .createQueryBuilder(RoleAssignment, 'ra')
      .where('ra.community_id = :community AND ra.revoked_at IS NULL', { community: scope.communityId })
      .andWhere(
        new Brackets((w) => {
          w.where('(ra.role IN (:...gridRoles) AND ra.grid_id IN (:...grids))', { gridRoles: GRID_CORE_STAFF, grids: gridIds });
          if (microgridIds.length > 0) {
            w.orWhere('(ra.role = :leader AND ra.microgrid_id IN (:...microgrids))', { leader: Role.MicrogridLeader, microgrids: microgridIds });
          }
        }),
      )
      .getMany();

    return {
      band,
      grids: grids.map((g) => ({ id: g.id, code: g.code, name: g.name })),
      microgrids: microgrids.map((mg) => ({ id: mg.id, gridId: mg.gridId, code: mg.code, name: mg.name, kind: mg.kind })),
      firms: firms.map((f) => ({ id: Number(f.id), name: f.name, scale: f.scale, gridId: Number(f.gridId), microgridId: Number(f.microgridId) })),
      roles: roles.map((r) => ({ personId: r.personId, role: r.role, gridId: r.gridId, microgridId: r.microgridId })),
    };
  }
}
