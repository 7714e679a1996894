import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CrewCheckInRequest, DispatchRequest, FinishRequest, MaintenanceSkill, UpdateCrewRequest, WorkLineKind, WorkLineRequest } from '@qihu/contracts';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEnum,
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
import { UPLOAD_ID } from '../../tickets/dto/ticket-actions.dto';

export class UpdateCrewDto implements UpdateCrewRequest {
  @ApiPropertyOptional({ enum: MaintenanceSkill, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(Object.values(MaintenanceSkill).length)
  @IsEnum(MaintenanceSkill, { each: true, message: '技能须为 电气、机械、液压、锅炉、造纸设备 或 其他' })
  skills?: MaintenanceSkill[];

  @ApiPropertyOptional({ type: [Number], description: '服务的网格；空数组表示全社区' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsInt({ each: true })
  @Min(1, { each: true })
  gridIds?: number[];
}

export class DispatchDto implements DispatchRequest {
  @ApiPropertyOptional({ description: '维修队编号；不填则派给具备该设备技能的值班维修队' })
  @IsOptional()
  @IsInt()
  @Min(1)
  crewId?: number;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class DeclineDto {
  @ApiProperty({ example: '队员都在另一处抢修，无法在时限内到场', maxLength: 500 })
  @IsString()
  @IsNotEmpty({ message: '请填写拒单原因' })
  @MaxLength(500)
  reason!: string;
}

export class CrewCheckInDto implements CrewCheckInRequest {
  @ApiPropertyOptional() @IsOptional() @IsLatitude({ message: '纬度不正确' }) latitude?: number;
  @ApiPropertyOptional() @IsOptional() @IsLongitude({ message: '经度不正确' }) longitude?: number;

  @ApiPropertyOptional({ description: '定位精度（米）' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(100_000)
  accuracy?: number;

  @ApiPropertyOptional({ description: '扫描设备二维码得到的内容，或设备编号' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  label?: string;
}

export class WorkLineDto implements WorkLineRequest {
  @ApiProperty({ enum: WorkLineKind })
  @IsEnum(WorkLineKind, { message: '类型须为 service（服务项目）或 part（配件）' })
  kind!: WorkLineKind;

  @ApiProperty({ example: 'SV-ELEC' })
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: '编码不正确' })
  code!: string;

  @ApiProperty({ minimum: 1, maximum: 999 })
  @IsInt({ message: '数量须为 1–999 的整数' })
  @Min(1, { message: '数量须为 1–999 的整数' })
  @Max(999, { message: '数量须为 1–999 的整数' })
  quantity!: number;
}

export class FinishDto implements FinishRequest {
  @ApiProperty({ example: '更换交流接触器，试机正常', maxLength: 1000 })
  @IsString()
  @IsNotEmpty({ message: '请填写完工说明' })
  @MaxLength(1000)
  note!: string;

  @ApiPropertyOptional({ type: [String], maxItems: 9 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(9, { message: '一次最多 9 张照片' })
  @Matches(UPLOAD_ID, { each: true, message: '附件编号不正确' })
  photoIds?: string[];

  @ApiPropertyOptional({ description: '远程问诊：未到场解决' })
  @IsOptional()
  @IsBoolean()
  remote?: boolean;
}

export class DispatchListQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'all'] })
  @IsOptional()
  @IsIn(['open', 'all'])
  state?: 'open' | 'all';
}
