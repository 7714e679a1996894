import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CreateDutyHandoverInput,
  CreateDutyShiftInput,
  CreateDutySwapInput,
  CreateDutyTemplateInput,
  DutyAlertOrigin,
  DutyAlertResolution,
  DutyAlertView,
  DutyCoverageView,
  DutyDayKind,
  DutyGapView,
  DutyHandoverView,
  DutyNowView,
  DutyOnDutyPerson,
  DutyScopeCoverageView,
  DutyScopeKind,
  DutyShiftQuery,
  DutyShiftView,
  DutySwapStatus,
  DutySwapView,
  DutyTemplateSlot,
  DutyTemplateSlotView,
  DutyTemplateView,
  EscalationLevel,
  ShiftSource,
  UpdateDutyTemplateInput,
} from '@qihu/contracts';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

const SOMETHING = /\S/;
const LEVELS = [EscalationLevel.GridMember, EscalationLevel.GridLeader, EscalationLevel.Department];
const queryBoolean = () => Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value));

// ---- shifts ---------------------------------------------------------------------------------

export class DutyShiftViewDto implements DutyShiftView {
  @ApiProperty() id!: number;
  @ApiProperty() communityId!: number;
  @ApiProperty({ enum: DutyScopeKind }) scopeKind!: DutyScopeKind;
  @ApiProperty() scopeId!: number;
  @ApiProperty({ example: '第一网格' }) scopeName!: string;
  @ApiProperty({ enum: LEVELS }) level!: EscalationLevel;
  @ApiProperty({ example: '网格员' }) levelLabel!: string;
  @ApiProperty() personId!: number;
  @ApiProperty() personName!: string;
  @ApiProperty({ type: Number, nullable: true }) backupPersonId!: number | null;
  @ApiProperty({ type: String, nullable: true }) backupPersonName!: string | null;
  @ApiProperty({ example: '2026-03-02T00:00:00.000Z' }) startsAt!: string;
  @ApiProperty({ example: '2026-03-02T12:00:00.000Z' }) endsAt!: string;
  @ApiProperty({ enum: ShiftSource }) source!: ShiftSource;
  @ApiProperty({ type: Number, nullable: true }) templateId!: number | null;
  @ApiProperty() note!: string;
  @ApiProperty({ type: String, nullable: true }) cancelledAt!: string | null;
}

