/** The roles of domain.md; stored as these strings: do not rename. */
export enum Role {
  FirmContact = 'firm_contact', // 企业联系人
  Worker = 'worker', // 职工
  GridMember = 'grid_member', // 专职网格员
  GridPartTime = 'grid_parttime', // 兼职网格员
  GridLeader = 'grid_leader', // 网格长
  GridInstructor = 'grid_instructor', // 网格指导员
  MicrogridLeader = 'microgrid_leader', // 微网格长
  CrewMember = 'crew_member', // 维修人员
  DeptStaff = 'dept_staff', // 部门工作人员
  CommunityAdmin = 'community_admin', // 社区管理员
  System = 'system', // the SLA clock and other automatic actors
}

export const ROLE_LABEL: Record<Role, string> = {
  [Role.FirmContact]: '企业联系人',
  [Role.Worker]: '职工',
  [Role.GridMember]: '专职网格员',
  [Role.GridPartTime]: '兼职网格员',
  [Role.GridLeader]: '网格长',
  [Role.GridInstructor]: '网格指导员',
  [Role.MicrogridLeader]: '微网格长',
  [Role.CrewMember]: '维修人员',
  [Role.DeptStaff]: '部门工作人员',
  [Role.CommunityAdmin]: '社区管理员',
  [Role.System]: '系统',
};
