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
      return 401;
    case ErrorCode.Forbidden:
      return 403;
    case ErrorCode.NotFound:
    case ErrorCode.TicketNotFound:
      return 404;
    case ErrorCode.TransitionNotAllowed:
      return 409;
    case ErrorCode.FirmNotFound:
    case ErrorCode.CategoryNotFound:
    case ErrorCode.IdempotencyKeyReused:
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
