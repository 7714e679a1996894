import { FIRM_SCALE_LABEL, FirmScale, MicrogridKind, Role, ROLE_LABEL } from '@qihu/contracts';
import { checkUnifiedSocialCreditCode, isValidGridCode, isValidMicrogridCode, normalizeChineseMobile } from '@qihu/domain';
import { CREDIT_CODE_PROBLEM } from '../credit-code';
import { ROLE_SCOPE_FIELDS } from '../../identity/caller';
import { COL, IMPORTABLE_ROLES, MICROGRID_KIND_LABEL, RosterSheet, SHEETS } from './roster.sheets';

/**
 * Row validators of the roster import: pure functions over the cells of a row and what the
 * community already holds (the context), so a dry run and a commit judge alike. A valid row
 * becomes a plan (create, update or leave as is); its key is added to the context so later rows
 * and later sheets of the same file may refer to it.
 */

/** One problem of one cell; `row` is the Excel row number (the header is row 1). */
export interface RowError {
  sheet: string;
  row: number;
  column: string;
  reason: string;
}

/** A data row as read from the worksheet: trimmed text by header. */
export interface RawRow {
  row: number;
  cells: Readonly<Record<string, string>>;
  /** Headers whose cell held a number too long for Excel to keep exactly (a 17-digit code). */
  lossy: ReadonlySet<string>;
}

export type Change = 'create' | 'update' | 'same';

export interface KnownGrid {
  id: number | null;
  name: string;
  active: boolean;
}

export interface KnownMicrogrid {
  id: number | null;
  gridCode: string;
  name: string;
  kind: MicrogridKind;
  active: boolean;
}

export interface FirmFields {
  name: string;
  scale: FirmScale;
  industry: string;
  address: string;
  latitude: number | null;
  longitude: number | null;
}

export interface KnownFirm extends FirmFields {
  id: number | null;
  /** The micro-grid of the placement in force now; null when the firm has none. */
  microgridCode: string | null;
}

/**
 * What the community holds, keyed the way the sheets refer to it. `id: null` marks what an
 * earlier sheet of the same file will create.
 */
export interface RosterContext {
  communityCode: string;
  grids: Map<string, KnownGrid>;
  microgrids: Map<string, KnownMicrogrid>;
  /** By credit code, this community's firms only. */
  firms: Map<string, KnownFirm>;
  /** Credit codes in the file that another community has registered (credit codes are unique). */
  foreignCreditCodes: Set<string>;
  departmentCodes: Set<string>;
  /** Crew name → how many crews carry it. */
  crewNames: Map<string, number>;
  /** By phone: people who exist already. */
  people: Map<string, { id: number; name: string }>;
  /** staffKey() of every active role in the community. */
  assignments: Set<string>;
}

export interface GridPlan {
  row: number;
  change: Change;
  id: number | null;
  code: string;
  name: string;
}

export interface MicrogridPlan {
  row: number;
  change: Change;
  id: number | null;
  code: string;
  gridCode: string;
  name: string;
  kind: MicrogridKind;
}

export interface FirmPlan extends FirmFields {
  row: number;
  change: Change;
  id: number | null;
  creditCode: string;
  microgridCode: string;
  /** A placement opens in this micro-grid from now (new firm, or moved). */
  place: boolean;
  /** Name, scale, industry, address or location differ from the stored firm. */
  fieldsChanged: boolean;
}

export interface StaffScopeCodes {
  gridCode: string | null;
  microgridCode: string | null;
  firmCreditCode: string | null;
  departmentCode: string | null;
  crewName: string | null;
}

export interface StaffPlan {
  row: number;
  change: Change;
  name: string;
  phone: string;
  role: Role;
  scope: StaffScopeCodes;
  /** The person exists under another name: the roster's name wins. */
  rename: boolean;
  /** The role in this scope is new. */
  assign: boolean;
}

export interface SheetResult<P> {
  errors: RowError[];
  plans: P[];
}

const REQUIRED = '必填';
const tooLong = (max: number) => `不能超过 ${max} 个字`;
const duplicateOf = (row: number) => `与第 ${row} 行重复`;

const KIND_BY_LABEL = new Map(Object.entries(MICROGRID_KIND_LABEL).map(([kind, label]) => [label, kind as MicrogridKind]));
const SCALE_BY_LABEL = new Map(Object.entries(FIRM_SCALE_LABEL).map(([scale, label]) => [label, scale as FirmScale]));
const ROLE_BY_LABEL = new Map(IMPORTABLE_ROLES.map((r) => [ROLE_LABEL[r], r]));

/** The cells of one row and the problems found in them. */
class RowCheck {
  readonly errors: RowError[] = [];

  constructor(
    private readonly sheet: RosterSheet,
    private readonly raw: RawRow,
  ) {}

