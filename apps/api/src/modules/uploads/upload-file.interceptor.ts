import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { ErrorCode, UPLOAD_FILE_FIELD } from '@qihu/contracts';
import type { Request, RequestHandler, Response } from 'express';
import multer, { MulterError } from 'multer';
import { Observable } from 'rxjs';
import { AppError } from '../../infra/http/app-error';
import { UploadsService } from './uploads.service';

/**
 * Reads the one file of POST /uploads into memory (after the auth guard, so strangers cannot
 * make us buffer anything). The hard limit is the larger per-kind limit plus one byte: a file
 * one byte over its kind's limit still arrives and is refused with that kind's message; a file
 * over every limit is cut off here. Multer's own errors become our error codes.
 */
@Injectable()
export class UploadFileInterceptor implements NestInterceptor {
  private readonly parse: RequestHandler;

  constructor(private readonly uploads: UploadsService) {
    this.parse = multer({
      storage: multer.memoryStorage(),
      limits: { fileSize: uploads.largestAllowedBytes + 1, files: 1, fields: 4, fieldSize: 1024, parts: 6 },
    }).single(UPLOAD_FILE_FIELD);
  }

  async intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = ctx.switchToHttp();
    await new Promise<void>((resolve, reject) =>
      this.parse(http.getRequest<Request>(), http.getResponse<Response>(), (err: unknown) => (err ? reject(this.toAppError(err)) : resolve())),
    );
    return next.handle();
  }

  private toAppError(err: unknown): AppError {
    if (err instanceof MulterError) {
      if (err.code === 'LIMIT_FILE_SIZE') return new AppError(ErrorCode.UploadTooLarge, this.uploads.limitsMessage());
      if (err.code === 'LIMIT_UNEXPECTED_FILE' || err.code === 'LIMIT_FILE_COUNT') {
        return new AppError(ErrorCode.ValidationFailed, `一次只能上传一个文件，字段名为 ${UPLOAD_FILE_FIELD}`);
      }
      return new AppError(ErrorCode.ValidationFailed, '上传的表单内容有误', { reason: err.code });
    }
    // Busboy: a malformed or truncated multipart body (the connection dropped mid-upload).
    return new AppError(ErrorCode.ValidationFailed, '上传未完成或内容有误，请重试');
  }
}
