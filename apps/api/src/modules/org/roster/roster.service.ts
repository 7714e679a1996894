import { Injectable } from '@nestjs/common';
import { ErrorCode, FIRM_SCALE_LABEL, FirmScale, GridStatus, MicrogridKind, Role, ROLE_LABEL } from '@qihu/contracts';
import { checkUnifiedSocialCreditCode, normalizeChineseMobile } from '@qihu/domain';
import { EntityManager } from 'typeorm';
import { ChangeBus, ChangeTopic } from '../../../infra/cache/change-bus';
import { Clock } from '../../../infra/clock';
import { isDuplicateKey } from '../../../infra/database/errors';
import { TransactionRunner } from '../../../infra/database/transaction';
import { AppError } from '../../../infra/http/app-error';
import { Scope } from '../../identity/caller';
import { Person } from '../../identity/person.entity';
import { RoleAssignment } from '../../identity/role-assignment.entity';
import { Community } from '../community.entity';
import { FirmPlacement } from '../firm-placement.entity';
import { Firm } from '../firm.entity';
import { Grid } from '../grid.entity';
import { Microgrid } from '../microgrid.entity';
import {
  checkFirmRows,
  checkGridRows,
  checkMicrogridRows,
  checkStaffRows,
  FirmPlan,
  GridPlan,
  MicrogridPlan,
  RosterContext,
  RowError,
  SheetResult,
  staffKey,
  StaffPlan,
} from './roster.rows';
import { COL, MICROGRID_KIND_LABEL, rosterFileName, RosterSheet, RosterTarget, SHEET_ORDER, SHEETS, WHOLE_ROSTER } from './roster.sheets';
import { looksLikeXlsx, ParsedSheet, readRosterWorkbook, SheetContent, writeRosterWorkbook } from './roster.workbook';

export enum ImportMode {
  DryRun = 'dry-run',
  Commit = 'commit',
}

export interface RosterImportResult {
  sheet: RosterTarget;
  mode: ImportMode;
  /** Data rows read (blank rows and the untouched template example are not counted). */
  rows: number;
  created: number;
  updated: number;
  errors: RowError[];
}

export interface RosterFile {
  fileName: string;
  asciiFileName: string;
  content: Buffer;
}

export interface UploadedRoster {
  originalname: string;
  buffer: Buffer;
}

/** Multi-row INSERTs and IN lists of this many rows: one round trip per chunk, not per row. */
const CHUNK = 1000;
const CURRENT = 'fp.effective_from <= ? AND (fp.effective_to IS NULL OR fp.effective_to > ?)';

interface Plans {
  grids: GridPlan[];
  microgrids: MicrogridPlan[];
  firms: FirmPlan[];
  staff: StaffPlan[];
}

/**
 * Excel rosters of the admin's community: templates, upload (dry run or all-or-nothing commit)
 * and export in the same columns, so an export imports back with no change. Rows are keyed by
 * code (grids, micro-grids), credit code (firms) and phone + role + scope (staff). Everything is
 * checked in memory against lookups loaded up front; a commit writes in chunked bulk statements
 * inside one transaction.
 */