export class DutyShiftQueryDto implements DutyShiftQuery {
  @ApiPropertyOptional({ enum: DutyScopeKind }) @IsOptional() @IsEnum(DutyScopeKind) scopeKind?: DutyScopeKind;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) scopeId?: number;
  @ApiPropertyOptional({ enum: LEVELS }) @IsOptional() @Type(() => Number) @IsIn(LEVELS) level?: EscalationLevel;
  @ApiPropertyOptional({ description: '只看我的班次（本人或备班）' }) @IsOptional() @queryBoolean() @IsBoolean() mine?: boolean;
  @ApiPropertyOptional({ description: '时间窗开始（ISO 8601），默认现在' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ description: '时间窗结束，默认开始后 7 天，最长 62 天' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
  @ApiPropertyOptional({ description: '包括已取消的班次' }) @IsOptional() @queryBoolean() @IsBoolean() includeCancelled?: boolean;
}

export class CreateDutyShiftDto implements CreateDutyShiftInput {
  @ApiProperty({ enum: DutyScopeKind }) @IsEnum(DutyScopeKind) scopeKind!: DutyScopeKind;
  @ApiProperty() @IsInt() @Min(1) scopeId!: number;
  @ApiProperty({ enum: LEVELS, description: '0 网格员，1 网格长，2 职能部门' }) @IsIn(LEVELS) level!: EscalationLevel;
  @ApiProperty() @IsInt() @Min(1) personId!: number;
  @ApiPropertyOptional({ type: Number, nullable: true, description: '备班人员' }) @IsOptional() @IsInt() @Min(1) backupPersonId?: number | null;
  @ApiProperty({ example: '2026-03-02T08:00:00+08:00' }) @IsISO8601({ strict: true }) startsAt!: string;
  @ApiProperty({ example: '2026-03-02T20:00:00+08:00' }) @IsISO8601({ strict: true }) endsAt!: string;
  @ApiPropertyOptional({ example: '春节加班' }) @IsOptional() @IsString() @Length(0, 200) note?: string;
}

// ---- templates ------------------------------------------------------------------------------

export class DutyTemplateSlotDto implements DutyTemplateSlot {
  @ApiProperty({ minimum: 1, maximum: 7, description: '1 周一 … 7 周日' }) @IsInt() @Min(1) @Max(7) weekday!: 1 | 2 | 3 | 4 | 5 | 6 | 7;
  @ApiProperty({ example: '20:00', description: '北京时间 HH:mm' }) @Matches(/^([01]\d|2[0-3]):[0-5]\d$/) start!: string;
  @ApiProperty({ example: '08:00', description: '北京时间 HH:mm；不晚于开始时间即为次日，相同即 24 小时' }) @Matches(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/) end!: string;
  @ApiProperty() @IsInt() @Min(1) personId!: number;
  @ApiPropertyOptional({ type: Number, nullable: true }) @IsOptional() @IsInt() @Min(1) backupPersonId?: number | null;
}

export class DutyTemplateSlotViewDto extends DutyTemplateSlotDto implements DutyTemplateSlotView {
  @ApiProperty() personName!: string;
  @ApiProperty({ type: Number, nullable: true }) declare backupPersonId: number | null;
  @ApiProperty({ type: String, nullable: true }) backupPersonName!: string | null;
}

export class CreateDutyTemplateDto implements CreateDutyTemplateInput {
  @ApiProperty({ enum: DutyScopeKind }) @IsEnum(DutyScopeKind) scopeKind!: DutyScopeKind;
  @ApiProperty() @IsInt() @Min(1) scopeId!: number;
  @ApiProperty({ enum: LEVELS }) @IsIn(LEVELS) level!: EscalationLevel;
  @ApiPropertyOptional({ example: '第一网格网格员轮班' }) @IsOptional() @IsString() @Length(0, 50) name?: string;
  @ApiProperty({ type: [DutyTemplateSlotDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => DutyTemplateSlotDto)
  slots!: DutyTemplateSlotDto[];
}

export class UpdateDutyTemplateDto implements UpdateDutyTemplateInput {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 50) name?: string;
  @ApiProperty({ type: [DutyTemplateSlotDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => DutyTemplateSlotDto)
  slots!: DutyTemplateSlotDto[];
}

export class DutyTemplateQueryDto {
  @ApiPropertyOptional({ enum: DutyScopeKind }) @IsOptional() @IsEnum(DutyScopeKind) scopeKind?: DutyScopeKind;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) scopeId?: number;
}

export class DutyTemplateViewDto implements DutyTemplateView {
  @ApiProperty() id!: number;
  @ApiProperty() communityId!: number;
  @ApiProperty({ enum: DutyScopeKind }) scopeKind!: DutyScopeKind;
  @ApiProperty() scopeId!: number;
  @ApiProperty() scopeName!: string;
  @ApiProperty({ enum: LEVELS }) level!: EscalationLevel;
  @ApiProperty() levelLabel!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [DutyTemplateSlotViewDto] }) slots!: DutyTemplateSlotViewDto[];
  @ApiProperty() materialisedUntil!: string;
  @ApiProperty() updatedAt!: string;
}

// ---- swaps ----------------------------------------------------------------------------------

export class CreateDutySwapDto implements CreateDutySwapInput {
  @ApiProperty({ description: '我的班次' }) @IsInt() @Min(1) shiftId!: number;
  @ApiProperty({ description: '接班或换班的同事' }) @IsInt() @Min(1) counterpartId!: number;
  @ApiPropertyOptional({ type: Number, nullable: true, description: '与之互换的同事班次；不填则把我的班次交给同事' })
  @IsOptional()
  @IsInt()
  @Min(1)
  counterpartShiftId?: number | null;
  @ApiPropertyOptional({ example: '家中有事，周六夜班请帮忙' }) @IsOptional() @IsString() @Length(0, 200) note?: string;
}

export class DutySwapQueryDto {
  @ApiPropertyOptional({ description: '只看我发起或等我处理的' }) @IsOptional() @queryBoolean() @IsBoolean() mine?: boolean;
  @ApiPropertyOptional({ enum: DutySwapStatus }) @IsOptional() @IsEnum(DutySwapStatus) status?: DutySwapStatus;
}

export class DutySwapViewDto implements DutySwapView {
  @ApiProperty() id!: number;
  @ApiProperty({ enum: DutySwapStatus }) status!: DutySwapStatus;
  @ApiProperty() statusLabel!: string;
  @ApiProperty({ type: DutyShiftViewDto }) shift!: DutyShiftViewDto;
  @ApiProperty() requesterId!: number;
  @ApiProperty() requesterName!: string;
  @ApiProperty() counterpartId!: number;
  @ApiProperty() counterpartName!: string;
  @ApiProperty({ type: DutyShiftViewDto, nullable: true }) counterpartShift!: DutyShiftViewDto | null;
  @ApiProperty() note!: string;
  @ApiProperty({ type: Number, nullable: true }) decidedBy!: number | null;
  @ApiProperty({ type: String, nullable: true }) decidedAt!: string | null;
  @ApiProperty() createdAt!: string;
}

// ---- handovers ------------------------------------------------------------------------------

export class CreateDutyHandoverDto implements CreateDutyHandoverInput {
  @ApiProperty() @IsInt() @Min(1) shiftId!: number;
  @ApiProperty({ example: '恒达精密机械的消防通道堵塞已通知整改，明早复查' }) @IsString() @Length(1, 1000) @Matches(SOMETHING) note!: string;
}

export class DutyHandoverQueryDto {
  @ApiPropertyOptional({ description: '只看交给我的（我接班的）' }) @IsOptional() @queryBoolean() @IsBoolean() mine?: boolean;
  @ApiPropertyOptional({ enum: DutyScopeKind }) @IsOptional() @IsEnum(DutyScopeKind) scopeKind?: DutyScopeKind;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) scopeId?: number;
}

