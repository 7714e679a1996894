import { ApiProperty } from '@nestjs/swagger';
import {
  BindPhoneRequest,
  DemoLoginRequest,
  DemoPerson,
  MeView,
  RefreshRequest,
  Role,
  RoleAssignmentView,
  Session,
  SwitchRoleRequest,
  WechatLoginRequest,
} from '@qihu/contracts';
import { IsInt, IsString, Length, Matches, Min } from 'class-validator';

export class WechatLoginDto implements WechatLoginRequest {
  @ApiProperty({ description: 'Taro.login / wx.login 返回的 code' })
  @IsString()
  @Length(1, 128)
  code!: string;
}

export class BindPhoneDto implements BindPhoneRequest {
  @ApiProperty({ description: '手机号授权按钮返回的 code' })
  @IsString()
  @Length(1, 128)
  phoneCode!: string;
}

export class RefreshDto implements RefreshRequest {
  @ApiProperty()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{20,100}$/)
  refreshToken!: string;
}

export class SwitchRoleDto implements SwitchRoleRequest {
  @ApiProperty()
  @IsInt()
  @Min(1)
  roleAssignmentId!: number;
}

export class DemoLoginDto implements DemoLoginRequest {
  @ApiProperty()
  @IsInt()
  @Min(1)
  personId!: number;
}

export class RoleAssignmentViewDto implements RoleAssignmentView {
  @ApiProperty() id!: number;
  @ApiProperty({ enum: Role }) role!: Role;
  @ApiProperty({ example: '网格长' }) roleLabel!: string;
  @ApiProperty({ example: '第一网格 · 网格长' }) scopeLabel!: string;
  @ApiProperty() communityId!: number;
  @ApiProperty({ nullable: true }) gridId!: number | null;
  @ApiProperty({ nullable: true }) microgridId!: number | null;
  @ApiProperty({ nullable: true }) firmId!: number | null;
  @ApiProperty({ nullable: true }) departmentId!: number | null;
  @ApiProperty({ nullable: true }) crewId!: number | null;
}

export class MeViewDto implements MeView {
  @ApiProperty() id!: number;
  @ApiProperty() name!: string;
  @ApiProperty({ example: '138****8000' }) phone!: string;
  @ApiProperty() linked!: boolean;
  @ApiProperty({ type: [RoleAssignmentViewDto] }) roles!: RoleAssignmentViewDto[];
  @ApiProperty({ type: RoleAssignmentViewDto, nullable: true }) activeRole!: RoleAssignmentViewDto | null;
  @ApiProperty() needsPhone!: boolean;
}

export class SessionDto implements Session {
  @ApiProperty() accessToken!: string;
  @ApiProperty({ example: 900 }) expiresIn!: number;
  @ApiProperty() refreshToken!: string;
  @ApiProperty({ type: MeViewDto }) me!: MeViewDto;
}

export class DemoPersonDto implements DemoPerson {
  @ApiProperty() id!: number;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [String], example: ['企业联系人'] }) roles!: string[];
  @ApiProperty({ type: [String], example: ['宁波恒达精密机械有限公司 · 企业联系人'] }) scopes!: string[];
}
