import { ERROR_MESSAGE, ErrorCode } from '@qihu/contracts';

/**
 * The one error type features throw. It carries a code from @qihu/contracts; the HTTP
 * status and the Chinese message come from the mapping below, so every endpoint speaks alike.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_MESSAGE[code],
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.ValidationFailed:
      return 400;
    case ErrorCode.Unauthenticated:
    case ErrorCode.RefreshTokenInvalid:
      return 401;
    case ErrorCode.Forbidden:
      return 403;
    case ErrorCode.NotFound:
    case ErrorCode.TicketNotFound:
    case ErrorCode.CommunityNotFound:
    case ErrorCode.GridNotFound:
    case ErrorCode.MicrogridNotFound:
    case ErrorCode.DepartmentNotFound:
    case ErrorCode.PersonNotFound:
    case ErrorCode.RoleAssignmentNotFound:
    case ErrorCode.ChangeRequestNotFound:
    case ErrorCode.ShiftNotFound:
    case ErrorCode.DutyTemplateNotFound:
    case ErrorCode.DutySwapNotFound:
    case ErrorCode.NotificationNotFound:
    case ErrorCode.EquipmentNotFound:
    case ErrorCode.DispatchNotFound:
      return 404;
    case ErrorCode.TransitionNotAllowed:
    case ErrorCode.AlreadyExists:
    case ErrorCode.ChangeRequestNotPending:
    case ErrorCode.DutySwapNotPending:
    case ErrorCode.StockInsufficient:
      return 409;
    case ErrorCode.UploadTooLarge:
      return 413;
    case ErrorCode.FirmNotFound:
    case ErrorCode.CategoryNotFound:
    case ErrorCode.IdempotencyKeyReused:
    case ErrorCode.ImportRejected:
    case ErrorCode.UploadRejected:
    case ErrorCode.UploadNotFound:
    case ErrorCode.PriceItemNotFound:
    case ErrorCode.PartNotFound:
    case ErrorCode.StoreNotFound:
    case ErrorCode.CrewNotFound:
    case ErrorCode.OutsideGeofence:
      return 422;
    case ErrorCode.RateLimited:
      return 429;
    case ErrorCode.ServiceUnavailable:
      return 503;
    case ErrorCode.Internal:
      return 500;
    default: {
      const unmapped: never = code;
      throw new Error(`error code without an HTTP status: ${String(unmapped)}`);
    }
  }
}
