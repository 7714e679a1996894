import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  CategoryGroup,
  CategoryView,
  CommunityClass,
  CommunityView,
  DepartmentView,
  FirmScale,
  FirmView,
  GridStatus,
  GridView,
  MicrogridKind,
  MicrogridView,
  SlaCalendarKind,
} from '@qihu/contracts';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsEnum,
  IsInt,
  IsISO8601,
  IsLatitude,
  IsLongitude,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';

export class CommunityViewDto implements CommunityView {
  @ApiProperty() id!: number;
  @ApiProperty({ example: '330206001001' }) code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: CommunityClass }) class!: CommunityClass;
  @ApiProperty({ example: 20 }) firmBandMin!: number;
  @ApiProperty({ example: 50 }) firmBandMax!: number;
}

export class UpdateCommunityDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 100) name?: string;
  @ApiPropertyOptional({ enum: CommunityClass }) @IsOptional() @IsEnum(CommunityClass) class?: CommunityClass;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(500) firmBandMin?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(500) firmBandMax?: number;
}

export class GridViewDto implements GridView {
  @ApiProperty() id!: number;
  @ApiProperty() communityId!: number;
  @ApiProperty({ example: '330206001001001' }) code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: GridStatus }) status!: GridStatus;
  @ApiProperty() firmCount!: number;
}

export class CreateGridDto {
  @ApiProperty({ example: '第四网格' }) @IsString() @Length(1, 100) name!: string;
  @ApiPropertyOptional({ description: '不填则自动编号' }) @IsOptional() @Matches(/^\d{15}$/) code?: string;
}

export class MicrogridViewDto implements MicrogridView {
  @ApiProperty() id!: number;
  @ApiProperty() gridId!: number;
  @ApiProperty({ example: '33020600100100101' }) code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: MicrogridKind }) kind!: MicrogridKind;
  @ApiProperty({ enum: GridStatus }) status!: GridStatus;
  @ApiProperty() firmCount!: number;
}

export class CreateMicrogridDto {
  @ApiProperty() @IsInt() @Min(1) gridId!: number;
  @ApiProperty() @IsString() @Length(1, 100) name!: string;
  @ApiProperty({ enum: MicrogridKind }) @IsEnum(MicrogridKind) kind!: MicrogridKind;
  @ApiPropertyOptional({ description: '不填则自动编号' }) @IsOptional() @Matches(/^\d{17}$/) code?: string;
}

export class FirmViewDto implements FirmView {
  @ApiProperty() id!: number;
  @ApiProperty() communityId!: number;
  @ApiProperty() gridId!: number;
  @ApiProperty() microgridId!: number;
  @ApiProperty() name!: string;
  @ApiProperty({ example: '91330206MA2H3ABCDX' }) creditCode!: string;
  @ApiProperty({ enum: FirmScale }) scale!: FirmScale;
  @ApiProperty() industry!: string;
  @ApiProperty() address!: string;
  @ApiProperty({ nullable: true }) latitude!: number | null;
  @ApiProperty({ nullable: true }) longitude!: number | null;
}

export class FirmQueryDto {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) gridId?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) microgridId?: number;
  @ApiPropertyOptional({ description: '名称关键字或统一社会信用代码' }) @IsOptional() @IsString() @Length(1, 50) q?: string;
}

export class MicrogridQueryDto {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) gridId?: number;
}

export class CreateFirmDto {
  @ApiProperty() @IsString() @Length(1, 100) name!: string;
  @ApiProperty({ description: '统一社会信用代码（18 位，含校验位）' }) @IsString() @Length(18, 18) creditCode!: string;
  @ApiProperty({ enum: FirmScale }) @IsEnum(FirmScale) scale!: FirmScale;
  @ApiProperty() @IsInt() @Min(1) microgridId!: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 50) industry?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 200) address?: string;
  @ApiPropertyOptional() @IsOptional() @IsLatitude() latitude?: number;
  @ApiPropertyOptional() @IsOptional() @IsLongitude() longitude?: number;
}

export class UpdateFirmDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 100) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(18, 18) creditCode?: string;
  @ApiPropertyOptional({ enum: FirmScale }) @IsOptional() @IsEnum(FirmScale) scale?: FirmScale;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 50) industry?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 200) address?: string;
  @ApiPropertyOptional() @IsOptional() @IsLatitude() latitude?: number;
  @ApiPropertyOptional() @IsOptional() @IsLongitude() longitude?: number;
}

export class MoveFirmDto {
  @ApiProperty() @IsInt() @Min(1) microgridId!: number;
  @ApiPropertyOptional({ description: '生效时间（ISO 8601），默认立即' }) @IsOptional() @IsISO8601() effectiveFrom?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 200) reason?: string;
}

export class DepartmentViewDto implements DepartmentView {
  @ApiProperty() id!: number;
  @ApiProperty() communityId!: number;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
}

export class CreateDepartmentDto {
  @ApiProperty({ example: 'emergency' }) @Matches(/^[a-z][a-z0-9_-]{1,31}$/) code!: string;
  @ApiProperty({ example: '应急管理办公室' }) @IsString() @Length(1, 50) name!: string;
}

export class CategoryViewDto implements CategoryView {
  @ApiProperty() id!: number;
  @ApiProperty() communityId!: number;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: CategoryGroup }) group!: CategoryGroup;
  @ApiProperty({ nullable: true }) departmentId!: number | null;
  @ApiProperty({ example: 30 }) ackMinutes!: number;
  @ApiProperty({ example: 30 }) escalateMinutes!: number;
  @ApiProperty({ example: 1440 }) resolveMinutes!: number;
  @ApiProperty({ example: 72 }) confirmHours!: number;
  @ApiProperty({ enum: SlaCalendarKind }) calendar!: SlaCalendarKind;
  @ApiProperty() requiresOnSite!: boolean;
}

export class CreateCategoryDto {
  @ApiProperty({ example: 'labour' }) @Matches(/^[a-z][a-z0-9_-]{1,31}$/) code!: string;
  @ApiProperty({ example: '劳动争议' }) @IsString() @Length(1, 50) name!: string;
  @ApiProperty({ enum: CategoryGroup }) @IsEnum(CategoryGroup) group!: CategoryGroup;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) departmentId?: number;
  @ApiPropertyOptional({ example: 30 }) @IsOptional() @IsNumber() @Min(1) @Max(10080) ackMinutes?: number;
  @ApiPropertyOptional({ example: 30 }) @IsOptional() @IsNumber() @Min(1) @Max(10080) escalateMinutes?: number;
  @ApiPropertyOptional({ example: 1440 }) @IsOptional() @IsInt() @Min(1) @Max(525600) resolveMinutes?: number;
  @ApiPropertyOptional({ example: 72 }) @IsOptional() @IsInt() @Min(1) @Max(720) confirmHours?: number;
  @ApiPropertyOptional({ enum: SlaCalendarKind }) @IsOptional() @IsEnum(SlaCalendarKind) calendar?: SlaCalendarKind;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() requiresOnSite?: boolean;
}

export class UpdateCategoryDto extends PartialType(CreateCategoryDto) {}
