import { Injectable } from '@nestjs/common';
import {
  CategoryGroup,
  EQUIPMENT_CODE_PATTERN,
  EQUIPMENT_LABELS_PER_PAGE,
  MAINTENANCE_SKILL_LABEL,
  EquipmentFaultView,
  EquipmentFileView,
  EquipmentRef,
  EquipmentScanView,
  MaintenanceSkill,
  EquipmentView,
  EquipmentVisitView,
  ErrorCode,
  Role,
  TICKET_STATUS_LABEL,
  TicketStatus,
  parseEquipmentLabel,
} from '@qihu/contracts';
import { dayNumberOfShanghaiDate, shanghaiDayNumber } from '@qihu/domain';
import { createHash, randomBytes } from 'node:crypto';
import { EntityManager, IsNull, SelectQueryBuilder } from 'typeorm';
import { Clock } from '../../infra/clock';
import { TransactionRunner } from '../../infra/database/transaction';
import { AppError } from '../../infra/http/app-error';
import { Scope } from '../identity/caller';
import { Category } from '../org/category.entity';
import { Firm } from '../org/firm.entity';
import { OrgService } from '../org/org.service';
import { CreateEquipmentDto, EquipmentListQueryDto, LabelSheetQueryDto, UpdateEquipmentDto } from './dto/equipment.dto';
import { visibleMachines } from './equipment-access';
import { Equipment } from './equipment.entity';
import { LabelMachine, labelPng, labelSheetSvg, labelSvg, pageOf } from './labels';
import { reliabilityOf } from './reliability';

/**
 * Where the rest of a machine's file comes from: the maintenance service (dispatch) registers one
 * at start-up (`EquipmentService.addHistorySource`) to add its visits, parts and costs.
 */
export interface EquipmentHistorySource {
  /** The visits made for these fault tickets of the machine (only those the caller sees are passed). */
  visitsOf(manager: EntityManager, machine: EquipmentRef, ticketIds: readonly number[]): Promise<EquipmentVisitView[]>;
}

/** A label file ready to send. */
export interface LabelFile {
  fileName: string;
  contentType: string;
  content: Buffer;
}

interface MachineRow {
  id: number;
  communityId: number;
  firmId: number;
  firmName: string;
  code: string;
  name: string;
  model: string;
  maker: string;
  skill: MaintenanceSkill;
  installedOn: string | null;
  locationInPlant: string;
  labelToken: string;
  createdAt: Date;
  retiredAt: Date | null;
}

interface FaultRow {
  id: number;
  number: string;
  description: string;
  status: TicketStatus;
  createdAt: Date;
  resolvedAt: Date | null;
}

/** Generated codes: `EQ` and at least 6 digits, numbered per community. */
const GENERATED_CODE_DIGITS = 6;
const SVG = 'image/svg+xml; charset=utf-8';

/**
 * Equipment files (一设备一档): machines per firm, their labels, their history of faults with
 * MTBF/MTTR, and the lookup behind "scan a label, raise a request". Every read takes the
 * caller's scope: a machine out of reach answers 404 like a missing one.
 */
