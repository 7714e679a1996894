import { Role } from './roles';

/** Stored as these strings: do not rename. */
export enum CommunityClass {
  General = 'general', // 一般
  Large = 'large', // 较大
  ExtraLarge = 'extra_large', // 特大
}

export enum FirmScale {
  Above = 'above', // 规上企业
  Below = 'below', // 规下企业
}

export const FIRM_SCALE_LABEL: Record<FirmScale, string> = {
  [FirmScale.Above]: '规上',
  [FirmScale.Below]: '规下',
};

/** 一企一格 / 多企一格 / 一园一格 / 一楼一格 / 一区块一格 */
export enum MicrogridKind {
  SingleFirm = 'single_firm',
  SmallFirms = 'small_firms',
  Park = 'park',
  Building = 'building',
  Block = 'block',
}

export enum CategoryGroup {
  Safety = 'safety', // 平安建设
  Business = 'business', // 助企服务
  Equipment = 'equipment', // 设备故障
}

export enum SlaCalendarKind {
  AlwaysOpen = 'always_open', // 24×7
  WorkingTime = 'working_time', // 工作时间
}

export enum GridStatus {
  Active = 'active',
  Withdrawn = 'withdrawn', // 撤销
}

export enum GridChangeKind {
  Split = 'split', // 拆分
  Merge = 'merge', // 合并
  Withdraw = 'withdraw', // 撤销
}

export enum ChangeRequestStatus {
  Pending = 'pending',
  Approved = 'approved',
  Rejected = 'rejected',
}

/** Rules of domain.md that are warned about, never enforced. */
export enum OrgWarningCode {
  GridFirmCountOutOfBand = 'grid_firm_count_out_of_band',
  SmallFirmMicrogridOutOfBand = 'small_firm_microgrid_out_of_band',
  LargeFirmSharesMicrogrid = 'large_firm_shares_microgrid',
  MicrogridLeadersMissing = 'microgrid_leaders_missing',
  GridStaffIncomplete = 'grid_staff_incomplete',
}

export interface OrgWarning {
  code: OrgWarningCode;
  message: string;
  gridCode?: string;
  microgridCode?: string;
  firmId?: number;
}

export interface CommunityView {
  id: number;
  code: string;
  name: string;
  class: CommunityClass;
  firmBandMin: number;
  firmBandMax: number;
}

export interface GridView {
  id: number;
  communityId: number;
  code: string;
  name: string;
  status: GridStatus;
  firmCount: number;
}

export interface MicrogridView {
  id: number;
  gridId: number;
  code: string;
  name: string;
  kind: MicrogridKind;
  status: GridStatus;
  firmCount: number;
}

export interface FirmView {
  id: number;
  communityId: number;
  gridId: number;
  microgridId: number;
  name: string;
  creditCode: string;
  scale: FirmScale;
  industry: string;
  address: string;
  latitude: number | null;
  longitude: number | null;
}

export interface DepartmentView {
  id: number;
  communityId: number;
  code: string;
  name: string;
}

export interface CategoryView {
  id: number;
  communityId: number;
  code: string;
  name: string;
  group: CategoryGroup;
  departmentId: number | null;
  ackMinutes: number;
  escalateMinutes: number;
  resolveMinutes: number;
  confirmHours: number;
  calendar: SlaCalendarKind;
  requiresOnSite: boolean;
}

/** Where a role applies. Exactly the ids that the role's scope needs are set; the others are null. */
export interface RoleScope {
  communityId: number;
  gridId: number | null;
  microgridId: number | null;
  firmId: number | null;
  departmentId: number | null;
  crewId: number | null;
}

export interface RoleAssignmentView extends RoleScope {
  id: number;
  role: Role;
  roleLabel: string;
  /** e.g. 「一网格 · 网格长」 for the role switcher. */
  scopeLabel: string;
}

export interface PersonView {
  id: number;
  name: string;
  /** 138****8000: full numbers only to the community admin. */
  phone: string;
  linked: boolean;
  roles: RoleAssignmentView[];
}
