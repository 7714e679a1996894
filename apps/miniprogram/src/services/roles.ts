import { ApiError, NETWORK_ERROR_MESSAGE } from './request'
import { Role, type RoleAssignmentView } from '@qihu/contracts'

/** Roles that raise requests for a firm: their home is the one-tap call. */
export const FIRM_ROLES: readonly Role[] = [Role.FirmContact, Role.Worker]
/** Roles that work a grid (the API's GRID_ROLES): they may read the grid's people. */
export const GRID_ROLES: readonly Role[] = [Role.GridMember, Role.GridPartTime, Role.GridLeader, Role.GridInstructor]

export const isFirmRole = (role?: RoleAssignmentView | null): boolean => Boolean(role && FIRM_ROLES.includes(role.role))

/** 我的网格: grid staff and micro-grid leaders. */
export const hasGrid = (role?: RoleAssignmentView | null): boolean =>
  Boolean(role && (GRID_ROLES.includes(role.role) || role.role === Role.MicrogridLeader))

/** 企业名单: every role that is not a firm's own. */
export const canListFirms = (role?: RoleAssignmentView | null): boolean => Boolean(role && !isFirmRole(role))

/** 派单: a maintenance crew member's dispatches. */
export const isCrew = (role?: RoleAssignmentView | null): boolean => role?.role === Role.CrewMember

/** 待办工单: everyone who may hold or oversee a ticket (grid staff, micro-grid leaders, departments, the admin). */
export const canWorkTickets = (role?: RoleAssignmentView | null): boolean =>
  Boolean(role && !isFirmRole(role) && role.role !== Role.CrewMember)

/** Roles on a duty roster (the API's DUTY_READER_ROLES). */
export const DUTY_ROLES: readonly Role[] = [...GRID_ROLES, Role.MicrogridLeader, Role.DeptStaff, Role.CommunityAdmin]

/** 我的值班 and 交接班. */
export const hasDutyRoster = (role?: RoleAssignmentView | null): boolean => Boolean(role && DUTY_ROLES.includes(role.role))

/** 人员名单: grid staff and the community admin (GET /people). */
export const canListPeople = (role?: RoleAssignmentView | null): boolean =>
  Boolean(role && (GRID_ROLES.includes(role.role) || role.role === Role.CommunityAdmin))

/** 138****8000; what the API sends is shown as is when it is already masked or not a mobile. */
export function maskPhone(phone: string): string {
  return /^1\d{10}$/.test(phone) ? `${phone.slice(0, 3)}****${phone.slice(7)}` : phone
}

/** A Chinese message for any failure, ready to show. */
export function messageOf(error: unknown): string {
  return error instanceof ApiError ? error.message : NETWORK_ERROR_MESSAGE
}
