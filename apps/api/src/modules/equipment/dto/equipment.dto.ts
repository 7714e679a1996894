import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CreateEquipmentRequest,
  EQUIPMENT_CODE_PATTERN,
  EquipmentFaultView,
  EquipmentFileView,
  EquipmentListQuery,
  EquipmentReliabilityView,
  EquipmentScanView,
  MaintenanceSkill,
  EquipmentView,
  EquipmentVisitLineView,
  EquipmentVisitView,
  RecurringFaultGroupView,
  RecurringFaultsQuery,
  RecurringFaultsView,
  RecurringGroupKind,
  TicketStatus,
  UpdateEquipmentRequest,
} from '@qihu/contracts';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsEnum, IsInt, IsOptional, IsString, Length, Matches, Max, Min, ValidateIf } from 'class-validator';

const queryBoolean = () => Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value));
/** Optional, but not null: `null` would try to blank a required column. */
const Present = () => ValidateIf((_, value) => value !== undefined);
/** Some visible text: not only spaces, and no control characters (labels print it). */
const TEXT = /^[^\u0000-\u001f\u007f]*$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

// ---- machines -------------------------------------------------------------------------------

export class EquipmentViewDto implements EquipmentView {
  @ApiProperty() id!: number;
  @ApiProperty() communityId!: number;
  @ApiProperty() firmId!: number;
  @ApiProperty() firmName!: string;
  @ApiProperty({ example: 'EQ000001' }) code!: string;
  @ApiProperty({ example: '分切机' }) name!: string;
  @ApiProperty({ example: 'YX-2000' }) model!: string;
  @ApiProperty({ example: '浙江华力机械有限公司' }) maker!: string;
  @ApiProperty({ enum: MaintenanceSkill }) skill!: MaintenanceSkill;
  @ApiProperty({ example: '机械' }) skillLabel!: string;
  @ApiProperty({ type: String, nullable: true, example: '2024-05-01' }) installedOn!: string | null;
  @ApiProperty({ example: '二号车间东侧' }) locationInPlant!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) retiredAt!: string | null;
}

export class CreateEquipmentDto implements CreateEquipmentRequest {
  @ApiPropertyOptional({ description: '所属企业；企业联系人不填即本企业' }) @IsOptional() @IsInt() @Min(1) firmId?: number;
  @ApiPropertyOptional({ example: 'A-03', description: '设备编号（字母、数字、_ . -，最长 64 位）；不填则自动编为 EQ000001 这样的编号' })
  @IsOptional()
  @Matches(EQUIPMENT_CODE_PATTERN)
  code?: string;
  @ApiProperty({ example: '分切机' }) @IsString() @Length(1, 100) @Matches(TEXT) @Matches(/\S/) name!: string;
  @ApiPropertyOptional({ example: 'YX-2000' }) @IsOptional() @IsString() @Length(0, 100) @Matches(TEXT) model?: string;
  @ApiPropertyOptional({ example: '浙江华力机械有限公司' }) @IsOptional() @IsString() @Length(0, 100) @Matches(TEXT) maker?: string;
  @ApiProperty({ enum: MaintenanceSkill, description: '维修所需工种' }) @IsEnum(MaintenanceSkill) skill!: MaintenanceSkill;
  @ApiPropertyOptional({ example: '2024-05-01', description: '安装日期（不晚于今天）' }) @IsOptional() @Matches(ISO_DATE) installedOn?: string;
  @ApiPropertyOptional({ example: '二号车间东侧' }) @IsOptional() @IsString() @Length(0, 100) @Matches(TEXT) locationInPlant?: string;
}

export class UpdateEquipmentDto implements UpdateEquipmentRequest {
  @ApiPropertyOptional() @Present() @IsString() @Length(1, 100) @Matches(TEXT) @Matches(/\S/) name?: string;
  @ApiPropertyOptional() @Present() @IsString() @Length(0, 100) @Matches(TEXT) model?: string;
  @ApiPropertyOptional() @Present() @IsString() @Length(0, 100) @Matches(TEXT) maker?: string;
  @ApiPropertyOptional({ enum: MaintenanceSkill }) @Present() @IsEnum(MaintenanceSkill) skill?: MaintenanceSkill;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'null 清除安装日期' }) @IsOptional() @Matches(ISO_DATE) installedOn?: string | null;
  @ApiPropertyOptional() @Present() @IsString() @Length(0, 100) @Matches(TEXT) locationInPlant?: string;
}