@Injectable()
export class RosterService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly changes: ChangeBus,
  ) {}

  async template(scope: Scope, target: RosterTarget): Promise<RosterFile> {
    const community = await this.community(scope);
    const content = await writeRosterWorkbook(
      sheetsOf(target).map((s) => ({ spec: SHEETS[s], rows: [SHEETS[s].example(community.code)] })),
      '示例行：保持原样导入时会被忽略，可直接覆盖或删除',
    );
    return { ...rosterFileName(target, 'template', ''), content };
  }

  async export(scope: Scope, target: RosterTarget): Promise<RosterFile> {
    const sheets: SheetContent[] = [];
    for (const sheet of sheetsOf(target)) sheets.push({ spec: SHEETS[sheet], rows: await this.exportRows(scope.communityId, sheet) });
    const date = this.clock.now().toISOString().slice(0, 10);
    return { ...rosterFileName(target, 'export', date), content: await writeRosterWorkbook(sheets) };
  }

  async import(scope: Scope, target: RosterTarget, mode: ImportMode, file: UploadedRoster | undefined): Promise<RosterImportResult> {
    if (!file) throw new AppError(ErrorCode.ValidationFailed, '请上传 Excel 文件（表单字段 file）');
    if (!/\.xlsx$/i.test(file.originalname) || !looksLikeXlsx(file.buffer)) {
      throw new AppError(ErrorCode.ValidationFailed, '只支持 Excel .xlsx 文件，请使用下载的模板');
    }
    const community = await this.community(scope);
    const parsed = await readRosterWorkbook(file.buffer, sheetsOf(target), community.code);
    const ctx = await this.loadContext(this.transactions.manager, scope.communityId, community.code, parsed);
    const { errors, plans } = checkAll(parsed, ctx);
    const all = [...plans.grids, ...plans.microgrids, ...plans.firms, ...plans.staff];
    const result: RosterImportResult = {
      sheet: target,
      mode,
      rows: parsed.reduce((n, p) => n + p.rows.length, 0),
      created: all.filter((p) => p.change === 'create').length,
      updated: all.filter((p) => p.change === 'update').length,
      errors,
    };
    if (mode === ImportMode.DryRun) return result;
    if (errors.length) throw new AppError(ErrorCode.ImportRejected, undefined, { errors });
    try {
      await this.transactions.run(async ({ manager }) => {
        const now = this.clock.now();
        await writeGrids(manager, scope.communityId, plans.grids, now);
        await writeMicrogrids(manager, scope.communityId, plans.microgrids, now);
        await writeFirms(manager, scope.communityId, plans.firms, now);
        await writeStaff(manager, scope.communityId, plans.staff, now);
      });
      if (plans.staff.length) this.changes.publish(ChangeTopic.RoleAssignments);
    } catch (err) {
      // Checked a moment ago; someone else wrote the same code or phone since.
      if (isDuplicateKey(err)) throw new AppError(ErrorCode.AlreadyExists, '导入期间名单被他人修改，请重新导入');
      throw err;
    }
    return result;
  }

  private async community(scope: Scope): Promise<Community> {
    const community = await this.transactions.manager.findOneBy(Community, { id: scope.communityId });
    if (!community) throw new AppError(ErrorCode.CommunityNotFound);
    return community;
  }

  /** What the rows may refer to: the community's grids, micro-grids, firms, departments, crews, staff. */
  private async loadContext(m: EntityManager, communityId: number, communityCode: string, parsed: ParsedSheet[]): Promise<RosterContext> {
    const rowsOf = (sheet: RosterSheet) => parsed.find((p) => p.sheet === sheet)?.rows ?? [];
    const now = this.clock.now();
    const lookups = await loadLookups(m, communityId);
    const ctx: RosterContext = {
      communityCode,
      grids: new Map(lookups.grids.map((g) => [g.code, { id: g.id, name: g.name, active: g.active }])),
      microgrids: new Map(lookups.microgrids.map((mg) => [mg.code, { id: mg.id, gridCode: mg.gridCode, name: mg.name, kind: mg.kind, active: mg.active }])),
      firms: new Map(),
      foreignCreditCodes: new Set(),
      departmentCodes: new Set(lookups.departments.map((d) => d.code)),
      crewNames: new Map(),
      people: new Map(),
      assignments: new Set(),
    };
    for (const c of lookups.crews) ctx.crewNames.set(c.name, (ctx.crewNames.get(c.name) ?? 0) + 1);

    const firms: Array<{ id: number; creditCode: string; name: string; scale: FirmScale; industry: string; address: string; latitude: string | null; longitude: string | null; microgridCode: string | null }> =
      await m.query(
        `SELECT f.id, f.credit_code AS creditCode, f.name, f.scale, f.industry, f.address, f.latitude, f.longitude, mg.code AS microgridCode
           FROM firm f
           LEFT JOIN firm_placement fp ON fp.firm_id = f.id AND ${CURRENT}
           LEFT JOIN microgrid mg ON mg.id = fp.microgrid_id
          WHERE f.community_id = ? AND f.credit_code IS NOT NULL`,
        [now, now, communityId],
      );
    for (const f of firms) {
      ctx.firms.set(f.creditCode, {
        id: Number(f.id),
        name: f.name,
        scale: f.scale,
        industry: f.industry,
        address: f.address,
        latitude: f.latitude === null ? null : Number(f.latitude),
        longitude: f.longitude === null ? null : Number(f.longitude),
        microgridCode: f.microgridCode,
      });
    }

    const fileCodes = unique(rowsOf(RosterSheet.Firms).map((r) => checkUnifiedSocialCreditCode(r.cells[COL.creditCode] ?? '')).flatMap((c) => (c.ok ? [c.code] : [])));
    for (const part of chunks(fileCodes.filter((c) => !ctx.firms.has(c)))) {
      const rows: Array<{ code: string }> = await m.query('SELECT credit_code AS code FROM firm WHERE community_id <> ? AND credit_code IN (?)', [communityId, part]);
      for (const r of rows) ctx.foreignCreditCodes.add(r.code);
    }

    const phones = unique(rowsOf(RosterSheet.Staff).flatMap((r) => normalizeChineseMobile(r.cells[COL.phone] ?? '') ?? []));
    const gridCode = new Map(lookups.grids.map((g) => [g.id, g.code]));
    const microgridCode = new Map(lookups.microgrids.map((mg) => [mg.id, mg.code]));
    const firmCode = new Map(firms.map((f) => [Number(f.id), f.creditCode]));
    const departmentCode = new Map(lookups.departments.map((d) => [d.id, d.code]));
    const crewName = new Map(lookups.crews.map((c) => [c.id, c.name]));
    const code = <K>(map: Map<K, string>, id: K | null) => (id === null ? null : (map.get(id) ?? `#${String(id)}`));
    for (const part of chunks(phones)) {
      const people: Array<{ id: number; phone: string; name: string }> = await m.query('SELECT id, phone, name FROM person WHERE phone IN (?)', [part]);
      for (const p of people) ctx.people.set(p.phone, { id: Number(p.id), name: p.name });
      const roles: Array<Pick<RoleAssignment, 'role' | 'gridId' | 'microgridId' | 'firmId' | 'departmentId' | 'crewId'> & { phone: string }> = await m.query(
        `SELECT p.phone, ra.role, ra.grid_id AS gridId, ra.microgrid_id AS microgridId, ra.firm_id AS firmId, ra.department_id AS departmentId, ra.crew_id AS crewId
           FROM role_assignment ra JOIN person p ON p.id = ra.person_id
          WHERE ra.community_id = ? AND ra.revoked_at IS NULL AND p.phone IN (?)`,
        [communityId, part],
      );
      for (const r of roles) {
        ctx.assignments.add(
          staffKey(r.phone, r.role, {
            gridCode: code(gridCode, r.gridId),
            microgridCode: code(microgridCode, r.microgridId),
            firmCreditCode: code(firmCode, r.firmId),
            departmentCode: code(departmentCode, r.departmentId),
            crewName: code(crewName, r.crewId),
          }),
        );
      }
    }
    return ctx;
  }

  private async exportRows(communityId: number, sheet: RosterSheet): Promise<Array<Record<string, string | number>>> {
    const m = this.transactions.manager;
    const now = this.clock.now();
    switch (sheet) {
      case RosterSheet.Grids: {
        const rows: Array<{ code: string; name: string }> = await m.query(
          'SELECT code, name FROM grid WHERE community_id = ? AND status = ? AND withdrawn_at IS NULL ORDER BY code',
          [communityId, GridStatus.Active],
        );
        return rows.map((g) => ({ [COL.gridCode]: g.code, [COL.gridName]: g.name }));
      }
      case RosterSheet.Microgrids: {
        const rows: Array<{ code: string; name: string; gridCode: string; kind: MicrogridKind }> = await m.query(
          `SELECT mg.code, mg.name, g.code AS gridCode, mg.kind FROM microgrid mg JOIN grid g ON g.id = mg.grid_id
            WHERE g.community_id = ? AND mg.status = ? AND mg.withdrawn_at IS NULL ORDER BY mg.code`,
          [communityId, GridStatus.Active],
        );
        return rows.map((r) => ({
          [COL.microgridCode]: r.code,
          [COL.microgridName]: r.name,
          [COL.parentGridCode]: r.gridCode,
          [COL.microgridKind]: MICROGRID_KIND_LABEL[r.kind],
        }));
      }
      case RosterSheet.Firms: {
        const rows: Array<{ name: string; creditCode: string | null; scale: FirmScale; industry: string; address: string; latitude: string | null; longitude: string | null; microgridCode: string }> =
          await m.query(
            `SELECT f.name, f.credit_code AS creditCode, f.scale, f.industry, f.address, f.latitude, f.longitude, mg.code AS microgridCode
               FROM firm f
               JOIN firm_placement fp ON fp.firm_id = f.id AND ${CURRENT}
               JOIN microgrid mg ON mg.id = fp.microgrid_id
              WHERE f.community_id = ? ORDER BY f.id`,
            [now, now, communityId],
          );
        return rows.map((f) => ({
          [COL.firmName]: f.name,
          [COL.creditCode]: f.creditCode ?? '',
          [COL.scale]: FIRM_SCALE_LABEL[f.scale],
          [COL.industry]: f.industry,
          [COL.address]: f.address,
          [COL.latitude]: f.latitude === null ? '' : Number(f.latitude),
          [COL.longitude]: f.longitude === null ? '' : Number(f.longitude),
          [COL.microgridCode]: f.microgridCode,
        }));
      }
      case RosterSheet.Staff: {
        // People without a phone (WeChat-only firm contacts) have no roster key and are left out.
        const rows: Array<{ name: string; phone: string; role: Role; gridCode: string | null; microgridCode: string | null; creditCode: string | null; departmentCode: string | null; crewName: string | null }> =
          await m.query(
            `SELECT p.name, p.phone, ra.role, g.code AS gridCode, mg.code AS microgridCode, f.credit_code AS creditCode,
                    d.code AS departmentCode, c.name AS crewName
               FROM role_assignment ra
               JOIN person p ON p.id = ra.person_id
               LEFT JOIN grid g ON g.id = ra.grid_id
               LEFT JOIN microgrid mg ON mg.id = ra.microgrid_id
               LEFT JOIN firm f ON f.id = ra.firm_id
               LEFT JOIN department d ON d.id = ra.department_id
               LEFT JOIN crew c ON c.id = ra.crew_id
              WHERE ra.community_id = ? AND ra.revoked_at IS NULL AND ra.role <> ? AND p.phone IS NOT NULL
              ORDER BY p.id, ra.id`,
            [communityId, Role.System],
          );
        return rows.map((r) => ({
          [COL.personName]: r.name,
          [COL.phone]: r.phone,
          [COL.role]: ROLE_LABEL[r.role],
          [COL.gridCode]: r.gridCode ?? '',
          [COL.microgridCode]: r.microgridCode ?? '',
          [COL.firmCreditCode]: r.creditCode ?? '',
          [COL.departmentCode]: r.departmentCode ?? '',
          [COL.crewName]: r.crewName ?? '',
        }));
      }
    }
  }
}

