import { Role } from '@qihu/contracts';
import { Scope } from '../identity/caller';

/** How far a role sees into the community's firms (and their tickets). */
export type Reach = 'community' | 'grid' | 'microgrid' | 'firm';

export function reachOf(scope: Scope): Reach {
  switch (scope.role) {
    case Role.CommunityAdmin:
    case Role.DeptStaff:
    case Role.CrewMember:
    case Role.System:
      return 'community';
    case Role.GridMember:
    case Role.GridPartTime:
    case Role.GridLeader:
    case Role.GridInstructor:
      return 'grid';
    case Role.MicrogridLeader:
      return 'microgrid';
    case Role.FirmContact:
    case Role.Worker:
      return 'firm';
    default: {
      const unknown: never = scope.role;
      throw new Error(`role without a reach: ${String(unknown)}`);
    }
  }
}
