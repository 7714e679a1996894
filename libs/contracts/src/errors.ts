/**
 * Error codes returned by the API in `{ code, message, details?, errorId? }`.
 * The mini-program shows `message`; it may branch on `code`. Do not rename codes.
 */
export enum ErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  NotFound = 'NOT_FOUND',
  FirmNotFound = 'FIRM_NOT_FOUND',
  CategoryNotFound = 'CATEGORY_NOT_FOUND',
  TicketNotFound = 'TICKET_NOT_FOUND',
  CommunityNotFound = 'COMMUNITY_NOT_FOUND',
  GridNotFound = 'GRID_NOT_FOUND',
  MicrogridNotFound = 'MICROGRID_NOT_FOUND',
  DepartmentNotFound = 'DEPARTMENT_NOT_FOUND',
  PersonNotFound = 'PERSON_NOT_FOUND',
  RoleAssignmentNotFound = 'ROLE_ASSIGNMENT_NOT_FOUND',
  ChangeRequestNotFound = 'CHANGE_REQUEST_NOT_FOUND',
  AlreadyExists = 'ALREADY_EXISTS',
  ChangeRequestNotPending = 'CHANGE_REQUEST_NOT_PENDING',
  ImportRejected = 'IMPORT_REJECTED',
  RefreshTokenInvalid = 'REFRESH_TOKEN_INVALID',
  TransitionNotAllowed = 'TRANSITION_NOT_ALLOWED',
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
  UploadRejected = 'UPLOAD_REJECTED',
  UploadTooLarge = 'UPLOAD_TOO_LARGE',
  UploadNotFound = 'UPLOAD_NOT_FOUND',
  ShiftNotFound = 'SHIFT_NOT_FOUND',
  DutyTemplateNotFound = 'DUTY_TEMPLATE_NOT_FOUND',
  DutySwapNotFound = 'DUTY_SWAP_NOT_FOUND',
  DutySwapNotPending = 'DUTY_SWAP_NOT_PENDING',
  NotificationNotFound = 'NOTIFICATION_NOT_FOUND',
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  RateLimited = 'RATE_LIMITED',
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
  Internal = 'INTERNAL',
}

/** Default Chinese messages; a thrower may give a more precise one. */
export const ERROR_MESSAGE: Record<ErrorCode, string> = {
  [ErrorCode.ValidationFailed]: '提交的内容有误，请检查后重试',
  [ErrorCode.NotFound]: '请求的资源不存在',
  [ErrorCode.FirmNotFound]: '企业不存在',
  [ErrorCode.CategoryNotFound]: '诉求类别不存在',
  [ErrorCode.TicketNotFound]: '工单不存在',
  [ErrorCode.CommunityNotFound]: '社区不存在',
  [ErrorCode.GridNotFound]: '网格不存在',
  [ErrorCode.MicrogridNotFound]: '微网格不存在',
  [ErrorCode.DepartmentNotFound]: '部门不存在',
  [ErrorCode.PersonNotFound]: '人员不存在',
  [ErrorCode.RoleAssignmentNotFound]: '角色不存在或已被撤销',
  [ErrorCode.ChangeRequestNotFound]: '网格调整申请不存在',
  [ErrorCode.AlreadyExists]: '记录已存在',
  [ErrorCode.ChangeRequestNotPending]: '该申请已处理，不能重复审批',
  [ErrorCode.ImportRejected]: '导入文件有错误，未写入任何数据',
  [ErrorCode.RefreshTokenInvalid]: '登录已失效，请重新登录',
  [ErrorCode.TransitionNotAllowed]: '工单当前状态不允许此操作',
  [ErrorCode.IdempotencyKeyReused]: '该请求编号已用于另一次不同的提交',
  [ErrorCode.UploadRejected]: '文件类型不支持：图片请用 JPEG、PNG 或 WebP，语音请用 AAC、MP3 或 M4A',
  [ErrorCode.UploadTooLarge]: '文件太大，请压缩后重试',
  [ErrorCode.UploadNotFound]: '附件不存在或已被使用，请重新上传',
  [ErrorCode.ShiftNotFound]: '值班班次不存在',
  [ErrorCode.DutyTemplateNotFound]: '排班模板不存在',
  [ErrorCode.DutySwapNotFound]: '换班申请不存在',
  [ErrorCode.DutySwapNotPending]: '该换班申请已处理',
  [ErrorCode.NotificationNotFound]: '消息不存在',
  [ErrorCode.Unauthenticated]: '请先登录',
  [ErrorCode.Forbidden]: '无权进行此操作',
  [ErrorCode.RateLimited]: '操作过于频繁，请稍后再试',
  [ErrorCode.ServiceUnavailable]: '服务暂时不可用，请稍后再试',
  [ErrorCode.Internal]: '服务器开小差了，请稍后再试',
};

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: unknown;
  errorId?: string;
}
