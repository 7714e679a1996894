import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CreateTicketRequest, GeoPoint, Urgency } from '@qihu/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsInt,
  IsLatitude,
  IsLongitude,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { UPLOAD_ID } from './ticket-actions.dto';

export class GeoPointDto implements GeoPoint {
  @ApiProperty({ example: 29.9612 }) @IsLatitude({ message: '纬度不正确' }) latitude!: number;
  @ApiProperty({ example: 121.7125 }) @IsLongitude({ message: '经度不正确' }) longitude!: number;

  @ApiPropertyOptional({ example: '3号车间', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  address?: string;
}

export class CreateTicketDto implements CreateTicketRequest {
  @ApiPropertyOptional({ example: 1, description: '企业编号，默认为当前登录人的企业' })
  @IsOptional()
  @IsInt()
  @Min(1)
  firmId?: number;

  @ApiProperty({ example: 1, description: '诉求类别编号' })
  @IsInt()
  @Min(1)
  categoryId!: number;

  @ApiPropertyOptional({ enum: Urgency, default: Urgency.Normal })
  @IsOptional()
  @IsEnum(Urgency, { message: '紧急程度须为 普通、紧急 或 特急' })
  urgency?: Urgency;

  @ApiPropertyOptional({ example: '车间配电柜跳闸，请尽快派人', maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({ type: GeoPointDto, description: '默认为企业登记的位置' })
  @IsOptional()
  @ValidateNested()
  @Type(() => GeoPointDto)
  location?: GeoPointDto;

  @ApiPropertyOptional({ type: [String], maxItems: 9, description: '照片（先 POST /uploads）' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(9, { message: '最多 9 张照片' })
  @Matches(UPLOAD_ID, { each: true, message: '附件编号不正确' })
  photoIds?: string[];

  @ApiPropertyOptional({ description: '语音留言（先 POST /uploads）' })
  @IsOptional()
  @Matches(UPLOAD_ID, { message: '附件编号不正确' })
  voiceId?: string;

  @ApiPropertyOptional({ example: 'EQ-0001', description: '设备二维码上的编号' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: '设备编号不正确' })
  equipmentCode?: string;

  @ApiPropertyOptional({ description: '仅职工：对本企业匿名（默认匿名，工作人员仍可见）' })
  @IsOptional()
  @IsBoolean()
  anonymous?: boolean;
}