export class DutyHandoverViewDto implements DutyHandoverView {
  @ApiProperty() id!: number;
  @ApiProperty({ type: DutyShiftViewDto }) shift!: DutyShiftViewDto;
  @ApiProperty() fromPersonId!: number;
  @ApiProperty() fromPersonName!: string;
  @ApiProperty() note!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: Number, nullable: true }) acknowledgedBy!: number | null;
  @ApiProperty({ type: String, nullable: true }) acknowledgedByName!: string | null;
  @ApiProperty({ type: String, nullable: true }) acknowledgedAt!: string | null;
}

// ---- now, coverage, alerts ------------------------------------------------------------------

export class DutyNowQueryDto {
  @ApiPropertyOptional({ description: '网格；网格人员默认本网格' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) gridId?: number;
}

export class DutyOnDutyPersonDto implements DutyOnDutyPerson {
  @ApiProperty() shiftId!: number;
  @ApiProperty({ enum: DutyScopeKind }) scopeKind!: DutyScopeKind;
  @ApiProperty() scopeId!: number;
  @ApiProperty() scopeName!: string;
  @ApiProperty() personId!: number;
  @ApiProperty() personName!: string;
  @ApiProperty({ type: Number, nullable: true }) backupPersonId!: number | null;
  @ApiProperty({ type: String, nullable: true }) backupPersonName!: string | null;
  @ApiProperty() endsAt!: string;
}

class DutyNowLevelDto {
  @ApiProperty({ enum: LEVELS }) level!: EscalationLevel;
  @ApiProperty() levelLabel!: string;
  @ApiProperty({ type: [DutyOnDutyPersonDto] }) onDuty!: DutyOnDutyPersonDto[];
}

export class DutyNowViewDto implements DutyNowView {
  @ApiProperty() at!: string;
  @ApiProperty() gridId!: number;
  @ApiProperty() gridName!: string;
  @ApiProperty({ type: [DutyNowLevelDto] }) levels!: DutyNowLevelDto[];
}

export class DutyCoverageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 31, default: 7 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(31) days?: number;
}

class DutyGapViewDto implements DutyGapView {
  @ApiProperty() start!: string;
  @ApiProperty() end!: string;
}

class DutyUncoveredDayDto {
  @ApiProperty({ example: '2026-03-07' }) date!: string;
  @ApiProperty({ enum: ['workday', 'weekend', 'public_holiday', 'make_up_workday'] }) kind!: DutyDayKind;
  @ApiProperty({ example: '周末' }) kindLabel!: string;
  @ApiProperty() uncoveredMinutes!: number;
}

class DutyScopeCoverageViewDto implements DutyScopeCoverageView {
  @ApiProperty({ enum: DutyScopeKind }) scopeKind!: DutyScopeKind;
  @ApiProperty() scopeId!: number;
  @ApiProperty() scopeName!: string;
  @ApiProperty({ enum: LEVELS }) level!: EscalationLevel;
  @ApiProperty() levelLabel!: string;
  @ApiProperty() fullyCovered!: boolean;
  @ApiProperty() coveredMinutes!: number;
  @ApiProperty({ type: [DutyGapViewDto] }) gaps!: DutyGapViewDto[];
  @ApiProperty({ type: [DutyUncoveredDayDto] }) uncoveredDays!: DutyUncoveredDayDto[];
}

export class DutyCoverageViewDto implements DutyCoverageView {
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ type: [DutyScopeCoverageViewDto] }) scopes!: DutyScopeCoverageViewDto[];
}

export class DutyAlertQueryDto {
  @ApiPropertyOptional({ description: '只看未解决的（默认）；false 看全部' }) @IsOptional() @queryBoolean() @IsBoolean() open?: boolean;
}

export class DutyAlertViewDto implements DutyAlertView {
  @ApiProperty() id!: number;
  @ApiProperty({ enum: DutyScopeKind }) scopeKind!: DutyScopeKind;
  @ApiProperty() scopeId!: number;
  @ApiProperty() scopeName!: string;
  @ApiProperty({ enum: LEVELS }) level!: EscalationLevel;
  @ApiProperty() levelLabel!: string;
  @ApiProperty() gapStart!: string;
  @ApiProperty() gapEnd!: string;
  @ApiProperty({ enum: DutyAlertOrigin }) origin!: DutyAlertOrigin;
  @ApiProperty() raisedAt!: string;
  @ApiProperty({ type: String, nullable: true }) resolvedAt!: string | null;
  @ApiProperty({ enum: DutyAlertResolution, nullable: true }) resolution!: DutyAlertResolution | null;
}