  fail(column: string, reason: string): void {
    this.errors.push({ sheet: SHEETS[this.sheet].title, row: this.raw.row, column, reason });
  }

  /** The cell's text; undefined when a problem was recorded (blank and required, too long …). */
  text(column: string, opts: { required?: boolean; max?: number } = {}): string | undefined {
    if (this.raw.lossy.has(column)) {
      this.fail(column, '数字位数过多，Excel 已改变了它：请把此列设为文本格式后重新填写');
      return undefined;
    }
    const value = this.raw.cells[column] ?? '';
    if (opts.required && value === '') {
      this.fail(column, REQUIRED);
      return undefined;
    }
    if (opts.max !== undefined && [...value].length > opts.max) {
      this.fail(column, tooLong(opts.max));
      return undefined;
    }
    return value;
  }

  creditCode(column: string, required: boolean): string | undefined {
    const value = this.text(column, { required });
    if (!value) return undefined;
    const check = checkUnifiedSocialCreditCode(value);
    if (!check.ok) {
      this.fail(column, CREDIT_CODE_PROBLEM[check.problem]);
      return undefined;
    }
    return check.code;
  }

  coordinate(column: string, limit: number): number | null | undefined {
    const value = this.text(column);
    if (value === undefined || value === '') return value === '' ? null : undefined;
    if (!/^-?\d+(\.\d+)?$/.test(value)) {
      this.fail(column, '须为数字（度，如 29.9012）');
      return undefined;
    }
    const n = Number(value);
    if (Math.abs(n) > limit) {
      this.fail(column, `须在 -${limit} 到 ${limit} 之间`);
      return undefined;
    }
    return Math.round(n * 1e6) / 1e6;
  }
}

/** Remembers the first row of each key, to report duplicates inside the file. */
class FirstSeen {
  private readonly rows = new Map<string, number>();

  /** The earlier row with this key, or undefined (and the key is now taken by `row`). */
  claim(key: string, row: number): number | undefined {
    const earlier = this.rows.get(key);
    if (earlier === undefined) this.rows.set(key, row);
    return earlier;
  }
}

export function checkGridRows(rows: readonly RawRow[], ctx: RosterContext): SheetResult<GridPlan> {
  const result: SheetResult<GridPlan> = { errors: [], plans: [] };
  const seen = new FirstSeen();
  for (const raw of rows) {
    const c = new RowCheck(RosterSheet.Grids, raw);
    let code = c.text(COL.gridCode, { required: true });
    const name = c.text(COL.gridName, { required: true, max: 100 });
    if (code !== undefined && (!isValidGridCode(code) || !code.startsWith(ctx.communityCode))) {
      c.fail(COL.gridCode, `须为社区编码 ${ctx.communityCode} 加 3 位序号，共 15 位数字`);
      code = undefined;
    }
    const earlier = code === undefined ? undefined : seen.claim(code, raw.row);
    if (earlier !== undefined) c.fail(COL.gridCode, duplicateOf(earlier));
    const existing = code === undefined ? undefined : ctx.grids.get(code);
    if (existing && !existing.active) c.fail(COL.gridCode, '该网格已撤销，不能再导入');
    if (code !== undefined && !existing) ctx.grids.set(code, { id: null, name: name ?? '', active: true });
    result.errors.push(...c.errors);
    if (c.errors.length || code === undefined || name === undefined) continue;
    const change: Change = !existing ? 'create' : existing.name !== name ? 'update' : 'same';
    result.plans.push({ row: raw.row, change, id: existing?.id ?? null, code, name });
  }
  return result;
}