@Injectable()
export class EquipmentService {
  private readonly historySources: EquipmentHistorySource[] = [];

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly org: OrgService,
  ) {}

  private get manager(): EntityManager {
    return this.transactions.manager;
  }

  addHistorySource(source: EquipmentHistorySource): void {
    this.historySources.push(source);
  }

  // ---- for other modules ----------------------------------------------------------------------

  /**
   * The firm's machine (in use, not retired) with this code, for ticket intake: null when the
   * firm has none. Codes match ignoring case, as the unique key does.
   */
  async findForFirm(manager: EntityManager, firmId: number, code: string): Promise<EquipmentRef | null> {
    const machine = await manager.findOne(Equipment, {
      select: { id: true, code: true, name: true, model: true, maker: true, skill: true, firmId: true },
      where: { firmId, code, retiredAt: IsNull() },
    });
    return machine ? refOf(machine) : null;
  }

  /**
   * A scanned label as proof of presence (dispatch check-in): the firm's machine when the scanned
   * text is one of our labels and its token is that machine's, else null. The code alone is
   * printed in plain text and guessable; the token is only in the QR.
   */
  async verifyLabel(manager: EntityManager, firmId: number, scanned: string): Promise<EquipmentRef | null> {
    const label = parseEquipmentLabel(scanned);
    if (!label) return null;
    const machine = await manager.findOne(Equipment, {
      select: { id: true, code: true, name: true, model: true, maker: true, skill: true, firmId: true },
      where: { firmId, code: label.code, labelToken: label.token },
    });
    return machine ? refOf(machine) : null;
  }

  // ---- reads ----------------------------------------------------------------------------------

  async list(scope: Scope, query: EquipmentListQueryDto): Promise<EquipmentView[]> {
    const qb = this.machines(scope);
    if (query.firmId) qb.andWhere('e.firm_id = :firmId', { firmId: query.firmId });
    if (query.model) qb.andWhere('e.model = :model', { model: query.model.trim() });
    if (!query.includeRetired) qb.andWhere('e.retired_at IS NULL');
    const rows = await qb.orderBy('e.firm_id', 'ASC').addOrderBy('e.code', 'ASC').getRawMany<MachineRow>();
    return rows.map(toView);
  }

  async view(scope: Scope, id: number): Promise<EquipmentView> {
    return toView(await this.requireVisible(scope, id));
  }

  /** 一设备一档: the machine, its faults (newest first), MTBF/MTTR, and what the maintenance service adds. */
  async file(scope: Scope, id: number): Promise<EquipmentFileView> {
    const manager = this.manager;
    const machine = await this.requireVisible(scope, id);
    // A worker's anonymous request is not the firm's to read (as in the ticket lists).
    const hidden = scope.role === Role.FirmContact ? { sql: ' AND (t.anonymous = 0 OR t.requester_id = ?)', params: [scope.personId] } : { sql: '', params: [] };
    const rows: FaultRow[] = await manager.query(
      `SELECT t.id, t.number, t.description, t.status, t.created_at AS createdAt, t.resolved_at AS resolvedAt
       FROM ticket t
       WHERE t.firm_id = ? AND t.community_id = ? AND t.equipment_code = ? AND t.status <> ?${hidden.sql}
       ORDER BY t.created_at DESC, t.id DESC`,
      [machine.firmId, machine.communityId, machine.code, TicketStatus.Cancelled, ...hidden.params],
    );
    const faults: EquipmentFaultView[] = rows.map((r) => ({
      ticketId: Number(r.id),
      number: r.number,
      description: r.description,
      status: r.status,
      statusLabel: TICKET_STATUS_LABEL[r.status] ?? r.status,
      createdAt: r.createdAt.toISOString(),
      resolvedAt: r.resolvedAt ? r.resolvedAt.toISOString() : null,
      repairMs: r.resolvedAt ? r.resolvedAt.getTime() - r.createdAt.getTime() : null,
    }));
    const ref = refOf(machine);
    const ticketIds = faults.map((f) => f.ticketId);
    const visits = (await Promise.all(this.historySources.map((s) => s.visitsOf(manager, ref, ticketIds)))).flat();
    visits.sort((a, b) => (b.finishedAt ?? b.arrivedAt ?? '').localeCompare(a.finishedAt ?? a.arrivedAt ?? ''));
    return {
      equipment: toView(machine),
      reliability: reliabilityOf(rows),
      faults,
      visits,
      costFen: visits.reduce((sum, v) => sum + v.totalFen, 0),
    };
  }

  /**
   * A scanned label: the machine and the community's equipment-fault category, so the request
   * opens filled in. A retired machine takes no new requests.
   */
  async byCode(scope: Scope, code: string): Promise<EquipmentScanView> {
    if (!EQUIPMENT_CODE_PATTERN.test(code)) {
      throw new AppError(ErrorCode.ValidationFailed, '设备编号不正确', { fields: [{ field: 'code', reason: '只能是字母、数字、_ . -，最长 64 位' }] });
    }
    const machine = await this.machines(scope).andWhere('e.code = :code', { code }).getRawOne<MachineRow>();
    if (!machine) throw new AppError(ErrorCode.EquipmentNotFound, `设备不存在（编号 ${code}）`);
    if (machine.retiredAt) throw new AppError(ErrorCode.EquipmentNotFound, `设备 ${machine.code} 已停用，不能报修`);
    const category = await this.manager.findOne(Category, {
      select: { id: true, name: true },
      where: { communityId: scope.communityId, group: CategoryGroup.Equipment },
      order: { id: 'ASC' },
    });
    return { equipment: toView(machine), suggestedCategory: category ? { id: category.id, name: category.name } : null };
  }

  // ---- writes ---------------------------------------------------------------------------------

  /**
   * Registers a machine. Creates in one community queue on the community row, so the next
   * generated code and the uniqueness check cannot race. A retry with the same Idempotency-Key
   * answers with the machine it made (`created: false`).
   */
  async create(scope: Scope, input: CreateEquipmentDto, idempotencyKey?: string): Promise<{ equipment: EquipmentView; created: boolean }> {
    const firmId = await this.firmToWrite(scope, input.firmId);
    if (input.installedOn) this.checkInstalledOn(input.installedOn);
    const request = {
      firmId,
      code: input.code ?? null,
      name: input.name.trim(),
      model: (input.model ?? '').trim(),
      maker: (input.maker ?? '').trim(),
      skill: input.skill,
      installedOn: input.installedOn ?? null,
      locationInPlant: (input.locationInPlant ?? '').trim(),
    };
    const requestHash = createHash('sha256').update(JSON.stringify(request)).digest('hex');
    const { id, created } = await this.transactions.run(async ({ manager }) => {
      await manager.query('SELECT id FROM community WHERE id = ? FOR UPDATE', [scope.communityId]);
      if (idempotencyKey) {
        const earlier = await manager.findOneBy(Equipment, { idempotencyKey });
        if (earlier) {
          if (earlier.requestHash !== requestHash || earlier.communityId !== scope.communityId) throw new AppError(ErrorCode.IdempotencyKeyReused);
          return { id: earlier.id, created: false };
        }
      }
      const code = request.code ?? (await this.nextCode(manager, scope.communityId));
      if (await manager.existsBy(Equipment, { communityId: scope.communityId, code })) {
        throw new AppError(ErrorCode.AlreadyExists, `设备编号 ${code} 已被本社区的其他设备使用`, { fields: [{ field: 'code', reason: '编号已被使用' }] });
      }
      const now = this.clock.now();
      const { identifiers } = await manager.insert(Equipment, {
        ...request,
        communityId: scope.communityId,
        code,
        labelToken: newLabelToken(),
        idempotencyKey: idempotencyKey ?? null,
        requestHash,
        createdBy: scope.personId,
        createdAt: now,
        updatedAt: now,
        retiredAt: null,
      });
      return { id: Number(identifiers[0].id), created: true };
    });
    return { equipment: await this.view(scope, id), created };
  }

  /** The firm and the code stay: tickets quote the code, and the history follows it. */
  async update(scope: Scope, id: number, input: UpdateEquipmentDto): Promise<EquipmentView> {
    await this.requireVisible(scope, id);
    if (input.installedOn) this.checkInstalledOn(input.installedOn);
    const patch: Partial<Equipment> = { updatedAt: this.clock.now() };
    if (input.name !== undefined) patch.name = input.name.trim();
    if (input.model !== undefined) patch.model = input.model.trim();
    if (input.maker !== undefined) patch.maker = input.maker.trim();
    if (input.skill !== undefined) patch.skill = input.skill;
    if (input.installedOn !== undefined) patch.installedOn = input.installedOn;
    if (input.locationInPlant !== undefined) patch.locationInPlant = input.locationInPlant.trim();
    await this.manager.update(Equipment, { id }, patch);
    return this.view(scope, id);
  }

  /** 停用: the machine keeps its file and label but takes no new requests. Retiring twice changes nothing. */
  async retire(scope: Scope, id: number): Promise<EquipmentView> {
    await this.requireVisible(scope, id);
    const now = this.clock.now();
    await this.manager.query('UPDATE equipment SET retired_at = ?, updated_at = ? WHERE id = ? AND retired_at IS NULL', [now, now, id]);
    return this.view(scope, id);
  }

  // ---- labels ---------------------------------------------------------------------------------

  async labelPng(scope: Scope, id: number): Promise<LabelFile> {
    const machine = await this.requireVisible(scope, id);
    return { fileName: `${machine.code}.png`, contentType: 'image/png', content: await labelPng(machine) };
  }

  async labelSvg(scope: Scope, id: number): Promise<LabelFile> {
    const machine = await this.requireVisible(scope, id);
    return { fileName: `${machine.code}.svg`, contentType: SVG, content: Buffer.from(labelSvg(machine)) };
  }

  /** One A4 page of the labels of a firm's machines in use, in code order. */
  async labelSheet(scope: Scope, query: LabelSheetQueryDto): Promise<LabelFile & { totalPages: number }> {
    const firmId = query.firmId ?? scope.firmId;
    if (!firmId) throw new AppError(ErrorCode.ValidationFailed, '请选择企业', { fields: [{ field: 'firmId', reason: '必填' }] });
    const firm = await this.org.firm(scope, firmId);
    const machines: LabelMachine[] = await this.machines(scope)
      .andWhere('e.firm_id = :firmId AND e.retired_at IS NULL', { firmId })
      .orderBy('e.code', 'ASC')
      .getRawMany<MachineRow>();
    const page = query.page ?? 1;
    const { totalPages, items } = pageOf(machines, page);
    if (totalPages === 0) throw new AppError(ErrorCode.EquipmentNotFound, `${firm.name}还没有在用的设备，没有标签可打印`);
    if (page > totalPages) throw new AppError(ErrorCode.NotFound, `没有第 ${page} 页（共 ${totalPages} 页）`);
    const title = `${firm.name} 设备标签 第 ${page}/${totalPages} 页（每页 ${EQUIPMENT_LABELS_PER_PAGE} 个）`;
    return { fileName: `equipment-labels-${firmId}-p${page}.svg`, contentType: SVG, content: Buffer.from(labelSheetSvg(items, title)), totalPages };
  }

  // ---- helpers --------------------------------------------------------------------------------

  private machines(scope: Scope, manager: EntityManager = this.manager): SelectQueryBuilder<Equipment> {
    const qb = manager
      .createQueryBuilder(Equipment, 'e')
      .innerJoin(Firm, 'f', 'f.id = e.firm_id')
      .select([
        'e.id AS id',
        'e.community_id AS communityId',
        'e.firm_id AS firmId',
        'f.name AS firmName',
        'e.code AS code',
        'e.name AS name',
        'e.model AS model',
        'e.maker AS maker',
        'e.skill AS skill',
        "DATE_FORMAT(e.installed_on, '%Y-%m-%d') AS installedOn",
        'e.location_in_plant AS locationInPlant',
        'e.label_token AS labelToken',
        'e.created_at AS createdAt',
        'e.retired_at AS retiredAt',
      ]);
    return visibleMachines(qb, scope, this.clock.now());
  }

  /** A machine the caller reaches, else 404 (existence is not disclosed). */
  private async requireVisible(scope: Scope, id: number): Promise<MachineRow> {
    const row = await this.machines(scope).andWhere('e.id = :id', { id }).getRawOne<MachineRow>();
    if (!row) throw new AppError(ErrorCode.EquipmentNotFound);
    return row;
  }

  /** A firm contact registers for their own firm; the admin names a firm of the community. */
  private async firmToWrite(scope: Scope, firmId: number | undefined): Promise<number> {
    if (scope.role === Role.FirmContact) {
      if (firmId !== undefined && firmId !== scope.firmId) throw new AppError(ErrorCode.FirmNotFound, `企业不存在（编号 ${firmId}）`);
      return scope.firmId!;
    }
    if (firmId === undefined) throw new AppError(ErrorCode.ValidationFailed, '请选择设备所属企业', { fields: [{ field: 'firmId', reason: '必填' }] });
    if (!(await this.manager.existsBy(Firm, { id: firmId, communityId: scope.communityId }))) throw new AppError(ErrorCode.FirmNotFound, `企业不存在（编号 ${firmId}）`);
    return firmId;
  }

  private checkInstalledOn(date: string): void {
    const invalid = (reason: string) => new AppError(ErrorCode.ValidationFailed, `安装日期${reason}`, { fields: [{ field: 'installedOn', reason }] });
    let day: number;
    try {
      day = dayNumberOfShanghaiDate(date);
    } catch {
      throw invalid('不是有效的日期');
    }
    if (day > shanghaiDayNumber(this.clock.now().getTime())) throw invalid('不能晚于今天');
  }

  /** The community's next `EQ000001`-style code, above every code of that shape it has (typed ones too). */
  private async nextCode(manager: EntityManager, communityId: number): Promise<string> {
    const [row] = await manager.query("SELECT MAX(CAST(SUBSTRING(code, 3) AS UNSIGNED)) AS n FROM equipment WHERE community_id = ? AND code REGEXP '^EQ[0-9]{1,12}$'", [communityId]);
    return `EQ${String(Number(row?.n ?? 0) + 1).padStart(GENERATED_CODE_DIGITS, '0')}`;
  }
}

/** 22 characters of base64url: 128 random bits, not guessable from the code or the id. */
function newLabelToken(): string {
  return randomBytes(16).toString('base64url');
}

function refOf(m: Pick<MachineRow, keyof EquipmentRef>): EquipmentRef {
  return { id: Number(m.id), code: m.code, name: m.name, model: m.model, maker: m.maker, skill: m.skill, firmId: Number(m.firmId) };
}

function toView(m: MachineRow): EquipmentView {
  return {
    ...refOf(m),
    communityId: Number(m.communityId),
    firmName: m.firmName,
    skillLabel: MAINTENANCE_SKILL_LABEL[m.skill] ?? m.skill,
    installedOn: m.installedOn,
    locationInPlant: m.locationInPlant,
    createdAt: m.createdAt.toISOString(),
    retiredAt: m.retiredAt ? m.retiredAt.toISOString() : null,
  };
}
