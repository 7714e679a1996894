import { Injectable, PipeTransform, Type } from '@nestjs/common';
import { ErrorCode, GridChangeKind } from '@qihu/contracts';
import { AppError } from '../../../infra/http/app-error';
import { createValidationPipe } from '../../../infra/http/validation';
import { CreateGridChangeDto, MergeGridChangeDto, SplitGridChangeDto, WithdrawGridChangeDto } from './dto/grid-change.dto';

/**
 * The request body is one of three shapes, told apart by `kind`. The global pipe cannot pick a
 * class from a field, so this one does, then validates with the same whitelist rules and error
 * details as everywhere else (a field of another kind is refused, not ignored).
 */
@Injectable()
export class GridChangeBodyPipe implements PipeTransform<unknown, Promise<CreateGridChangeDto>> {
  private readonly validation = createValidationPipe();

  async transform(value: unknown): Promise<CreateGridChangeDto> {
    const kind = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as { kind?: unknown }).kind : undefined;
    const metatype = bodyClassOf(kind);
    if (!metatype) {
      throw new AppError(ErrorCode.ValidationFailed, '请选择调整类型：拆分、合并或撤销', { fields: [{ field: 'kind', reason: '取值不在允许范围内' }] });
    }
    return this.validation.transform(value, { type: 'body', metatype });
  }
}

function bodyClassOf(kind: unknown): Type<CreateGridChangeDto> | null {
  switch (kind) {
    case GridChangeKind.Split:
      return SplitGridChangeDto;
    case GridChangeKind.Merge:
      return MergeGridChangeDto;
    case GridChangeKind.Withdraw:
      return WithdrawGridChangeDto;
    default:
      return null;
  }
}
