import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ChangeRequestStatus, GridChangeKind, MicrogridKind, Role } from '@qihu/contracts';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, Equals, IsArray, IsEnum, IsInt, IsISO8601, IsOptional, IsString, Length, Matches, Min } from 'class-validator';

/** Not blank: a reason or a note of spaces says nothing. */
const SOMETHING = /\S/;

abstract class GridChangeBase {
  @ApiPropertyOptional({ description: '生效时间（ISO 8601），默认批准时立即生效；不能早于当前时间', example: '2026-07-01T00:00:00+08:00' })
  @IsOptional()
  @IsISO8601({ strict: true })
  effectiveFrom?: string;

  @ApiProperty({ example: '企业数量超出网格规模，按园区拆分' })
  @IsString()
  @Length(1, 500)
  @Matches(SOMETHING)
  reason!: string;
}

/** 拆分: the named micro-grids (and their firms) leave the grid for a new one. */
export class SplitGridChangeDto extends GridChangeBase {
  @ApiProperty({ enum: [GridChangeKind.Split] }) @Equals(GridChangeKind.Split) kind!: GridChangeKind.Split;
  @ApiProperty() @IsInt() @Min(1) gridId!: number;
  @ApiProperty({ example: '第四网格' }) @IsString() @Length(1, 100) @Matches(SOMETHING) newGridName!: string;

  @ApiProperty({ type: [Number], description: '划入新网格的微网格（须为该网格的部分而非全部微网格）' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(99)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  microgridIds!: number[];
}

/** 合并: every micro-grid (and firm) of fromGrid moves into intoGrid; fromGrid is withdrawn. */
export class MergeGridChangeDto extends GridChangeBase {
  @ApiProperty({ enum: [GridChangeKind.Merge] }) @Equals(GridChangeKind.Merge) kind!: GridChangeKind.Merge;
  @ApiProperty() @IsInt() @Min(1) fromGridId!: number;
  @ApiProperty() @IsInt() @Min(1) intoGridId!: number;
}

/** 撤销: a grid without firms is withdrawn with its micro-grids. */
export class WithdrawGridChangeDto extends GridChangeBase {
  @ApiProperty({ enum: [GridChangeKind.Withdraw] }) @Equals(GridChangeKind.Withdraw) kind!: GridChangeKind.Withdraw;
  @ApiProperty() @IsInt() @Min(1) gridId!: number;
}

export type CreateGridChangeDto = SplitGridChangeDto | MergeGridChangeDto | WithdrawGridChangeDto;

export class GridChangeQueryDto {
  @ApiPropertyOptional({ enum: ChangeRequestStatus }) @IsOptional() @IsEnum(ChangeRequestStatus) status?: ChangeRequestStatus;
}

export class RejectGridChangeDto {
  @ApiProperty({ example: '第三网格人手不足，暂缓拆分' }) @IsString() @Length(1, 500) @Matches(SOMETHING) note!: string;
}

class NewGridDto {
  @ApiProperty({ description: '批准时分配；待审批时为空' }) code!: string;
  @ApiProperty() name!: string;
}

/** The stored payload: which fields are set depends on kind. */
export class GridChangePayloadDto {
  @ApiProperty({ enum: GridChangeKind }) kind!: GridChangeKind;
  @ApiPropertyOptional({ description: '拆分、撤销：所涉网格' }) gridId?: number;
  @ApiPropertyOptional({ type: NewGridDto, description: '拆分：新网格' }) newGrid?: NewGridDto;
  @ApiPropertyOptional({ type: [Number], description: '拆分：划入新网格的微网格' }) microgridIds?: number[];
  @ApiPropertyOptional({ description: '合并：被并入的网格（将撤销）' }) fromGridId?: number;
  @ApiPropertyOptional({ description: '合并：并入的目标网格' }) intoGridId?: number;
}

export class GridChangeRequestViewDto {
  @ApiProperty() id!: number;
  @ApiProperty() communityId!: number;
  @ApiProperty({ enum: GridChangeKind }) kind!: GridChangeKind;
  @ApiProperty({ enum: ChangeRequestStatus }) status!: ChangeRequestStatus;
  @ApiProperty({ type: GridChangePayloadDto }) payload!: GridChangePayloadDto;
  @ApiProperty() reason!: string;
  @ApiProperty({ description: '申请的生效时间；批准后为实际生效时间（不早于批准时间）' }) effectiveFrom!: string;
  @ApiProperty() requestedBy!: number;
  @ApiProperty({ nullable: true, type: Number }) decidedBy!: number | null;
  @ApiProperty({ nullable: true, type: String }) decidedAt!: string | null;
  @ApiProperty() decisionNote!: string;
  @ApiProperty() createdAt!: string;
}

export class MovedMicrogridDto {
  @ApiProperty({ description: '原微网格（已撤销）' }) fromId!: number;
  @ApiProperty() fromCode!: string;
  @ApiProperty({ description: '新微网格' }) id!: number;
  @ApiProperty() code!: string;
  @ApiProperty() gridId!: number;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: MicrogridKind }) kind!: MicrogridKind;
  @ApiProperty({ description: '随之迁移的企业数' }) firmCount!: number;
}

export class ChangedAssignmentDto {
  @ApiProperty({ description: '角色分配编号' }) id!: number;
  @ApiProperty() personId!: number;
  @ApiProperty() personName!: string;
  @ApiProperty({ enum: Role }) role!: Role;
  @ApiProperty({ nullable: true, type: Number }) gridId!: number | null;
  @ApiProperty({ nullable: true, type: Number }) microgridId!: number | null;
  @ApiPropertyOptional({ description: '沿用到新微网格时：被撤销的原角色分配编号' }) replacesId?: number;
}

/** What an approval did: the admin re-invites the people in `revokedAssignments`. */
export class GridChangeOutcomeDto {
  @ApiProperty({ type: [Number], description: '新建的网格（拆分）' }) createdGridIds!: number[];
  @ApiProperty({ type: [Number], description: '撤销的网格（合并、撤销）' }) withdrawnGridIds!: number[];
  @ApiProperty({ type: [MovedMicrogridDto] }) microgrids!: MovedMicrogridDto[];
  @ApiProperty({ type: [Number], description: '撤销而未迁移的微网格（撤销网格时）' }) withdrawnMicrogridIds!: number[];
  @ApiProperty({ description: '迁移的企业数' }) firmsMoved!: number;
  @ApiProperty({ type: [ChangedAssignmentDto], description: '微网格长沿用到新微网格（原分配已撤销，保留历史）' }) carriedAssignments!: ChangedAssignmentDto[];
  @ApiProperty({ type: [ChangedAssignmentDto], description: '已撤销、需重新邀请的角色' }) revokedAssignments!: ChangedAssignmentDto[];
}

export class ApprovedGridChangeDto extends GridChangeRequestViewDto {
  @ApiProperty({ type: GridChangeOutcomeDto }) outcome!: GridChangeOutcomeDto;
}
