import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CatalogueQuery,
  CreatePartInput,
  CreateServiceItemInput,
  CreateStoreInput,
  MaintenanceSkill,
  NewPriceInput,
  PartView,
  PriceVersionView,
  ServiceItemQuery,
  ServiceItemView,
  StockAdjustmentInput,
  StockLineView,
  StockMovementKind,
  StockMovementListView,
  StockMovementQuery,
  StockMovementView,
  StockReceiptInput,
  StockThresholdInput,
  StoreStockView,
  StoreView,
  UpdatePartInput,
  UpdateServiceItemInput,
} from '@qihu/contracts';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsEnum, IsInt, IsISO8601, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { MAX_PRICE_FEN, MAX_STOCK_QUANTITY, MAX_WARRANTY_DAYS } from '../parts.rules';

const SOMETHING = /\S/;
/** Letters, digits and `-_.`, starting with a letter or digit: printed on bills, typed on phones. */
const CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;
const queryBoolean = () => Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value));
const trimmed = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

// ---- price versions -------------------------------------------------------------------------

export class PriceVersionViewDto implements PriceVersionView {
  @ApiProperty() id!: number;
  @ApiProperty() version!: number;
  @ApiProperty({ example: 8000, description: '单价（分）' }) priceFen!: number;
  @ApiProperty({ example: 90, description: '质保天数' }) warrantyDays!: number;
  @ApiProperty() validFrom!: string;
  @ApiProperty({ type: String, nullable: true, description: '现行版本为 null' }) validTo!: string | null;
  @ApiProperty() note!: string;
  @ApiProperty() createdBy!: number;
  @ApiProperty() createdByName!: string;
  @ApiProperty() createdAt!: string;
}

export class NewPriceDto implements NewPriceInput {
  @ApiProperty({ example: 8000, minimum: 0, maximum: MAX_PRICE_FEN, description: '单价（分），整数' }) @IsInt() @Min(0) @Max(MAX_PRICE_FEN) priceFen!: number;
  @ApiProperty({ example: 90, minimum: 0, maximum: MAX_WARRANTY_DAYS, description: '质保天数' }) @IsInt() @Min(0) @Max(MAX_WARRANTY_DAYS) warrantyDays!: number;
  @ApiPropertyOptional({ example: '2026-07-01T00:00:00+08:00', description: '生效时间，默认现在；不能早于现在' }) @IsOptional() @IsISO8601({ strict: true }) validFrom?: string;
  @ApiPropertyOptional({ example: '2026 年调价' }) @IsOptional() @IsString() @trimmed() @Length(0, 200) note?: string;
}

// ---- the price list and the parts catalogue ---------------------------------------------------

class CatalogueEntryViewDto {
  @ApiProperty() id!: number;
  @ApiProperty({ example: 'S-ELEC-01' }) code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: '次' }) unit!: string;
  @ApiProperty() active!: boolean;
  @ApiProperty({ type: PriceVersionViewDto, nullable: true, description: '现在生效的价格' }) current!: PriceVersionViewDto | null;
  @ApiProperty({ type: PriceVersionViewDto, nullable: true, description: '已设定、尚未生效的新价格' }) upcoming!: PriceVersionViewDto | null;
}

export class ServiceItemViewDto extends CatalogueEntryViewDto implements ServiceItemView {
  @ApiProperty({ enum: MaintenanceSkill }) skill!: MaintenanceSkill;
  @ApiProperty({ example: '电气' }) skillLabel!: string;
}

export class PartViewDto extends CatalogueEntryViewDto implements PartView {
  @ApiProperty({ example: 'C32 3P' }) spec!: string;
}

export class CatalogueQueryDto implements CatalogueQuery {
  @ApiPropertyOptional() @IsOptional() @queryBoolean() @IsBoolean() active?: boolean;
  @ApiPropertyOptional({ description: '编码或名称包含' }) @IsOptional() @IsString() @Length(1, 50) q?: string;
}

export class ServiceItemQueryDto extends CatalogueQueryDto implements ServiceItemQuery {
  @ApiPropertyOptional({ enum: MaintenanceSkill }) @IsOptional() @IsEnum(MaintenanceSkill) skill?: MaintenanceSkill;
}

export class CreateServiceItemDto extends NewPriceDto implements CreateServiceItemInput {
  @ApiProperty({ example: 'S-ELEC-01' }) @IsString() @Matches(CODE) code!: string;
  @ApiProperty({ example: '电气故障检修' }) @IsString() @trimmed() @Length(1, 50) @Matches(SOMETHING) name!: string;
  @ApiProperty({ example: '次' }) @IsString() @trimmed() @Length(1, 10) @Matches(SOMETHING) unit!: string;
  @ApiProperty({ enum: MaintenanceSkill }) @IsEnum(MaintenanceSkill) skill!: MaintenanceSkill;
}

export class UpdateServiceItemDto implements UpdateServiceItemInput {
  @ApiPropertyOptional() @IsOptional() @IsString() @trimmed() @Length(1, 50) @Matches(SOMETHING) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @trimmed() @Length(1, 10) @Matches(SOMETHING) unit?: string;
  @ApiPropertyOptional({ enum: MaintenanceSkill }) @IsOptional() @IsEnum(MaintenanceSkill) skill?: MaintenanceSkill;
  @ApiPropertyOptional({ description: '停用后不能再计入新的账单，旧账单不受影响' }) @IsOptional() @IsBoolean() active?: boolean;
}

