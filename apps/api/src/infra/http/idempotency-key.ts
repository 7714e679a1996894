import { ErrorCode } from '@qihu/contracts';
import { AppError } from './app-error';

/** The client's request id: letters, digits, _ and -, 8 to 64 of them. */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,64}$/;

/** OpenAPI description of the header, for @ApiHeader. */
export const KEY_HEADER = { name: 'Idempotency-Key', required: false, description: '客户端请求编号（8–64 位字母、数字、_ 或 -），重试时不变' };

/** The Idempotency-Key header checked: a retry with it answers with the same result; a malformed one is 400. */
export function idempotencyKeyOf(value: string | undefined): string | undefined {
  if (value !== undefined && !IDEMPOTENCY_KEY.test(value)) {
    throw new AppError(ErrorCode.ValidationFailed, '请求编号格式不正确', {
      fields: [{ field: 'Idempotency-Key', reason: '须为 8–64 位字母、数字、_ 或 -' }],
    });
  }
  return value;
}
