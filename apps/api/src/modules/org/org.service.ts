import { Injectable } from '@nestjs/common';
import {
  CategoryView,
  CommunityView,
  DepartmentView,
  ErrorCode,
  FirmView,
  GridStatus,
  GridView,
  IntakeDefaultsView,
  MicrogridView,
} from '@qihu/contracts';
import { checkUnifiedSocialCreditCode, isValidGridCode, isValidMicrogridCode, makeGridCode, makeMicrogridCode } from '@qihu/domain';
import { EntityManager, IsNull, SelectQueryBuilder } from 'typeorm';
import { Clock } from '../../infra/clock';
import { isDuplicateKey } from '../../infra/database/errors';
import { columnsOf, hydrate } from '../../infra/database/raw-rows';
import { TransactionRunner } from '../../infra/database/transaction';
import { AppError } from '../../infra/http/app-error';
import { Scope } from '../identity/caller';
import { Category } from './category.entity';
import { Community } from './community.entity';
import { CREDIT_CODE_PROBLEM } from './credit-code';
import { Department } from './department.entity';
import { CreateCategoryDto, CreateDepartmentDto, CreateFirmDto, CreateGridDto, CreateMicrogridDto, MoveFirmDto, UpdateCategoryDto, UpdateCommunityDto, UpdateFirmDto } from './dto/org.dto';
import { FirmPlacement } from './firm-placement.entity';
import { Firm } from './firm.entity';
import { Grid } from './grid.entity';
import { Microgrid } from './microgrid.entity';
import { reachOf } from './visibility';

/** Where a firm is at an instant: the ticket copies this when it is raised. */
export interface Placement {
  communityId: number;
  gridId: number;
  microgridId: number;
}

/** Where a request is raised: the firm's placement now, and what intake defaults from the firm. */
export interface IntakePlace extends Placement {
  firmName: string;
  latitude: number | null;
  longitude: number | null;
  address: string;
}

interface FirmRow {
  id: number;
  communityId: number;
  gridId: number;
  microgridId: number;
  name: string;
  creditCode: string | null;
  scale: FirmView['scale'];
  industry: string;
  address: string;
  latitude: string | null;
  longitude: string | null;
}

const CURRENT = 'fp.effective_from <= :at AND (fp.effective_to IS NULL OR fp.effective_to > :at)';

/**
 * The organisation: community, grids, micro-grids, firms, departments and categories. Reads
 * take the caller's scope and see only what the role reaches; writes are the admin's, in the
 * admin's community. A firm's grid comes from its placement at an instant (history survives).
 */
