import {
  ArrivalProof,
  CategoryGroup,
  DISPATCH_STATE_LABEL,
  DispatchState,
  WorkLineKind,
  DEADLINE_KIND_LABEL,
  DeadlineKind,
  Role,
  ROLE_LABEL,
  SlaCalendarKind,
  TicketStatus,
  UploadKind,
  Urgency,
  type AttachmentView,
  type BillLineView,
  type BillView,
  type DispatchListItemView,
  type DispatchView,
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

export const CREW_MEMBER = roleView(Role.CrewMember, { id: 25, crewId: 3, scopeLabel: '电气维修一队 · 维修人员' })

/** Ticket 7's dispatch to crew 3, offered 5 minutes ago: 10 minutes left to accept, 25 to be on site. */
export function dispatchView(overrides: Partial<DispatchView> = {}): DispatchView {
  const state = overrides.state ?? DispatchState.Offered
  return {
    id: 70,
    ticketId: 7,
    crewId: 3,
    crewName: '电气维修一队',
    state,
    stateLabel: DISPATCH_STATE_LABEL[state],
    auto: false,
    note: null,
    dispatchedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
    acceptDueAt: new Date(Date.now() + 10 * 60_000).toISOString(),
    onSiteDueAt: new Date(Date.now() + 25 * 60_000).toISOString(),
    acceptedAt: null,
    acceptedByName: null,
    declinedReason: null,
    arrivedAt: null,
    arrivalProof: null,
    distanceM: null,
    remote: false,
    finishedAt: null,
    ...overrides,
  }
}

export function dispatchItem(overrides: Partial<DispatchListItemView> = {}): DispatchListItemView {
  return {
    ...dispatchView(overrides),
    ticketNumber: 'QH20261123-0001',
    firmName: '宁波恒达精密机械有限公司',
    categoryName: '设备故障',
    description: '数控车床主轴异响',
    address: '北仑区大港工业城 8 号',
    latitude: 29.9612,
    longitude: 121.7125,
    equipmentCode: 'EQ000001',
    ...overrides,
  }
}

export const ARRIVED = { arrivedAt: '2026-11-23T02:20:00.000Z', arrivalProof: ArrivalProof.Geofence, distanceM: 35 }

export function billLine(overrides: Partial<BillLineView> = {}): BillLineView {
  return {
    id: 1,
    kind: WorkLineKind.Service,
    code: 'S-ELEC-01',
    name: '电气故障检修',
    unit: '次',
    quantity: 1,
    unitPriceFen: 8000,
    amountFen: 8000,
    warranty: false,
    warrantyOfTicketNumber: null,
    warrantyDays: 90,
    recordedAt: '2026-11-23T02:30:00.000Z',
    ...overrides,
  }
}

/** Two contactors (116 元) and an electrical repair under the warranty of QH20261101-0003 (free). */
export function billView(overrides: Partial<BillView> = {}): BillView {
  return {
    ticketId: 7,
    ticketNumber: 'QH20261123-0001',
    lines: [
      billLine({ id: 1, kind: WorkLineKind.Part, code: 'P-CJX2-1810', name: '交流接触器', unit: '个', quantity: 2, unitPriceFen: 5800, amountFen: 11600, warrantyDays: 365 }),
      billLine({ id: 2, amountFen: 0, warranty: true, warrantyOfTicketNumber: 'QH20261101-0003' }),
    ],
    listTotalFen: 19600,
    totalFen: 11600,
    totalYuan: '116.00',
    ...overrides,
  }
}