function sheetsOf(target: RosterTarget): RosterSheet[] {
  return target === WHOLE_ROSTER ? [...SHEET_ORDER] : [target];
}

/** Every sheet in order, each seeing what the sheets before it will create. */
function checkAll(parsed: ParsedSheet[], ctx: RosterContext): { errors: RowError[]; plans: Plans } {
  const plans: Plans = { grids: [], microgrids: [], firms: [], staff: [] };
  const errors: RowError[] = [];
  const collect = <P>(p: ParsedSheet, check: (rows: ParsedSheet['rows'], ctx: RosterContext) => SheetResult<P>, into: P[]) => {
    const result = check(p.rows, ctx);
    errors.push(...p.headerErrors, ...result.errors);
    into.push(...result.plans);
  };
  for (const sheet of SHEET_ORDER) {
    const p = parsed.find((x) => x.sheet === sheet);
    if (!p) continue;
    if (sheet === RosterSheet.Grids) collect(p, checkGridRows, plans.grids);
    if (sheet === RosterSheet.Microgrids) collect(p, checkMicrogridRows, plans.microgrids);
    if (sheet === RosterSheet.Firms) collect(p, checkFirmRows, plans.firms);
    if (sheet === RosterSheet.Staff) collect(p, checkStaffRows, plans.staff);
  }
  return { errors, plans };
}

