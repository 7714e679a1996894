import { PersonView, RoleAssignmentView } from './org';

export interface WechatLoginRequest {
  /** The code from Taro.login / wx.login. */
  code: string;
}

export interface BindPhoneRequest {
  /** The code from the getPhoneNumber button. */
  phoneCode: string;
}

export interface RefreshRequest {
  refreshToken: string;
}

export interface SwitchRoleRequest {
  roleAssignmentId: number;
}

export interface DemoLoginRequest {
  personId: number;
}

export interface Session {
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  /** Single use: every refresh returns a new one and retires the old. */
  refreshToken: string;
  me: MeView;
}

export interface MeView extends PersonView {
  /** The role the caller is acting in now; null until a phone is bound or a role is given. */
  activeRole: RoleAssignmentView | null;
  /** True until the person binds a phone number (staff are matched to invitations by phone). */
  needsPhone: boolean;
}

export interface DemoPerson {
  id: number;
  name: string;
  /** Role labels, e.g. 企业联系人. */
  roles: string[];
  /** Where each role applies, e.g. 宁波恒达精密机械有限公司 · 企业联系人 (tells namesakes apart). */
  scopes: string[];
}
