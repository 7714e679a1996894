import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AttachmentView, UploadFields, UploadKind } from '@qihu/contracts';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** The text fields beside the file in POST /uploads (multipart values arrive as strings). */
export class UploadFieldsDto implements UploadFields {
  @ApiPropertyOptional({ description: '语音时长（毫秒），仅语音', example: 5200, minimum: 1, maximum: 600_000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(600_000)
  durationMs?: number;
}

export class AttachmentViewDto implements AttachmentView {
  @ApiProperty({ example: 'q3Vx0b1TqzKpE6mYc2Lr8w' }) id!: string;
  @ApiProperty({ enum: UploadKind }) kind!: UploadKind;
  @ApiProperty({ example: 'image/jpeg' }) mime!: string;
  @ApiProperty({ description: '字节数', example: 204800 }) size!: number;
  @ApiPropertyOptional({ nullable: true, description: '语音时长（毫秒）' }) durationMs?: number | null;
  @ApiProperty({ description: '带签名、会过期的相对地址，无需登录头即可访问', example: '/api/v1/files/q3Vx0b1TqzKpE6mYc2Lr8w?exp=1795000000&sig=…' })
  url!: string;
  @ApiProperty({ nullable: true, description: '添加它的工单事件；未使用时为空' }) eventId!: number | null;
  @ApiProperty({ example: '2026-11-23T08:00:00.000Z' }) createdAt!: string;
}