interface Lookups {
  grids: Array<{ id: number; code: string; name: string; active: boolean }>;
  microgrids: Array<{ id: number; code: string; gridId: number; gridCode: string; name: string; kind: MicrogridKind; active: boolean }>;
  departments: Array<{ id: number; code: string }>;
  crews: Array<{ id: number; name: string }>;
}

async function loadLookups(m: EntityManager, communityId: number): Promise<Lookups> {
  const active = (r: { status: string; withdrawnAt: Date | null }) => r.status === GridStatus.Active && r.withdrawnAt === null;
  const grids: Array<{ id: number; code: string; name: string; status: string; withdrawnAt: Date | null }> = await m.query(
    'SELECT id, code, name, status, withdrawn_at AS withdrawnAt FROM grid WHERE community_id = ?',
    [communityId],
  );
  const microgrids: Array<{ id: number; code: string; gridId: number; gridCode: string; name: string; kind: MicrogridKind; status: string; withdrawnAt: Date | null }> = await m.query(
    `SELECT mg.id, mg.code, mg.grid_id AS gridId, g.code AS gridCode, mg.name, mg.kind, mg.status, mg.withdrawn_at AS withdrawnAt
       FROM microgrid mg JOIN grid g ON g.id = mg.grid_id WHERE g.community_id = ?`,
    [communityId],
  );
  const departments: Array<{ id: number; code: string }> = await m.query('SELECT id, code FROM department WHERE community_id = ?', [communityId]);
  const crews: Array<{ id: number; name: string }> = await m.query('SELECT id, name FROM crew WHERE community_id = ?', [communityId]);
  return {
    grids: grids.map((g) => ({ id: Number(g.id), code: g.code, name: g.name, active: active(g) })),
    microgrids: microgrids.map((mg) => ({ id: Number(mg.id), code: mg.code, gridId: Number(mg.gridId), gridCode: mg.gridCode, name: mg.name, kind: mg.kind, active: active(mg) })),
    departments: departments.map((d) => ({ id: Number(d.id), code: d.code })),
    crews: crews.map((c) => ({ id: Number(c.id), name: c.name })),
  };
}

