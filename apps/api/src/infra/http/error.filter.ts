import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ERROR_MESSAGE, ErrorBody, ErrorCode } from '@qihu/contracts';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { isDuplicateKey, isNullViolation } from '../database/errors';
import { AppError, httpStatusOf } from './app-error';

/** Nest's own HTTP exceptions (404 route, 400 JSON syntax, 413 …) mapped onto our codes. */
function codeForHttpStatus(status: number): ErrorCode {
  if (status === HttpStatus.NOT_FOUND) return ErrorCode.NotFound;
  if (status === HttpStatus.UNAUTHORIZED) return ErrorCode.Unauthenticated;
  if (status === HttpStatus.FORBIDDEN) return ErrorCode.Forbidden;
  if (status === HttpStatus.TOO_MANY_REQUESTS) return ErrorCode.RateLimited;
  if (status >= 500) return ErrorCode.Internal;
  return ErrorCode.ValidationFailed;
}

/**
 * Every error leaves the API as `{ code, message, details?, errorId? }` with a Chinese
 * message. Unexpected errors become 500 with an errorId that is also in the log line.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    const { status, body } = this.toBody(exception, req);
    res.status(status).json(body);
  }

  private toBody(exception: unknown, req: Request): { status: number; body: ErrorBody } {
    if (exception instanceof AppError) {
      const body: ErrorBody = { code: exception.code, message: exception.message };
      if (exception.details !== undefined) body.details = exception.details;
      return { status: httpStatusOf(exception.code), body };
    }
    // A unique key or NOT NULL column refused the write: the client's input, not our failure.
    if (isDuplicateKey(exception)) return { status: 409, body: { code: ErrorCode.AlreadyExists, message: ERROR_MESSAGE[ErrorCode.AlreadyExists] } };
    if (isNullViolation(exception)) return { status: 400, body: { code: ErrorCode.ValidationFailed, message: '必填项不能为空' } };
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const status = exception.getStatus();
      const code = codeForHttpStatus(status);
      return { status, body: { code, message: ERROR_MESSAGE[code] } };
    }
    const errorId = randomUUID();
    this.logger.error({ err: exception, errorId, method: req.method, url: req.url }, 'unhandled error');
    return {
      status: 500,
      body: { code: ErrorCode.Internal, message: ERROR_MESSAGE[ErrorCode.Internal], errorId },
    };
  }
}