export function checkMicrogridRows(rows: readonly RawRow[], ctx: RosterContext): SheetResult<MicrogridPlan> {
  const result: SheetResult<MicrogridPlan> = { errors: [], plans: [] };
  const seen = new FirstSeen();
  for (const raw of rows) {
    const c = new RowCheck(RosterSheet.Microgrids, raw);
    let code = c.text(COL.microgridCode, { required: true });
    const name = c.text(COL.microgridName, { required: true, max: 100 });
    let gridCode = c.text(COL.parentGridCode, { required: true });
    const kindLabel = c.text(COL.microgridKind, { required: true });
    const kind = kindLabel === undefined ? undefined : KIND_BY_LABEL.get(kindLabel);
    if (kindLabel !== undefined && !kind) c.fail(COL.microgridKind, `须为以下之一：${[...KIND_BY_LABEL.keys()].join('、')}`);
    if (gridCode !== undefined) {
      const grid = ctx.grids.get(gridCode);
      if (!grid) c.fail(COL.parentGridCode, '网格编码不存在');
      else if (!grid.active) c.fail(COL.parentGridCode, '该网格已撤销');
      if (!grid?.active) gridCode = undefined;
    }
    if (code !== undefined && !isValidMicrogridCode(code)) {
      c.fail(COL.microgridCode, '须为所属网格编码加 2 位序号，共 17 位数字');
      code = undefined;
    } else if (code !== undefined && gridCode !== undefined && !code.startsWith(gridCode)) {
      c.fail(COL.microgridCode, `须以所属网格编码 ${gridCode} 开头`);
      code = undefined;
    }
    const earlier = code === undefined ? undefined : seen.claim(code, raw.row);
    if (earlier !== undefined) c.fail(COL.microgridCode, duplicateOf(earlier));
    const existing = code === undefined ? undefined : ctx.microgrids.get(code);
    if (existing && !existing.active) c.fail(COL.microgridCode, '该微网格已撤销，不能再导入');
    if (code !== undefined && gridCode !== undefined && !existing) {
      ctx.microgrids.set(code, { id: null, gridCode, name: name ?? '', kind: kind ?? MicrogridKind.SmallFirms, active: true });
    }
    result.errors.push(...c.errors);
    if (c.errors.length || code === undefined || gridCode === undefined || name === undefined || !kind) continue;
    const change: Change = !existing ? 'create' : existing.name !== name || existing.kind !== kind ? 'update' : 'same';
    result.plans.push({ row: raw.row, change, id: existing?.id ?? null, code, gridCode, name, kind });
  }
  return result;
}

export function checkFirmRows(rows: readonly RawRow[], ctx: RosterContext): SheetResult<FirmPlan> {
  const result: SheetResult<FirmPlan> = { errors: [], plans: [] };
  const seen = new FirstSeen();
  for (const raw of rows) {
    const c = new RowCheck(RosterSheet.Firms, raw);
    const name = c.text(COL.firmName, { required: true, max: 100 });
    let creditCode = c.creditCode(COL.creditCode, true);
    if (creditCode !== undefined && ctx.foreignCreditCodes.has(creditCode)) {
      c.fail(COL.creditCode, '该信用代码已在其他社区登记');
      creditCode = undefined;
    }
    const earlier = creditCode === undefined ? undefined : seen.claim(creditCode, raw.row);
    if (earlier !== undefined) c.fail(COL.creditCode, duplicateOf(earlier));
    const scaleLabel = c.text(COL.scale, { required: true });
    const scale = scaleLabel === undefined ? undefined : SCALE_BY_LABEL.get(scaleLabel);
    if (scaleLabel !== undefined && !scale) c.fail(COL.scale, '须为 规上 或 规下');
    const industry = c.text(COL.industry, { max: 50 });
    const address = c.text(COL.address, { max: 200 });
    const latitude = c.coordinate(COL.latitude, 90);
    const longitude = c.coordinate(COL.longitude, 180);
    if (latitude === null && typeof longitude === 'number') c.fail(COL.latitude, '纬度和经度须同时填写');
    if (longitude === null && typeof latitude === 'number') c.fail(COL.longitude, '纬度和经度须同时填写');
    const microgridCode = c.text(COL.microgridCode, { required: true });
    if (microgridCode !== undefined) {
      const mg = ctx.microgrids.get(microgridCode);
      if (!mg) c.fail(COL.microgridCode, '微网格编码不存在');
      else if (!mg.active) c.fail(COL.microgridCode, '该微网格已撤销');
    }
    const existing = creditCode === undefined ? undefined : ctx.firms.get(creditCode);
    const fields: FirmFields = { name: name ?? '', scale: scale ?? FirmScale.Below, industry: industry ?? '', address: address ?? '', latitude: latitude ?? null, longitude: longitude ?? null };
    if (creditCode !== undefined && !existing) ctx.firms.set(creditCode, { id: null, ...fields, microgridCode: microgridCode ?? null });
    result.errors.push(...c.errors);
    if (
      c.errors.length ||
      name === undefined ||
      creditCode === undefined ||
      !scale ||
      industry === undefined ||
      address === undefined ||
      latitude === undefined ||
      longitude === undefined ||
      microgridCode === undefined
    ) {
      continue;
    }
    const fieldsChanged = !!existing && (Object.keys(fields) as Array<keyof FirmFields>).some((k) => existing[k] !== fields[k]);
    const place = !existing || existing.microgridCode !== microgridCode;
    const change: Change = !existing ? 'create' : fieldsChanged || place ? 'update' : 'same';
    result.plans.push({ row: raw.row, change, id: existing?.id ?? null, creditCode, microgridCode, place, fieldsChanged, ...fields });
  }
  return result;
}

type ScopeField = (typeof ROLE_SCOPE_FIELDS)[Role.FirmContact][number];