// ---- writers (inside the import's transaction) ------------------------------------------------

async function writeGrids(m: EntityManager, communityId: number, plans: GridPlan[], now: Date): Promise<void> {
  const created = plans.filter((p) => p.change === 'create');
  for (const part of chunks(created)) {
    await bulkInsert(m, Grid, part.map((p) => ({ communityId, code: p.code, name: p.name, status: GridStatus.Active, createdAt: now, withdrawnAt: null })));
  }
  for (const p of plans.filter((x) => x.change === 'update')) await m.update(Grid, { id: p.id! }, { name: p.name });
}

async function writeMicrogrids(m: EntityManager, communityId: number, plans: MicrogridPlan[], now: Date): Promise<void> {
  if (plans.length === 0) return;
  const gridId = new Map((await loadLookups(m, communityId)).grids.map((g) => [g.code, g.id]));
  for (const part of chunks(plans.filter((p) => p.change === 'create'))) {
    await bulkInsert(
      m,
      Microgrid,
      part.map((p) => ({ gridId: gridId.get(p.gridCode)!, code: p.code, name: p.name, kind: p.kind, status: GridStatus.Active, createdAt: now, withdrawnAt: null })),
    );
  }
  for (const p of plans.filter((x) => x.change === 'update')) await m.update(Microgrid, { id: p.id! }, { name: p.name, kind: p.kind });
}

/**
 * New firms with their first placement; changed firms updated in bulk; moved firms get the
 * bulk form of OrgService.placeFirm: later planned placements dropped, the current one ended
 * now, a new one opened now.
 */
async function writeFirms(m: EntityManager, communityId: number, plans: FirmPlan[], now: Date): Promise<void> {
  if (plans.length === 0) return;
  const microgrids = new Map((await loadLookups(m, communityId)).microgrids.map((mg) => [mg.code, mg]));
  const placements: Array<Omit<FirmPlacement, 'id'>> = [];
  const placeAt = (firmId: number, p: FirmPlan, reason: string) => {
    const mg = microgrids.get(p.microgridCode)!;
    placements.push({ firmId, gridId: mg.gridId, microgridId: mg.id, effectiveFrom: now, effectiveTo: null, reason });
  };

  for (const part of chunks(plans.filter((p) => p.change === 'create'))) {
    await bulkInsert(
      m,
      Firm,
      part.map((p) => ({ communityId, name: p.name, creditCode: p.creditCode, scale: p.scale, industry: p.industry, address: p.address, latitude: p.latitude, longitude: p.longitude, createdAt: now })),
    );
    const ids: Array<{ id: number; code: string }> = await m.query('SELECT id, credit_code AS code FROM firm WHERE credit_code IN (?)', [part.map((p) => p.creditCode)]);
    const idOf = new Map(ids.map((r) => [r.code, Number(r.id)]));
    for (const p of part) placeAt(idOf.get(p.creditCode)!, p, '名单导入');
  }

  for (const part of chunks(plans.filter((p) => p.change === 'update' && p.fieldsChanged))) {
    const values = part.flatMap((p) => [p.id, communityId, p.name, p.creditCode, p.scale, p.industry, p.address, p.latitude, p.longitude, now]);
    await m.query(
      `INSERT INTO firm (id, community_id, name, credit_code, scale, industry, address, latitude, longitude, created_at)
       VALUES ${part.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
       ON DUPLICATE KEY UPDATE name = VALUES(name), scale = VALUES(scale), industry = VALUES(industry),
         address = VALUES(address), latitude = VALUES(latitude), longitude = VALUES(longitude)`,
      values,
    );
  }

  for (const part of chunks(plans.filter((p) => p.change === 'update' && p.place))) {
    const ids = part.map((p) => p.id!);
    await m.query('SELECT id FROM firm WHERE id IN (?) FOR UPDATE', [ids]);
    await m.query('DELETE FROM firm_placement WHERE firm_id IN (?) AND effective_from > ?', [ids, now]);
    await m.query(
      'UPDATE firm_placement SET effective_to = ? WHERE firm_id IN (?) AND effective_from <= ? AND (effective_to IS NULL OR effective_to > ?)',
      [now, ids, now, now],
    );
    for (const p of part) placeAt(p.id!, p, '名单导入调整网格');
  }

  for (const part of chunks(placements)) await bulkInsert(m, FirmPlacement, part);
}

