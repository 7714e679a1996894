import { Role } from '@qihu/contracts';
import { SelectQueryBuilder } from 'typeorm';
import { Scope } from '../identity/caller';
import { reachOf } from '../org/visibility';

/**
 * Who reads machine files: the community admin and crews the whole community (the next crew
 * sees the machine's history), grid staff their grid's or micro-grid's firms, a firm contact
 * their own firm. Workers only scan a label to raise a request; department staff have none.
 */
export const EQUIPMENT_READERS: readonly Role[] = [
  Role.CommunityAdmin,
  Role.CrewMember,
  Role.GridLeader,
  Role.GridMember,
  Role.GridPartTime,
  Role.GridInstructor,
  Role.MicrogridLeader,
  Role.FirmContact,
];

/** Who registers, edits and retires machines: the admin, and a firm contact for their own firm. */
export const EQUIPMENT_MANAGERS: readonly Role[] = [Role.CommunityAdmin, Role.FirmContact];

/** Who may look a scanned code up: every reader, and a worker of the machine's firm. */
export const EQUIPMENT_SCANNERS: readonly Role[] = [...EQUIPMENT_READERS, Role.Worker];

/**
 * Who gets the label images. Not crews: the label's token is what proves a crew stood at the
 * machine (dispatch check-in by scan), so a crew must not be able to download it.
 */
export const LABEL_READERS: readonly Role[] = EQUIPMENT_READERS.filter((r) => r !== Role.CrewMember);

const CURRENT_PLACEMENT = 'fp.firm_id = e.firm_id AND fp.effective_from <= :eqAt AND (fp.effective_to IS NULL OR fp.effective_to > :eqAt)';

/**
 * Limits a query on machines aliased `e` to those the caller reaches, by the firm's placement
 * now (a firm moved to another grid takes its machines along).
 */
export function visibleMachines<T extends object>(qb: SelectQueryBuilder<T>, scope: Scope, at: Date): SelectQueryBuilder<T> {
  qb.andWhere('e.community_id = :eqCommunity', { eqCommunity: scope.communityId });
  switch (reachOf(scope)) {
    case 'community':
      return qb;
    case 'grid':
      return qb.andWhere(`EXISTS (SELECT 1 FROM firm_placement fp WHERE ${CURRENT_PLACEMENT} AND fp.grid_id = :eqGrid)`, { eqAt: at, eqGrid: scope.gridId });
    case 'microgrid':
      return qb.andWhere(`EXISTS (SELECT 1 FROM firm_placement fp WHERE ${CURRENT_PLACEMENT} AND fp.microgrid_id = :eqMg)`, { eqAt: at, eqMg: scope.microgridId });
    case 'firm':
      return qb.andWhere('e.firm_id = :eqFirm', { eqFirm: scope.firmId });
  }
}