const SCOPE_COLUMNS: ReadonlyArray<[field: ScopeField, column: string, codeKey: keyof StaffScopeCodes]> = [
  ['gridId', COL.gridCode, 'gridCode'],
  ['microgridId', COL.microgridCode, 'microgridCode'],
  ['firmId', COL.firmCreditCode, 'firmCreditCode'],
  ['departmentId', COL.departmentCode, 'departmentCode'],
  ['crewId', COL.crewName, 'crewName'],
];

/** The identity of a staff row: phone + role + scope (the same person may hold several roles). */
export function staffKey(phone: string, role: Role, scope: StaffScopeCodes): string {
  return [phone, role, scope.gridCode, scope.microgridCode, scope.firmCreditCode, scope.departmentCode, scope.crewName].join('|');
}

export function checkStaffRows(rows: readonly RawRow[], ctx: RosterContext): SheetResult<StaffPlan> {
  const result: SheetResult<StaffPlan> = { errors: [], plans: [] };
  const seen = new FirstSeen();
  const nameOfPhone = new Map<string, { name: string; row: number }>();
  for (const raw of rows) {
    const c = new RowCheck(RosterSheet.Staff, raw);
    const name = c.text(COL.personName, { required: true, max: 50 });
    const phoneText = c.text(COL.phone, { required: true });
    const phone = phoneText ? normalizeChineseMobile(phoneText) : null;
    if (phoneText && !phone) c.fail(COL.phone, '须为 11 位中国大陆手机号');
    const roleLabel = c.text(COL.role, { required: true });
    const role = roleLabel === undefined ? undefined : ROLE_BY_LABEL.get(roleLabel);
    if (roleLabel !== undefined && !role) c.fail(COL.role, `须为以下之一：${[...ROLE_BY_LABEL.keys()].join('、')}`);

    const scope: StaffScopeCodes = { gridCode: null, microgridCode: null, firmCreditCode: null, departmentCode: null, crewName: null };
    for (const [field, column, codeKey] of SCOPE_COLUMNS) {
      let value = c.text(column);
      if (value === undefined || !role) continue;
      const needed = ROLE_SCOPE_FIELDS[role as Exclude<Role, Role.System>].includes(field);
      if (needed && value === '') c.fail(column, `${ROLE_LABEL[role]}须填写此列`);
      if (!needed && value !== '') c.fail(column, `${ROLE_LABEL[role]}不适用此列，请留空`);
      if (!needed || value === '') continue;
      if (codeKey === 'firmCreditCode') {
        const normalised = c.creditCode(column, true);
        if (normalised === undefined) continue;
        value = normalised;
      }
      const problem = scopeProblem(codeKey, value, ctx);
      if (problem) c.fail(column, problem);
      else scope[codeKey] = value;
    }

    if (phone && name !== undefined) {
      const first = nameOfPhone.get(phone);
      if (!first) nameOfPhone.set(phone, { name, row: raw.row });
      else if (first.name !== name) c.fail(COL.personName, `与第 ${first.row} 行同一手机号的姓名不一致`);
    }
    const key = phone && role && c.errors.length === 0 ? staffKey(phone, role, scope) : undefined;
    const earlier = key === undefined ? undefined : seen.claim(key, raw.row);
    if (earlier !== undefined) c.fail(COL.phone, `${duplicateOf(earlier)}（同一手机号、角色和范围）`);
    result.errors.push(...c.errors);
    if (c.errors.length || key === undefined || name === undefined || !phone || !role) continue;
    const person = ctx.people.get(phone);
    const rename = !!person && person.name !== name;
    const assign = !ctx.assignments.has(key);
    const change: Change = assign ? 'create' : rename ? 'update' : 'same';
    result.plans.push({ row: raw.row, change, name, phone, role, scope, rename, assign });
  }
  return result;
}

function scopeProblem(codeKey: keyof StaffScopeCodes, value: string, ctx: RosterContext): string | null {
  switch (codeKey) {
    case 'gridCode': {
      const grid = ctx.grids.get(value);
      return !grid ? '网格编码不存在' : grid.active ? null : '该网格已撤销';
    }
    case 'microgridCode': {
      const mg = ctx.microgrids.get(value);
      return !mg ? '微网格编码不存在' : mg.active ? null : '该微网格已撤销';
    }
    case 'firmCreditCode':
      return ctx.firms.has(value) ? null : '本社区没有该信用代码的企业';
    case 'departmentCode':
      return ctx.departmentCodes.has(value) ? null : '部门编码不存在';
    case 'crewName': {
      const n = ctx.crewNames.get(value) ?? 0;
      return n === 0 ? '维修队不存在' : n > 1 ? '有多个同名维修队，无法确定' : null;
    }
  }
}
