import { Role, ROLE_LABEL, type MeView, type RoleAssignmentView, type Session } from '@qihu/contracts'

export const API = 'http://127.0.0.1:3000/api/v1'

export function roleView(role: Role, overrides: Partial<RoleAssignmentView> = {}): RoleAssignmentView {
  return {
    id: 1,
    role,
    roleLabel: ROLE_LABEL[role],
    scopeLabel: `宁波恒达精密机械有限公司 · ${ROLE_LABEL[role]}`,
    communityId: 1,
    gridId: null,
    microgridId: null,
    firmId: null,
    departmentId: null,
    crewId: null,
    ...overrides,
  }
}

export const FIRM_CONTACT = roleView(Role.FirmContact, { id: 21, firmId: 11 })
export const GRID_LEADER = roleView(Role.GridLeader, { id: 22, gridId: 2, scopeLabel: '第一网格 · 网格长' })

export function meView(roles: RoleAssignmentView[], overrides: Partial<MeView> = {}): MeView {
  return {
    id: 5,
    name: '王经理',
    phone: '13900000042',
    linked: true,
    roles,
    activeRole: roles[0] ?? null,
    needsPhone: false,
    ...overrides,
  }
}

export function session(me: MeView, n = 1): Session {
  return { accessToken: `access-${n}`, expiresIn: 900, refreshToken: `refresh-${n}`, me }
}

export type Reply = { statusCode: number; data?: unknown }
export type RequestOptions = { url: string; method: string; data?: any; header: Record<string, string> }
