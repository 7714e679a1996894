/** Pages of the ticket pipeline, by sub-package (see app.config.ts). */

/** A ticket's detail, for everyone who raised, follows or works it: its buttons come from its `actions`. */
export const TICKET_PAGE = '/packages/common/pages/ticket/index'
export const NOTIFICATIONS_PAGE = '/packages/common/pages/notifications/index'

/** Firm contacts and workers. */
export const REQUEST_FORM_PAGE = '/packages/firm/pages/request/index'
export const MY_REQUESTS_PAGE = '/packages/firm/pages/mine/index'

/** Grid staff, departments and the admin. */
export const INBOX_PAGE = '/packages/staff/pages/inbox/index'
export const DUTY_PAGE = '/packages/staff/pages/duty/index'

/** Maintenance crews. */
export const DISPATCHES_PAGE = '/packages/crew/pages/dispatches/index'

export const ticketPage = (id: number): string => `${TICKET_PAGE}?id=${id}`
export const requestFormPage = (categoryId: number): string => `${REQUEST_FORM_PAGE}?categoryId=${categoryId}`
/** The request form filled in for the machine whose label was scanned. */
export const requestFormForEquipment = (equipmentCode: string): string =>
  `${REQUEST_FORM_PAGE}?equipmentCode=${encodeURIComponent(equipmentCode)}`
