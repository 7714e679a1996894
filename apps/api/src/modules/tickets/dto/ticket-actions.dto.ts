import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CheckInRequest,
  CommentRequest,
  ConfirmRequest,
  ReasonRequest,
  ResolveRequest,
  SuperviseRequest,
  TicketInboxQuery,
  TransferTicketRequest,
} from '@qihu/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsLatitude,
  IsLongitude,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

/** Upload ids as POST /uploads returns them. */
export const UPLOAD_ID = /^[A-Za-z0-9_-]{8,64}$/;

export class ReasonDto implements ReasonRequest {
  @ApiProperty({ example: '不属于本网格，请重新分派', maxLength: 500 })
  @IsString()
  @IsNotEmpty({ message: '请填写原因' })
  @MaxLength(500)
  reason!: string;
}

export class CancelDto implements Partial<ReasonRequest> {
  @ApiPropertyOptional({ example: '问题已自行解决', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class TransferDto implements TransferTicketRequest {
  @ApiProperty({ example: 12, description: '接手人员编号（GET /tickets/:id/transfer-targets）' })
  @IsInt()
  @Min(1)
  toPersonId!: number;

  @ApiProperty({ example: '该企业由李网格员联系', maxLength: 500 })
  @IsString()
  @IsNotEmpty({ message: '请填写转办原因' })
  @MaxLength(500)
  reason!: string;
}

export class CommentDto implements CommentRequest {
  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  text?: string;

  @ApiPropertyOptional({ type: [String], maxItems: 9 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(9, { message: '一次最多 9 张照片' })
  @Matches(UPLOAD_ID, { each: true, message: '附件编号不正确' })
  photoIds?: string[];
}

export class CheckInDto implements CheckInRequest {
  @ApiProperty({ example: 29.96 }) @IsLatitude({ message: '纬度不正确' }) latitude!: number;
  @ApiProperty({ example: 121.71 }) @IsLongitude({ message: '经度不正确' }) longitude!: number;

  @ApiPropertyOptional({ example: 15, description: '定位精度（米）' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(100_000)
  accuracy?: number;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  address?: string;
}

export class ResolveDto implements ResolveRequest {
  @ApiProperty({ example: '已更换配电柜空开，恢复供电', maxLength: 1000 })
  @IsString()
  @IsNotEmpty({ message: '请填写办结说明' })
  @MaxLength(1000)
  note!: string;

  @ApiPropertyOptional({ type: [String], maxItems: 9 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(9, { message: '一次最多 9 张照片' })
  @Matches(UPLOAD_ID, { each: true, message: '附件编号不正确' })
  photoIds?: string[];
}

export class ConfirmDto implements ConfirmRequest {
  @ApiProperty({ minimum: 1, maximum: 5, example: 5 })
  @IsInt({ message: '评分须为 1–5 的整数' })
  @Min(1, { message: '评分须为 1–5 的整数' })
  @Max(5, { message: '评分须为 1–5 的整数' })
  rating!: number;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  comment?: string;
}

export class SuperviseDto implements SuperviseRequest {
  @ApiProperty({ example: '请今天下班前办结并回复企业', maxLength: 500 })
  @IsString()
  @IsNotEmpty({ message: '请填写督办意见' })
  @MaxLength(500)
  note!: string;
}

export class TicketListQueryDto implements TicketInboxQuery {
  @ApiPropertyOptional({ enum: ['me', 'all'] })
  @IsOptional()
  @IsIn(['me', 'all'])
  holder?: 'me' | 'all';

  @ApiPropertyOptional({ enum: ['open', 'closed', 'all'] })
  @IsOptional()
  @IsIn(['open', 'closed', 'all'])
  status?: 'open' | 'closed' | 'all';

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^\d{1,12}$/, { message: '分页参数不正确' })
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}
