import { Role } from '@qihu/contracts';

/**
 * Where the caller's active role applies. Every query that reads or writes community data
 * takes one of these (never a bare id), so forgetting the scope check does not compile.
 */
export interface Scope {
  readonly personId: number;
  readonly role: Role;
  readonly communityId: number;
  readonly gridId: number | null;
  readonly microgridId: number | null;
  readonly firmId: number | null;
  readonly departmentId: number | null;
  readonly crewId: number | null;
}

/** Who is calling: the person, and the role (with its scope) they act in now, if any. */
export interface Caller {
  readonly personId: number;
  readonly roleAssignmentId: number | null;
  readonly scope: Scope | null;
}

/** Every role a person can hold (System is the SLA clock, never a caller). */
export const PERSON_ROLES: readonly Role[] = Object.values(Role).filter((r) => r !== Role.System);

export const GRID_ROLES: readonly Role[] = [Role.GridMember, Role.GridPartTime, Role.GridLeader, Role.GridInstructor];
export const FIRM_ROLES: readonly Role[] = [Role.FirmContact, Role.Worker];

/** Community staff: grid staff, micro-grid leaders, departments and the admin (not firms, not crews). */
export const STAFF_ROLES: readonly Role[] = PERSON_ROLES.filter((r) => !FIRM_ROLES.includes(r) && r !== Role.CrewMember);

/** Which scope ids each role's assignment must carry (the others must be empty). */
export const ROLE_SCOPE_FIELDS: Record<Exclude<Role, Role.System>, ReadonlyArray<'gridId' | 'microgridId' | 'firmId' | 'departmentId' | 'crewId'>> = {
  [Role.FirmContact]: ['firmId'],
  [Role.Worker]: ['firmId'],
  [Role.GridMember]: ['gridId'],
  [Role.GridPartTime]: ['gridId'],
  [Role.GridLeader]: ['gridId'],
  [Role.GridInstructor]: ['gridId'],
  [Role.MicrogridLeader]: ['microgridId'],
  [Role.CrewMember]: ['crewId'],
  [Role.DeptStaff]: ['departmentId'],
  [Role.CommunityAdmin]: [],
};