export class CreatePartDto extends NewPriceDto implements CreatePartInput {
  @ApiProperty({ example: 'P-MCB-C32' }) @IsString() @Matches(CODE) code!: string;
  @ApiProperty({ example: '空气开关' }) @IsString() @trimmed() @Length(1, 50) @Matches(SOMETHING) name!: string;
  @ApiPropertyOptional({ example: 'C32 3P' }) @IsOptional() @IsString() @trimmed() @Length(0, 100) spec?: string;
  @ApiProperty({ example: '个' }) @IsString() @trimmed() @Length(1, 10) @Matches(SOMETHING) unit!: string;
}

export class UpdatePartDto implements UpdatePartInput {
  @ApiPropertyOptional() @IsOptional() @IsString() @trimmed() @Length(1, 50) @Matches(SOMETHING) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @trimmed() @Length(0, 100) spec?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @trimmed() @Length(1, 10) @Matches(SOMETHING) unit?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
}

// ---- stores and stock -----------------------------------------------------------------------

export class StoreViewDto implements StoreView {
  @ApiProperty() id!: number;
  @ApiProperty({ example: '机电维修一队备件库' }) name!: string;
  @ApiProperty({ type: Number, nullable: true, description: '中心库为 null' }) crewId!: number | null;
  @ApiProperty({ type: String, nullable: true }) crewName!: string | null;
  @ApiProperty({ description: '库存处于或低于预警值的配件数' }) lowCount!: number;
}

export class CreateStoreDto implements CreateStoreInput {
  @ApiProperty({ example: '中心备件库' }) @IsString() @trimmed() @Length(1, 50) @Matches(SOMETHING) name!: string;
  @ApiPropertyOptional({ type: Number, nullable: true, description: '维修队的备件库（每队一个）；中心库不填' }) @IsOptional() @IsInt() @Min(1) crewId?: number | null;
}

export class StockLineViewDto implements StockLineView {
  @ApiProperty() storeId!: number;
  @ApiProperty() storeName!: string;
  @ApiProperty() partId!: number;
  @ApiProperty() partCode!: string;
  @ApiProperty() partName!: string;
  @ApiProperty() spec!: string;
  @ApiProperty() unit!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty() lowThreshold!: number;
  @ApiProperty({ description: '库存处于或低于预警值' }) low!: boolean;
}

export class StoreStockViewDto implements StoreStockView {
  @ApiProperty({ type: StoreViewDto }) store!: StoreViewDto;
  @ApiProperty({ type: [StockLineViewDto] }) lines!: StockLineViewDto[];
}

export class StockReceiptDto implements StockReceiptInput {
  @ApiProperty() @IsInt() @Min(1) partId!: number;
  @ApiProperty({ minimum: 1, maximum: MAX_STOCK_QUANTITY }) @IsInt() @Min(1) @Max(MAX_STOCK_QUANTITY) quantity!: number;
  @ApiPropertyOptional({ example: '2026 年第二批采购' }) @IsOptional() @IsString() @trimmed() @Length(0, 200) note?: string;
}

export class StockAdjustmentDto implements StockAdjustmentInput {
  @ApiProperty() @IsInt() @Min(1) partId!: number;
  @ApiProperty({ minimum: 0, maximum: MAX_STOCK_QUANTITY, description: '盘点实数' }) @IsInt() @Min(0) @Max(MAX_STOCK_QUANTITY) countedQuantity!: number;
  @ApiProperty({ example: '月度盘点' }) @IsString() @trimmed() @Length(1, 200) @Matches(SOMETHING) reason!: string;
}

export class StockThresholdDto implements StockThresholdInput {
  @ApiProperty({ minimum: 0, maximum: MAX_STOCK_QUANTITY }) @IsInt() @Min(0) @Max(MAX_STOCK_QUANTITY) lowThreshold!: number;
}

export class StockMovementViewDto implements StockMovementView {
  @ApiProperty() id!: number;
  @ApiProperty() storeId!: number;
  @ApiProperty() partId!: number;
  @ApiProperty() partCode!: string;
  @ApiProperty() partName!: string;
  @ApiProperty() unit!: string;
  @ApiProperty({ enum: StockMovementKind }) kind!: StockMovementKind;
  @ApiProperty({ example: '领用' }) kindLabel!: string;
  @ApiProperty({ description: '库存变化，领用为负' }) quantity!: number;
  @ApiProperty() balanceAfter!: number;
  @ApiProperty({ type: Number, nullable: true }) ticketId!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: '退回对应的领用记录' }) takeId!: number | null;
  @ApiProperty() personId!: number;
  @ApiProperty() personName!: string;
  @ApiProperty() at!: string;
  @ApiProperty() note!: string;
}

export class StockMovementQueryDto implements StockMovementQuery {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) partId?: number;
  @ApiPropertyOptional({ description: '只看比此编号更早的记录（翻页）' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) beforeId?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}

export class StockMovementListViewDto implements StockMovementListView {
  @ApiProperty({ type: [StockMovementViewDto] }) items!: StockMovementViewDto[];
  @ApiProperty({ type: Number, nullable: true }) nextBeforeId!: number | null;
}
