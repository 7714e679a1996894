import { FIRM_SCALE_LABEL, FirmScale, MicrogridKind, Role, ROLE_LABEL } from '@qihu/contracts';
import { usccCheckDigit } from '@qihu/domain';

/** The four rosters, in the order a whole workbook is imported (each refers to the ones before). */
export enum RosterSheet {
  Grids = 'grids',
  Microgrids = 'microgrids',
  Firms = 'firms',
  Staff = 'staff',
}

/** `all`: one workbook with a worksheet per roster. */
export const WHOLE_ROSTER = 'all';
export type RosterTarget = RosterSheet | typeof WHOLE_ROSTER;

export const SHEET_ORDER: readonly RosterSheet[] = [RosterSheet.Grids, RosterSheet.Microgrids, RosterSheet.Firms, RosterSheet.Staff];

export const MICROGRID_KIND_LABEL: Record<MicrogridKind, string> = {
  [MicrogridKind.SingleFirm]: '一企一格',
  [MicrogridKind.SmallFirms]: '多企一格',
  [MicrogridKind.Park]: '一园一格',
  [MicrogridKind.Building]: '一楼一格',
  [MicrogridKind.Block]: '一区块一格',
};

/** Roles a roster may grant: every role but the automatic actor. */
export const IMPORTABLE_ROLES: readonly Role[] = (Object.values(Role) as Role[]).filter((r) => r !== Role.System);

export const COL = {
  gridCode: '网格编码',
  gridName: '网格名称',
  microgridCode: '微网格编码',
  microgridName: '微网格名称',
  parentGridCode: '所属网格编码',
  microgridKind: '类型',
  firmName: '企业名称',
  creditCode: '统一社会信用代码',
  scale: '规模',
  industry: '行业',
  address: '地址',
  latitude: '纬度',
  longitude: '经度',
  personName: '姓名',
  phone: '手机号',
  role: '角色',
  firmCreditCode: '企业信用代码',
  departmentCode: '部门编码',
  crewName: '维修队名称',
} as const;

export interface ColumnSpec {
  header: string;
  width: number;
  /** Codes, phone numbers: stored as text so Excel keeps leading zeros and all 17–18 digits. */
  text?: boolean;
  /** A drop-down list in the template. */
  list?: readonly string[];
}

export interface SheetSpec {
  sheet: RosterSheet;
  /** Worksheet name and file name stem. */
  title: string;
  columns: readonly ColumnSpec[];
  /**
   * The example row of the template (second row), built from the admin's community code. Its
   * names say 示例 so that a row equal to it in every cell is never real data and can be skipped.
   */
  example(communityCode: string): Record<string, string>;
}

export const SHEETS: Record<RosterSheet, SheetSpec> = {
  [RosterSheet.Grids]: {
    sheet: RosterSheet.Grids,
    title: '网格',
    columns: [
      { header: COL.gridCode, width: 20, text: true },
      { header: COL.gridName, width: 24 },
    ],
    example: (c) => ({ [COL.gridCode]: `${c}001`, [COL.gridName]: '示例网格' }),
  },
  [RosterSheet.Microgrids]: {
    sheet: RosterSheet.Microgrids,
    title: '微网格',
    columns: [
      { header: COL.microgridCode, width: 22, text: true },
      { header: COL.microgridName, width: 24 },
      { header: COL.parentGridCode, width: 20, text: true },
      { header: COL.microgridKind, width: 14, list: Object.values(MICROGRID_KIND_LABEL) },
    ],
    example: (c) => ({
      [COL.microgridCode]: `${c}00101`,
      [COL.microgridName]: '示例微网格',
      [COL.parentGridCode]: `${c}001`,
      [COL.microgridKind]: MICROGRID_KIND_LABEL[MicrogridKind.SmallFirms],
    }),
  },
  [RosterSheet.Firms]: {
    sheet: RosterSheet.Firms,
    title: '企业',
    columns: [
      { header: COL.firmName, width: 32 },
      { header: COL.creditCode, width: 24, text: true },
      { header: COL.scale, width: 10, list: Object.values(FIRM_SCALE_LABEL) },
      { header: COL.industry, width: 16 },
      { header: COL.address, width: 32 },
      { header: COL.latitude, width: 12 },
      { header: COL.longitude, width: 12 },
      { header: COL.microgridCode, width: 22, text: true },
    ],
    example: (c) => ({
      [COL.firmName]: '宁波示例精密机械有限公司',
      [COL.creditCode]: `91330206MA2000001${usccCheckDigit('91330206MA2000001')}`,
      [COL.scale]: FIRM_SCALE_LABEL[FirmScale.Above],
      [COL.industry]: '通用设备制造',
      [COL.address]: '滨海大道100号',
      [COL.latitude]: '29.9',
      [COL.longitude]: '121.85',
      [COL.microgridCode]: `${c}00101`,
    }),
  },
  [RosterSheet.Staff]: {
    sheet: RosterSheet.Staff,
    title: '人员',
    columns: [
      { header: COL.personName, width: 12 },
      { header: COL.phone, width: 16, text: true },
      { header: COL.role, width: 14, list: IMPORTABLE_ROLES.map((r) => ROLE_LABEL[r]) },
      { header: COL.gridCode, width: 20, text: true },
      { header: COL.microgridCode, width: 22, text: true },
      { header: COL.firmCreditCode, width: 24, text: true },
      { header: COL.departmentCode, width: 14, text: true },
      { header: COL.crewName, width: 16 },
    ],
    example: (c) => ({
      [COL.personName]: '示例人员',
      [COL.phone]: '13800000000',
      [COL.role]: ROLE_LABEL[Role.GridLeader],
      [COL.gridCode]: `${c}001`,
      [COL.microgridCode]: '',
      [COL.firmCreditCode]: '',
      [COL.departmentCode]: '',
      [COL.crewName]: '',
    }),
  },
};

export function isRosterTarget(value: string): value is RosterTarget {
  return value === WHOLE_ROSTER || (Object.values(RosterSheet) as string[]).includes(value);
}

/** 企业名单模板.xlsx, 花名册_2026-03-01.xlsx …, with an ASCII name for old clients. */
export function rosterFileName(target: RosterTarget, kind: 'template' | 'export', date: string): { fileName: string; asciiFileName: string } {
  const stem = target === WHOLE_ROSTER ? '花名册' : `${SHEETS[target].title}名单`;
  return kind === 'template'
    ? { fileName: `${stem}模板.xlsx`, asciiFileName: `roster-${target}-template.xlsx` }
    : { fileName: `${stem}_${date}.xlsx`, asciiFileName: `roster-${target}-${date}.xlsx` };
}