@Injectable()
export class OrgService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  private get manager(): EntityManager {
    return this.transactions.manager;
  }

  // ---- community -------------------------------------------------------------------------

  async community(scope: Scope): Promise<CommunityView> {
    const c = await this.manager.findOneBy(Community, { id: scope.communityId });
    if (!c) throw new AppError(ErrorCode.CommunityNotFound);
    return { id: c.id, code: c.code, name: c.name, class: c.class, firmBandMin: c.firmBandMin, firmBandMax: c.firmBandMax };
  }

  async updateCommunity(scope: Scope, input: UpdateCommunityDto): Promise<CommunityView> {
    const current = await this.community(scope);
    const min = input.firmBandMin ?? current.firmBandMin;
    const max = input.firmBandMax ?? current.firmBandMax;
    if (min > max) {
      throw new AppError(ErrorCode.ValidationFailed, '网格企业数下限不能大于上限', { fields: [{ field: 'firmBandMin', reason: '不能大于上限' }] });
    }
    await this.manager.update(Community, { id: scope.communityId }, { ...input });
    return this.community(scope);
  }

  // ---- grids and micro-grids ---------------------------------------------------------------

  async grids(scope: Scope): Promise<GridView[]> {
    const qb = this.manager
      .createQueryBuilder(Grid, 'g')
      .where('g.community_id = :community', { community: scope.communityId })
      .orderBy('g.code', 'ASC');
    const reach = reachOf(scope);
    if (reach === 'grid') qb.andWhere('g.id = :grid', { grid: scope.gridId });
    if (reach === 'microgrid') qb.andWhere('g.id = (SELECT m.grid_id FROM microgrid m WHERE m.id = :mg)', { mg: scope.microgridId });
    if (reach === 'firm') qb.andWhere(`g.id IN (SELECT fp.grid_id FROM firm_placement fp WHERE fp.firm_id = :firm AND ${CURRENT})`, { firm: scope.firmId, at: this.clock.now() });
    const grids = await qb.getMany();
    const counts = await this.currentFirmCounts(scope.communityId, 'grid_id');
    return grids.map((g) => ({ id: g.id, communityId: g.communityId, code: g.code, name: g.name, status: g.status, firmCount: counts.get(g.id) ?? 0 }));
  }

  async grid(scope: Scope, id: number): Promise<GridView> {
    const found = (await this.grids(scope)).find((g) => g.id === id);
    if (!found) throw new AppError(ErrorCode.GridNotFound);
    return found;
  }

  async createGrid(scope: Scope, input: CreateGridDto): Promise<GridView> {
    const community = await this.community(scope);
    const code = input.code ?? (await this.nextGridCode(community.code));
    if (!isValidGridCode(code) || !code.startsWith(community.code)) {
      throw new AppError(ErrorCode.ValidationFailed, '网格编码须为社区编码加 3 位序号', { fields: [{ field: 'code', reason: `须以 ${community.code} 开头，共 15 位数字` }] });
    }
    await this.insertUnique(Grid, { communityId: scope.communityId, code, name: input.name, status: GridStatus.Active, createdAt: this.clock.now(), withdrawnAt: null }, `网格编码 ${code} 已存在`);
    const grid = await this.manager.findOneByOrFail(Grid, { code });
    return this.grid(scope, grid.id);
  }

  async microgrids(scope: Scope, gridId?: number): Promise<MicrogridView[]> {
    const visible = new Set((await this.grids(scope)).map((g) => g.id));
    if (gridId !== undefined && !visible.has(gridId)) throw new AppError(ErrorCode.GridNotFound);
    const qb = this.manager.createQueryBuilder(Microgrid, 'm').orderBy('m.code', 'ASC');
    if (visible.size === 0) return [];
    qb.where('m.grid_id IN (:...grids)', { grids: gridId !== undefined ? [gridId] : [...visible] });
    if (reachOf(scope) === 'microgrid') qb.andWhere('m.id = :mg', { mg: scope.microgridId });
    const rows = await qb.getMany();
    const counts = await this.currentFirmCounts(scope.communityId, 'microgrid_id');
    return rows.map((m) => ({ id: m.id, gridId: m.gridId, code: m.code, name: m.name, kind: m.kind, status: m.status, firmCount: counts.get(m.id) ?? 0 }));
  }

  async createMicrogrid(scope: Scope, input: CreateMicrogridDto): Promise<MicrogridView> {
    const grid = await this.grid(scope, input.gridId);
    if (grid.status !== GridStatus.Active) throw new AppError(ErrorCode.ValidationFailed, '网格已撤销，不能新增微网格');
    const code = input.code ?? (await this.nextMicrogridCode(grid.code));
    if (!isValidMicrogridCode(code) || !code.startsWith(grid.code)) {
      throw new AppError(ErrorCode.ValidationFailed, '微网格编码须为所属网格编码加 2 位序号', { fields: [{ field: 'code', reason: `须以 ${grid.code} 开头，共 17 位数字` }] });
    }
    await this.insertUnique(Microgrid, { gridId: grid.id, code, name: input.name, kind: input.kind, status: GridStatus.Active, createdAt: this.clock.now(), withdrawnAt: null }, `微网格编码 ${code} 已存在`);
    const created = await this.manager.findOneByOrFail(Microgrid, { code });
    return (await this.microgrids(scope, grid.id)).find((m) => m.id === created.id)!;
  }

  /** The next free grid number of the community (001, 002 …); codes are never reused. */
  async nextGridCode(communityCode: string, manager: EntityManager = this.manager): Promise<string> {
    const [row] = await manager.query('SELECT MAX(code) AS code FROM grid WHERE code LIKE ?', [`${communityCode}%`]);
    const last = row?.code ? Number(String(row.code).slice(12)) : 0;
    return makeGridCode(communityCode, last + 1);
  }

  async nextMicrogridCode(gridCode: string, manager: EntityManager = this.manager): Promise<string> {
    const [row] = await manager.query('SELECT MAX(code) AS code FROM microgrid WHERE code LIKE ?', [`${gridCode}%`]);
    const last = row?.code ? Number(String(row.code).slice(15)) : 0;
    return makeMicrogridCode(gridCode, last + 1);
  }

  // ---- firms ----------------------------------------------------------------------------

  async firms(scope: Scope, filter: { gridId?: number; microgridId?: number; q?: string } = {}): Promise<FirmView[]> {
    const qb = this.firmQuery(scope, this.clock.now());
    if (filter.gridId) qb.andWhere('fp.grid_id = :fgrid', { fgrid: filter.gridId });
    if (filter.microgridId) qb.andWhere('fp.microgrid_id = :fmg', { fmg: filter.microgridId });
    if (filter.q) {
      // The search words are text, not patterns: % and _ match themselves.
      const words = filter.q.replace(/[\\%_]/g, (c) => `\\${c}`);
      qb.andWhere('(f.name LIKE :q OR f.credit_code = :code)', { q: `%${words}%`, code: filter.q.toUpperCase() });
    }
    return (await qb.orderBy('f.id', 'ASC').getRawMany<FirmRow>()).map(toFirmView);
  }

  /** A firm the caller can see, else 404 (never 403: existence is not disclosed). */
  async firm(scope: Scope, id: number): Promise<FirmView> {
    const row = await this.firmQuery(scope, this.clock.now()).andWhere('f.id = :id', { id }).getRawOne<FirmRow>();
    if (!row) throw new AppError(ErrorCode.FirmNotFound);
    return toFirmView(row);
  }

  async createFirm(scope: Scope, input: CreateFirmDto): Promise<FirmView> {
    const creditCode = this.checkCreditCode(input.creditCode);
    const microgrid = await this.requireActiveMicrogrid(scope, input.microgridId);
    const now = this.clock.now();
    const id = await this.transactions.run(async ({ manager }) => {
      await this.lockActiveMicrogrid(manager, microgrid.id);
      if (await manager.existsBy(Firm, { creditCode })) throw new AppError(ErrorCode.AlreadyExists, `统一社会信用代码 ${creditCode} 已登记`);
      const firm = manager.create(Firm, {
        communityId: scope.communityId,
        name: input.name,
        creditCode,
        scale: input.scale,
        industry: input.industry ?? '',
        address: input.address ?? '',
        latitude: input.latitude ?? null,
        longitude: input.longitude ?? null,
        createdAt: now,
      });
      await manager.save(firm);
      await manager.insert(FirmPlacement, { firmId: firm.id, gridId: microgrid.gridId, microgridId: microgrid.id, effectiveFrom: now, effectiveTo: null, reason: '新增企业' });
      return firm.id;
    });
    return this.firm(scope, id);
  }

  async updateFirm(scope: Scope, id: number, input: UpdateFirmDto): Promise<FirmView> {
    await this.firm(scope, id);
    const patch: Partial<Firm> = { ...input };
    if (input.creditCode !== undefined) {
      patch.creditCode = this.checkCreditCode(input.creditCode);
      const other = await this.manager.findOneBy(Firm, { creditCode: patch.creditCode });
      if (other && other.id !== id) throw new AppError(ErrorCode.AlreadyExists, `统一社会信用代码 ${patch.creditCode} 已登记`);
    }
    await this.manager.update(Firm, { id }, patch);
    return this.firm(scope, id);
  }

  /**
   * Moves a firm to another micro-grid from a date (default now). The old placement ends where
   * the new one starts, so tickets and reports before the date keep the old grid.
   */
  async moveFirm(scope: Scope, id: number, input: MoveFirmDto): Promise<FirmView> {
    await this.firm(scope, id);
    const target = await this.requireActiveMicrogrid(scope, input.microgridId);
    const now = this.clock.now();
    const from = input.effectiveFrom ? new Date(input.effectiveFrom) : now;
    // History is not rewritten: a move takes effect now or later, never in the past.
    if (from.getTime() < now.getTime() - 60_000) {
      throw new AppError(ErrorCode.ValidationFailed, '生效时间不能早于当前时间', { fields: [{ field: 'effectiveFrom', reason: '不能早于当前时间' }] });
    }
    await this.transactions.run(async ({ manager }) => {
      await this.lockActiveMicrogrid(manager, target.id);
      await this.placeFirm(manager, id, target, from, input.reason ?? '企业调整网格');
    });
    return this.firm(scope, id);
  }

  /** Ends the placement in force at `from` (and drops later planned ones) and opens a new one. */
  async placeFirm(manager: EntityManager, firmId: number, target: { id: number; gridId: number }, from: Date, reason: string): Promise<void> {
    await manager.query('SELECT id FROM firm WHERE id = ? FOR UPDATE', [firmId]);
    await manager.query('DELETE FROM firm_placement WHERE firm_id = ? AND effective_from > ?', [firmId, from]);
    await manager.query(
      'UPDATE firm_placement SET effective_to = ? WHERE firm_id = ? AND effective_from <= ? AND (effective_to IS NULL OR effective_to > ?)',
      [from, firmId, from, from],
    );
    await manager.insert(FirmPlacement, { firmId, gridId: target.gridId, microgridId: target.id, effectiveFrom: from, effectiveTo: null, reason });
  }

  /**
   * What a request raised now needs from the organisation, in one round trip: the category (in
   * the caller's community, else CategoryNotFound) and the firm's current grid with its name
   * and place (null when the firm is in no grid at `at`).
   */
  async intakeContext(scope: Scope, categoryId: number, firmId: number, at: Date): Promise<{ category: Category; place: IntakePlace | null }> {
    const [categories, places] = (await this.manager.query(
      `SELECT ${columnsOf(this.manager, Category, 'c')} FROM category c WHERE c.id = ? AND c.community_id = ?;
       SELECT f.community_id AS communityId, fp.grid_id AS gridId, fp.microgrid_id AS microgridId, f.name AS firmName,
         f.latitude AS latitude, f.longitude AS longitude, f.address AS address
       FROM firm_placement fp JOIN firm f ON f.id = fp.firm_id
       WHERE fp.firm_id = ? AND fp.effective_from <= ? AND (fp.effective_to IS NULL OR fp.effective_to > ?)`,
      [categoryId, scope.communityId, firmId, at, at],
    )) as [Array<Record<string, unknown>>, IntakePlace[]];
    if (!categories[0]) throw new AppError(ErrorCode.CategoryNotFound, `诉求类别不存在（编号 ${categoryId}）`);
    const row = places[0];
    const place = row
      ? {
          ...row,
          latitude: row.latitude === null ? null : Number(row.latitude),
          longitude: row.longitude === null ? null : Number(row.longitude),
        }
      : null;
    return { category: hydrate(this.manager, Category, 'c', categories[0]), place };
  }

  // ---- departments and categories ---------------------------------------------------------

  async departments(scope: Scope): Promise<DepartmentView[]> {
    const rows = await this.manager.find(Department, { where: { communityId: scope.communityId }, order: { id: 'ASC' } });
    return rows.map((d) => ({ id: d.id, communityId: d.communityId, code: d.code, name: d.name }));
  }

  async createDepartment(scope: Scope, input: CreateDepartmentDto): Promise<DepartmentView> {
    await this.insertUnique(Department, { communityId: scope.communityId, code: input.code, name: input.name }, `部门编码 ${input.code} 已存在`);
    return (await this.departments(scope)).find((d) => d.code === input.code)!;
  }

  async categories(scope: Scope): Promise<CategoryView[]> {
    const rows = await this.manager.find(Category, { where: { communityId: scope.communityId }, order: { id: 'ASC' } });
    return rows.map(toCategoryView);
  }

  async requireCategory(scope: Scope, id: number): Promise<Category> {
    const category = await this.manager.findOneBy(Category, { id, communityId: scope.communityId });
    if (!category) throw new AppError(ErrorCode.CategoryNotFound, `诉求类别不存在（编号 ${id}）`);
    return category;
  }

  async createCategory(scope: Scope, input: CreateCategoryDto): Promise<CategoryView> {
    if (input.departmentId) await this.requireDepartment(scope, input.departmentId);
    await this.insertUnique(
      Category,
      {
        communityId: scope.communityId,
        code: input.code,
        name: input.name,
        group: input.group,
        departmentId: input.departmentId ?? null,
        ackMinutes: input.ackMinutes ?? 30,
        escalateMinutes: input.escalateMinutes ?? 30,
        resolveMinutes: input.resolveMinutes ?? 1440,
        confirmHours: input.confirmHours ?? 72,
        calendar: input.calendar ?? 'always_open',
        requiresOnSite: input.requiresOnSite ?? false,
      } as Partial<Category>,
      `类别编码 ${input.code} 已存在`,
    );
    return toCategoryView(await this.manager.findOneByOrFail(Category, { communityId: scope.communityId, code: input.code }));
  }

  async updateCategory(scope: Scope, id: number, input: UpdateCategoryDto): Promise<CategoryView> {
    await this.requireCategory(scope, id);
    if (input.departmentId) await this.requireDepartment(scope, input.departmentId);
    await this.manager.update(Category, { id }, { ...input });
    return toCategoryView(await this.requireCategory(scope, id));
  }

  /** 一键响应: the caller's firm and the community's first category (综合诉求 in the demo). */
  async intakeDefaults(scope: Scope): Promise<IntakeDefaultsView> {
    if (!scope.firmId) throw new AppError(ErrorCode.Forbidden, '当前角色不能发起企业诉求');
    const firm = await this.firm(scope, scope.firmId);
    const [category] = await this.manager.find(Category, { where: { communityId: scope.communityId }, order: { id: 'ASC' }, take: 1 });
    if (!category) throw new AppError(ErrorCode.NotFound, '社区尚未配置诉求类别');
    return { firmId: firm.id, firmName: firm.name, categoryId: category.id, categoryName: category.name };
  }

  // ---- helpers -------------------------------------------------------------------------------

  private firmQuery(scope: Scope, at: Date): SelectQueryBuilder<Firm> {
    const qb = this.manager
      .createQueryBuilder(Firm, 'f')
      .innerJoin(FirmPlacement, 'fp', `fp.firm_id = f.id AND ${CURRENT}`, { at })
      .select([
        'f.id AS id',
        'f.community_id AS communityId',
        'fp.grid_id AS gridId',
        'fp.microgrid_id AS microgridId',
        'f.name AS name',
        'f.credit_code AS creditCode',
        'f.scale AS scale',
        'f.industry AS industry',
        'f.address AS address',
        'f.latitude AS latitude',
        'f.longitude AS longitude',
      ])
      .where('f.community_id = :community', { community: scope.communityId });
    switch (reachOf(scope)) {
      case 'grid':
        return qb.andWhere('fp.grid_id = :grid', { grid: scope.gridId });
      case 'microgrid':
        return qb.andWhere('fp.microgrid_id = :mg', { mg: scope.microgridId });
      case 'firm':
        return qb.andWhere('f.id = :firm', { firm: scope.firmId });
      case 'community':
        return qb;
    }
  }

  /** Firms placed now, per grid or micro-grid of the community (not of every community). */
  private async currentFirmCounts(communityId: number, column: 'grid_id' | 'microgrid_id'): Promise<Map<number, number>> {
    const now = this.clock.now();
    const rows: Array<{ id: number; n: number }> = await this.manager.query(
      `SELECT fp.${column} AS id, COUNT(*) AS n FROM firm_placement fp JOIN grid g ON g.id = fp.grid_id
       WHERE g.community_id = ? AND fp.effective_from <= ? AND (fp.effective_to IS NULL OR fp.effective_to > ?)
       GROUP BY fp.${column}`,
      [communityId, now, now],
    );
    return new Map(rows.map((r) => [Number(r.id), Number(r.n)]));
  }

  private async requireActiveMicrogrid(scope: Scope, id: number): Promise<Microgrid> {
    const mg = await this.manager.findOneBy(Microgrid, { id, status: GridStatus.Active, withdrawnAt: IsNull() });
    if (!mg || !(await this.manager.existsBy(Grid, { id: mg.gridId, communityId: scope.communityId }))) {
      throw new AppError(ErrorCode.MicrogridNotFound);
    }
    return mg;
  }

  /**
   * Inside the writing transaction: the micro-grid is still active, and stays so until commit
   * (an approved split, merge or withdrawal updates the same row and waits for us).
   */
  private async lockActiveMicrogrid(manager: EntityManager, id: number): Promise<void> {
    const [row] = await manager.query('SELECT status FROM microgrid WHERE id = ? FOR UPDATE', [id]);
    if (!row || row.status !== GridStatus.Active) throw new AppError(ErrorCode.MicrogridNotFound, '微网格不存在或已撤销');
  }

  private async requireDepartment(scope: Scope, id: number): Promise<Department> {
    const d = await this.manager.findOneBy(Department, { id, communityId: scope.communityId });
    if (!d) throw new AppError(ErrorCode.DepartmentNotFound);
    return d;
  }

  private checkCreditCode(input: string): string {
    const check = checkUnifiedSocialCreditCode(input);
    if (!check.ok) {
      throw new AppError(ErrorCode.ValidationFailed, '统一社会信用代码不正确', {
        fields: [{ field: 'creditCode', reason: CREDIT_CODE_PROBLEM[check.problem] }],
      });
    }
    return check.code;
  }

  private async insertUnique<T extends object>(entity: new () => T, values: Partial<T>, duplicateMessage: string): Promise<void> {
    try {
      await this.manager.insert(entity, values as never);
    } catch (err) {
      if (isDuplicateKey(err)) throw new AppError(ErrorCode.AlreadyExists, duplicateMessage);
      throw err;
    }
  }
}

function toFirmView(r: FirmRow): FirmView {
  return {
    id: Number(r.id),
    communityId: Number(r.communityId),
    gridId: Number(r.gridId),
    microgridId: Number(r.microgridId),
    name: r.name,
    creditCode: r.creditCode ?? '',
    scale: r.scale,
    industry: r.industry,
    address: r.address,
    latitude: r.latitude === null ? null : Number(r.latitude),
    longitude: r.longitude === null ? null : Number(r.longitude),
  };
}

function toCategoryView(c: Category): CategoryView {
  return {
    id: c.id,
    communityId: c.communityId,
    code: c.code,
    name: c.name,
    group: c.group,
    departmentId: c.departmentId,
    ackMinutes: c.ackMinutes,
    escalateMinutes: c.escalateMinutes,
    resolveMinutes: c.resolveMinutes,
    confirmHours: c.confirmHours,
    calendar: c.calendar,
    requiresOnSite: Boolean(c.requiresOnSite),
  };
}
