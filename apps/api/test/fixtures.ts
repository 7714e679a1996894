import { CategoryGroup, CommunityClass, FirmScale, GridStatus, MicrogridKind, Role, SlaCalendarKind } from '@qihu/contracts';
import { DataSource } from 'typeorm';
import { Person } from '../src/modules/identity/person.entity';
import { RoleAssignment } from '../src/modules/identity/role-assignment.entity';
import { Category } from '../src/modules/org/category.entity';
import { Community } from '../src/modules/org/community.entity';
import { Department } from '../src/modules/org/department.entity';
import { demoCreditCode } from '../src/modules/org/demo-seed';
import { FirmPlacement } from '../src/modules/org/firm-placement.entity';
import { Firm } from '../src/modules/org/firm.entity';
import { Grid } from '../src/modules/org/grid.entity';
import { Microgrid } from '../src/modules/org/microgrid.entity';

export interface OtherCommunity {
  communityId: number;
  gridId: number;
  microgridId: number;
  firmId: number;
  departmentId: number;
  categoryId: number;
  /** Role → role assignment id of the person holding it there. */
  assignments: Partial<Record<Role, number>>;
}

/**
 * A second, small community beside the seeded demo one, for access tests: one grid, one
 * micro-grid, one firm, one department and category, and one person in each role.
 */
export async function seedOtherCommunity(db: DataSource, code = '330206101002'): Promise<OtherCommunity> {
  const m = db.manager;
  const at = new Date('2026-01-01T00:00:00Z');
  const { identifiers: [{ id: communityId }] } = await m.insert(Community, { code, name: '邻近工业社区', class: CommunityClass.General, firmBandMin: 20, firmBandMax: 50, createdAt: at });
  const { identifiers: [{ id: gridId }] } = await m.insert(Grid, { communityId, code: `${code}001`, name: '邻社区第一网格', status: GridStatus.Active, createdAt: at, withdrawnAt: null });
  const { identifiers: [{ id: microgridId }] } = await m.insert(Microgrid, { gridId, code: `${code}00101`, name: '邻社区片区1', kind: MicrogridKind.SmallFirms, status: GridStatus.Active, createdAt: at, withdrawnAt: null });
  const { identifiers: [{ id: firmId }] } = await m.insert(Firm, { communityId, name: '邻社区测试制造有限公司', creditCode: demoCreditCode(900), scale: FirmScale.Below, industry: '测试', address: '邻社区路1号', latitude: null, longitude: null, createdAt: at });
  await m.insert(FirmPlacement, { firmId, gridId, microgridId, effectiveFrom: at, effectiveTo: null, reason: '测试' });
  const { identifiers: [{ id: departmentId }] } = await m.insert(Department, { communityId, code: 'economy', name: '邻社区经发办' });
  const { identifiers: [{ id: categoryId }] } = await m.insert(Category, { communityId, code: 'general', name: '综合诉求', group: CategoryGroup.Business, departmentId, ackMinutes: 30, escalateMinutes: 30, resolveMinutes: 1440, confirmHours: 72, calendar: SlaCalendarKind.AlwaysOpen, requiresOnSite: false });
  const scopes: Array<[Role, Partial<RoleAssignment>]> = [
    [Role.CommunityAdmin, {}],
    [Role.GridLeader, { gridId }],
    [Role.GridMember, { gridId }],
    [Role.MicrogridLeader, { microgridId }],
    [Role.FirmContact, { firmId }],
    [Role.Worker, { firmId }],
    [Role.DeptStaff, { departmentId }],
  ];
  const assignments: OtherCommunity['assignments'] = {};
  for (const [i, [role, scope]] of scopes.entries()) {
    const { identifiers: [{ id: personId }] } = await m.insert(Person, { name: `邻社区${i}`, phone: `1370000${String(i).padStart(4, '0')}`, openid: null, unionid: null, createdAt: at, updatedAt: at });
    const { identifiers: [{ id }] } = await m.insert(RoleAssignment, { personId, role, communityId, gridId: null, microgridId: null, firmId: null, departmentId: null, crewId: null, ...scope, createdAt: at, revokedAt: null });
    assignments[role] = id;
  }
  return { communityId, gridId, microgridId, firmId, departmentId, categoryId, assignments };
}
