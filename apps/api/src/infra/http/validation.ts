import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ErrorCode } from '@qihu/contracts';
import { AppError } from './app-error';

/** Class-validator constraint names → Chinese, for the `details` of a VALIDATION_FAILED error. */
const CONSTRAINT_MESSAGE: Record<string, string> = {
  whitelistValidation: '不允许提交此字段',
  isInt: '必须是整数',
  min: '数值过小',
  max: '数值过大',
  isString: '必须是文本',
  maxLength: '内容过长',
  minLength: '内容过短',
  isNotEmpty: '不能为空',
  isDefined: '必填',
  isEnum: '取值不在允许范围内',
  matches: '格式不正确',
};

function flatten(errors: ValidationError[], parent = ''): Array<{ field: string; reason: string }> {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.keys(e.constraints ?? {}).map((name) => ({
      field,
      reason: CONSTRAINT_MESSAGE[name] ?? '取值无效',
    }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Whitelist + forbid unknown fields (no mass assignment), transform to DTO classes. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) =>
      new AppError(ErrorCode.ValidationFailed, undefined, { fields: flatten(errors) }),
  });
}
