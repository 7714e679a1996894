import {
  CategoryGroup,
  DEADLINE_KIND_LABEL,
  DeadlineKind,
  Role,
  ROLE_LABEL,
  SlaCalendarKind,
  TicketStatus,
  UploadKind,
  Urgency,
  type AttachmentView,
  type CategoryView,
  type IntakeDefaultsView,
  type MeView,
  type RoleAssignmentView,
  type Session,
  type TicketDeadlineView,
  type TicketSummaryView,
  type TicketView,
} from '@qihu/contracts'

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

export const WORKER = roleView(Role.Worker, { id: 30, firmId: 11, scopeLabel: '宁波恒达精密机械有限公司 · 职工' })
export const GRID_MEMBER = roleView(Role.GridMember, { id: 23, gridId: 2, scopeLabel: '第一网格 · 专职网格员' })
export const ADMIN = roleView(Role.CommunityAdmin, { id: 24, scopeLabel: '滨海示范工业社区 · 社区管理员' })

export const DEFAULTS: IntakeDefaultsView = { firmId: 11, firmName: '宁波恒达精密机械有限公司', categoryId: 1, categoryName: '综合诉求' }

export function category(id: number, name: string, group = CategoryGroup.Business): CategoryView {
  return {
    id,
    communityId: 1,
    code: `C${id}`,
    name,
    group,
    departmentId: null,
    ackMinutes: 30,
    escalateMinutes: 30,
    resolveMinutes: 1440,
    confirmHours: 72,
    calendar: SlaCalendarKind.AlwaysOpen,
    requiresOnSite: false,
  }
}

export const CATEGORIES = [category(1, '综合诉求'), category(2, '安全隐患', CategoryGroup.Safety), category(8, '设备故障', CategoryGroup.Equipment)]

export function deadline(remainingMs: number, kind = DeadlineKind.Acknowledge): TicketDeadlineView {
  return { kind, label: DEADLINE_KIND_LABEL[kind], dueAt: new Date(Date.now() + remainingMs).toISOString(), remainingMs }
}

export function ticketView(overrides: Partial<TicketView> = {}): TicketView {
  return {
    id: 7,
    number: 'QH20261123-0001',
    firmId: 11,
    firmName: '宁波恒达精密机械有限公司',
    categoryId: 1,
    categoryName: '综合诉求',
    urgency: Urgency.Normal,
    urgencyLabel: '普通',
    description: '车间配电柜跳闸',
    location: null,
    equipmentCode: null,
    anonymous: false,
    requesterName: '王经理',
    status: TicketStatus.Submitted,
    statusLabel: '待受理',
    level: 0,
    levelLabel: '网格员',
    holder: { personId: 31, name: '张网格', level: 0, levelLabel: '网格员' },
    deadline: deadline(30 * 60_000),
    nextDeadlineAt: null,
    overdue: false,
    supervised: false,
    rating: null,
    ratingComment: null,
    createdAt: '2026-11-23T02:00:00.000Z',
    acknowledgedAt: null,
    checkedInAt: null,
    resolvedAt: null,
    closedAt: null,
    attachments: [],
    events: [
      {
        id: 100,
        type: 'created',
        typeLabel: '提交诉求',
        fromStatus: null,
        toStatus: TicketStatus.Submitted,
        level: 0,
        levelLabel: '网格员',
        actor: Role.FirmContact,
        actorPersonId: 5,
        actorName: '王经理',
        note: null,
        data: null,
        at: '2026-11-23T02:00:00.000Z',
      },
    ],
    actions: [],
    ...overrides,
  }
}

export function summaryView(overrides: Partial<TicketSummaryView> = {}): TicketSummaryView {
  return {
    id: 7,
    number: 'QH20261123-0001',
    firmName: '宁波恒达精密机械有限公司',
    categoryName: '综合诉求',
    urgency: Urgency.Normal,
    urgencyLabel: '普通',
    description: '车间配电柜跳闸',
    status: TicketStatus.Submitted,
    statusLabel: '待受理',
    level: 0,
    levelLabel: '网格员',
    holderName: '张网格',
    deadline: deadline(30 * 60_000),
    overdue: false,
    supervised: false,
    createdAt: '2026-11-23T02:00:00.000Z',
    ...overrides,
  }
}

export function attachment(id: string, kind = UploadKind.Image, eventId: number | null = null): AttachmentView {
  return { id, kind, mime: kind === UploadKind.Image ? 'image/jpeg' : 'audio/aac', size: 1000, url: `/api/v1/uploads/${id}/file?sig=s`, eventId, createdAt: '2026-11-23T02:00:00.000Z' }
}
