import { Role } from '@qihu/contracts';

/**
 * Who reads the price list and the parts catalogue: every staff role, crew members, and firm
 * contacts (prices are public to the firms served: 五统一). Workers do not order repairs.
 */
export const CATALOGUE_READERS: Role[] = [
  Role.CommunityAdmin,
  Role.GridLeader,
  Role.GridMember,
  Role.GridPartTime,
  Role.GridInstructor,
  Role.MicrogridLeader,
  Role.DeptStaff,
  Role.CrewMember,
  Role.FirmContact,
];

/** Stores: the admin keeps them all; a crew member reads his crew's own. */
export const STOCK_READERS: Role[] = [Role.CommunityAdmin, Role.CrewMember];