export class EquipmentListQueryDto implements EquipmentListQuery {
  @ApiPropertyOptional({ description: '企业；企业联系人只能看本企业' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) firmId?: number;
  @ApiPropertyOptional({ description: '型号（不区分大小写）' }) @IsOptional() @IsString() @Length(1, 100) model?: string;
  @ApiPropertyOptional({ description: '包括已停用的设备' }) @IsOptional() @queryBoolean() @IsBoolean() includeRetired?: boolean;
}

export class LabelSheetQueryDto {
  @ApiPropertyOptional({ description: '企业；企业联系人不填即本企业' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) firmId?: number;
  @ApiPropertyOptional({ description: '第几页（每页 24 个标签），默认 1', example: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10000) page?: number;
}

// ---- the file (一设备一档) --------------------------------------------------------------------

export class EquipmentFaultViewDto implements EquipmentFaultView {
  @ApiProperty() ticketId!: number;
  @ApiProperty({ example: 'QH20260301-0007' }) number!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: TicketStatus }) status!: TicketStatus;
  @ApiProperty({ example: '已办结' }) statusLabel!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) resolvedAt!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: '修复用时（毫秒）' }) repairMs!: number | null;
}

export class EquipmentReliabilityViewDto implements EquipmentReliabilityView {
  @ApiProperty() faultCount!: number;
  @ApiProperty() resolvedCount!: number;
  @ApiProperty({ type: Number, nullable: true, description: '平均故障间隔 MTBF（毫秒），少于 2 次故障时为空' }) mtbfMs!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: '平均修复时间 MTTR（毫秒），尚无办结时为空' }) mttrMs!: number | null;
}

export class EquipmentVisitLineViewDto implements EquipmentVisitLineView {
  @ApiProperty({ enum: ['service', 'part'] }) kind!: 'service' | 'part';
  @ApiProperty() name!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty({ description: '金额（分）' }) amountFen!: number;
  @ApiProperty({ description: '保修期内免费' }) warranty!: boolean;
}

export class EquipmentVisitViewDto implements EquipmentVisitView {
  @ApiProperty() ticketId!: number;
  @ApiProperty() ticketNumber!: string;
  @ApiProperty() crewName!: string;
  @ApiProperty({ description: '远程问诊' }) remote!: boolean;
  @ApiProperty({ type: String, nullable: true }) arrivedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) finishedAt!: string | null;
  @ApiProperty({ type: [EquipmentVisitLineViewDto] }) lines!: EquipmentVisitLineViewDto[];
  @ApiProperty({ description: '合计（分）' }) totalFen!: number;
}

export class EquipmentFileViewDto implements EquipmentFileView {
  @ApiProperty({ type: EquipmentViewDto }) equipment!: EquipmentViewDto;
  @ApiProperty({ type: EquipmentReliabilityViewDto }) reliability!: EquipmentReliabilityViewDto;
  @ApiProperty({ type: [EquipmentFaultViewDto] }) faults!: EquipmentFaultViewDto[];
  @ApiProperty({ type: [EquipmentVisitViewDto] }) visits!: EquipmentVisitViewDto[];
  @ApiProperty({ description: '维修费用合计（分）' }) costFen!: number;
}

export class SuggestedCategoryDto {
  @ApiProperty() id!: number;
  @ApiProperty({ example: '设备故障' }) name!: string;
}

export class EquipmentScanViewDto implements EquipmentScanView {
  @ApiProperty({ type: EquipmentViewDto }) equipment!: EquipmentViewDto;
  @ApiProperty({ type: SuggestedCategoryDto, nullable: true }) suggestedCategory!: SuggestedCategoryDto | null;
}

// ---- 一类事 ----------------------------------------------------------------------------------

export class RecurringFaultsQueryDto implements RecurringFaultsQuery {
  @ApiPropertyOptional({ description: '统计最近多少天（1–365），默认 30' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(365) days?: number;
  @ApiPropertyOptional({ description: '至少涉及几家企业，默认 2' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) minFirms?: number;
  @ApiPropertyOptional({ description: '至少几次故障，默认 3' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100000) minFaults?: number;
}

export class RecurringFirmDto {
  @ApiProperty() id!: number;
  @ApiProperty() name!: string;
}

export class RecurringFaultGroupViewDto implements RecurringFaultGroupView {
  @ApiProperty({ enum: RecurringGroupKind }) kind!: RecurringGroupKind;
  @ApiProperty({ example: 'model:浙江华力机械有限公司|yx-2000' }) key!: string;
  @ApiProperty({ example: '浙江华力机械有限公司 YX-2000' }) title!: string;
  @ApiProperty({ type: String, nullable: true }) model!: string | null;
  @ApiProperty({ type: String, nullable: true }) maker!: string | null;
  @ApiProperty({ type: Number, nullable: true }) categoryId!: number | null;
  @ApiProperty({ type: String, nullable: true }) categoryName!: string | null;
  @ApiProperty({ type: Number, nullable: true }) gridId!: number | null;
  @ApiProperty({ type: String, nullable: true }) gridName!: string | null;
  @ApiProperty({ type: [RecurringFirmDto] }) firms!: RecurringFirmDto[];
  @ApiProperty() faultCount!: number;
  @ApiProperty() firstAt!: string;
  @ApiProperty() lastAt!: string;
  @ApiProperty({ type: [String] }) ticketNumbers!: string[];
}

export class RecurringFaultsViewDto implements RecurringFaultsView {
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ type: [RecurringFaultGroupViewDto] }) groups!: RecurringFaultGroupViewDto[];
}