async function writeStaff(m: EntityManager, communityId: number, plans: StaffPlan[], now: Date): Promise<void> {
  const touched = plans.filter((p) => p.change !== 'same');
  if (touched.length === 0) return;
  const nameOf = new Map(touched.map((p) => [p.phone, p.name]));
  const personId = new Map<string, number>();
  const loadPeople = async (phones: string[]) => {
    for (const part of chunks(phones)) {
      const rows: Array<{ id: number; phone: string }> = await m.query('SELECT id, phone FROM person WHERE phone IN (?)', [part]);
      for (const r of rows) personId.set(r.phone, Number(r.id));
    }
  };
  await loadPeople([...nameOf.keys()]);
  const newPhones = [...nameOf.keys()].filter((phone) => !personId.has(phone));
  for (const part of chunks(newPhones)) {
    await bulkInsert(m, Person, part.map((phone) => ({ name: nameOf.get(phone)!, phone, openid: null, unionid: null, createdAt: now, updatedAt: now })));
  }
  await loadPeople(newPhones);
  for (const phone of unique(touched.filter((p) => p.rename).map((p) => p.phone))) {
    await m.update(Person, { id: personId.get(phone)! }, { name: nameOf.get(phone)!, updatedAt: now });
  }

  const lookups = await loadLookups(m, communityId);
  const gridId = new Map(lookups.grids.map((g) => [g.code, g.id]));
  const microgridId = new Map(lookups.microgrids.map((mg) => [mg.code, mg.id]));
  const departmentId = new Map(lookups.departments.map((d) => [d.code, d.id]));
  const crewId = new Map(lookups.crews.map((c) => [c.name, c.id]));
  const firmCodes = unique(touched.flatMap((p) => (p.scope.firmCreditCode ? [p.scope.firmCreditCode] : [])));
  const firmId = new Map<string, number>();
  for (const part of chunks(firmCodes)) {
    const rows: Array<{ id: number; code: string }> = await m.query('SELECT id, credit_code AS code FROM firm WHERE community_id = ? AND credit_code IN (?)', [communityId, part]);
    for (const r of rows) firmId.set(r.code, Number(r.id));
  }
  const idOf = <K>(map: Map<K, number>, key: K | null) => (key === null ? null : map.get(key)!);
  const assignments = touched
    .filter((p) => p.assign)
    .map((p) => ({
      personId: personId.get(p.phone)!,
      role: p.role,
      communityId,
      gridId: idOf(gridId, p.scope.gridCode),
      microgridId: idOf(microgridId, p.scope.microgridCode),
      firmId: idOf(firmId, p.scope.firmCreditCode),
      departmentId: idOf(departmentId, p.scope.departmentCode),
      crewId: idOf(crewId, p.scope.crewName),
      createdAt: now,
      revokedAt: null,
    }));
  for (const part of chunks(assignments)) await bulkInsert(m, RoleAssignment, part);
}

/** One multi-row INSERT, without reading generated ids back (callers look them up by key). */
async function bulkInsert<T extends object>(m: EntityManager, entity: new () => T, rows: Array<Partial<T>>): Promise<void> {
  if (rows.length === 0) return;
  await m.createQueryBuilder().insert().into(entity).values(rows as never).updateEntity(false).execute();
}

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
