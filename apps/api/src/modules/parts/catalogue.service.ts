import { Injectable } from '@nestjs/common';
import { CatalogueKind, ErrorCode, MAINTENANCE_SKILL_LABEL, PartView, PriceVersionView, ServiceItemView } from '@qihu/contracts';
import { Brackets, EntityManager, EntityTarget, FindOptionsWhere, In } from 'typeorm';
import { Clock } from '../../infra/clock';
import { isDuplicateKey } from '../../infra/database/errors';
import { TransactionRunner } from '../../infra/database/transaction';
import { AppError } from '../../infra/http/app-error';
import { Scope } from '../identity/caller';
import { Part, PartPrice, PriceVersion, ServiceItem, ServiceItemPrice } from './catalogue.entities';
import { CatalogueQueryDto, CreatePartDto, CreateServiceItemDto, NewPriceDto, ServiceItemQueryDto, UpdatePartDto, UpdateServiceItemDto } from './dto/parts.dto';
import { currentAndUpcoming, priceChangeStart, versionAt } from './parts.rules';

type Entry = ServiceItem | Part;
type EntryView<K extends CatalogueKind> = K extends 'service' ? ServiceItemView : PartView;
type CreateInput<K extends CatalogueKind> = K extends 'service' ? CreateServiceItemDto : CreatePartDto;
type UpdateInput<K extends CatalogueKind> = K extends 'service' ? UpdateServiceItemDto : UpdatePartDto;
type Query<K extends CatalogueKind> = K extends 'service' ? ServiceItemQueryDto : CatalogueQueryDto;

/** The two catalogues differ in their tables, their extra field (skill or spec) and their words. */
const CATALOGUES = {
  service: { entry: ServiceItem, price: ServiceItemPrice, label: '服务项目', unknownCode: ErrorCode.PriceItemNotFound },
  part: { entry: Part, price: PartPrice, label: '配件', unknownCode: ErrorCode.PartNotFound },
} satisfies Record<CatalogueKind, { entry: EntityTarget<Entry>; price: EntityTarget<PriceVersion>; label: string; unknownCode: ErrorCode }>;

const entryTarget = (kind: CatalogueKind) => CATALOGUES[kind].entry as EntityTarget<Entry>;
const priceTarget = (kind: CatalogueKind) => CATALOGUES[kind].price as EntityTarget<PriceVersion>;

/** A catalogue line priced at an instant, as dispatch puts it on a work record. */
export interface PricedItem {
  kind: CatalogueKind;
  itemId: number;
  versionId: number;
  code: string;
  name: string;
  unit: string;
  unitPriceFen: number;
  warrantyDays: number;
}

/**
 * The unified price list (统一价目表) and the parts catalogue (配件目录), alike in all but their
 * extra field: entries of one community, each with a chain of price versions. A price change
 * adds a version from an instant not in the past and closes the one before it; a version's price
 * is never rewritten, so whatever was priced at an instant keeps that price. The admin writes;
 * every staff role, crew members and firm contacts read (openness of prices, 五统一).
 */
@Injectable()
export class CatalogueService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async list<K extends CatalogueKind>(scope: Scope, kind: K, query: Query<K>): Promise<Array<EntryView<K>>> {
    const qb = this.transactions.manager
      .createQueryBuilder(entryTarget(kind), 'e')
      .where('e.community_id = :communityId', { communityId: scope.communityId })
      .orderBy('e.code');
    if (query.active !== undefined) qb.andWhere('e.active = :active', { active: query.active });
    if (query.q) {
      const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere(new Brackets((w) => w.where('e.code LIKE :like', { like }).orWhere('e.name LIKE :like', { like })));
    }
    if ('skill' in query && query.skill) qb.andWhere('e.skill = :skill', { skill: query.skill });
    return this.views(this.transactions.manager, kind, await qb.getMany());
  }

  async get<K extends CatalogueKind>(scope: Scope, kind: K, id: number): Promise<EntryView<K>> {
    const entry = await this.entryOf(this.transactions.manager, scope, kind, id);
    const [view] = await this.views(this.transactions.manager, kind, [entry]);
    return view;
  }

  /**
   * A new entry with its first price. Sending the same entry again (same code, fields and first
   * price) answers the one already made; the code taken by a different entry is 409.
   */
  async create<K extends CatalogueKind>(scope: Scope, kind: K, input: CreateInput<K>): Promise<{ view: EntryView<K>; created: boolean }> {
    const now = this.clock.now();
    const start = priceChangeStart(input.validFrom ? new Date(input.validFrom) : undefined, now, null);
    if ('refused' in start) throw refusal('validFrom', start.refused);
    const fields = extraFields(kind, input);
    try {
      const id = await this.transactions.run(async ({ manager }) => {
        const { identifiers } = await manager.insert(entryTarget(kind), {
          communityId: scope.communityId,
          code: input.code,
          name: input.name,
          unit: input.unit,
          ...fields,
          active: true,
          createdAt: now,
          updatedAt: now,
        });
        const itemId = Number(identifiers[0].id);
        await manager.insert(priceTarget(kind), {
          itemId,
          version: 1,
          priceFen: input.priceFen,
          warrantyDays: input.warrantyDays,
          validFrom: start.validFrom,
          validTo: null,
          note: input.note ?? '',
          createdBy: scope.personId,
          createdAt: now,
        });
        return itemId;
      });
      return { view: await this.get(scope, kind, id), created: true };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    const m = this.transactions.manager;
    const existing = await m.findOneByOrFail(entryTarget(kind), { communityId: scope.communityId, code: input.code });
    const first = await m.findOneByOrFail(priceTarget(kind), { itemId: existing.id, version: 1 });
    const same =
      existing.name === input.name &&
      existing.unit === input.unit &&
      Object.entries(fields).every(([k, v]) => (existing as unknown as Record<string, unknown>)[k] === v) &&
      first.priceFen === input.priceFen &&
      first.warrantyDays === input.warrantyDays;
    if (!same) throw new AppError(ErrorCode.AlreadyExists, `编码 ${input.code} 已被${CATALOGUES[kind].label}「${existing.name}」使用`);
    return { view: await this.get(scope, kind, existing.id), created: false };
  }

  /** Name, unit, skill or spec, active. The code and the prices are not edited here. */
  async update<K extends CatalogueKind>(scope: Scope, kind: K, id: number, patch: UpdateInput<K>): Promise<EntryView<K>> {
    await this.transactions.run(async ({ manager }) => {
      await this.entryOf(manager, scope, kind, id, true);
      const changes = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      if (Object.keys(changes).length) await manager.update(entryTarget(kind), { id }, { ...changes, updatedAt: this.clock.now() });
    });
    return this.get(scope, kind, id);
  }

  /**
   * A new price version from `validFrom` (default now). Sending the latest version's price,
   * warranty and note again (with no start, or its start) answers that version: a retry adds nothing.
   */
  async addPrice(scope: Scope, kind: CatalogueKind, id: number, input: NewPriceDto): Promise<{ view: PriceVersionView; created: boolean }> {
    const requested = input.validFrom ? new Date(input.validFrom) : undefined;
    const note = input.note ?? '';
    const { versionId, created } = await this.transactions.run(async ({ manager }) => {
      // The entry's row lock orders concurrent price changes of one entry.
      await this.entryOf(manager, scope, kind, id, true);
      const latest = await manager.findOne(priceTarget(kind), { where: { itemId: id }, order: { version: 'DESC' } });
      if (
        latest &&
        latest.priceFen === input.priceFen &&
        latest.warrantyDays === input.warrantyDays &&
        latest.note === note &&
        (requested === undefined || requested.getTime() === latest.validFrom.getTime())
      ) {
        return { versionId: latest.id, created: false };
      }
      const now = this.clock.now();
      const start = priceChangeStart(requested, now, latest?.validFrom ?? null);
      if ('refused' in start) throw refusal('validFrom', start.refused);
      if (latest) await manager.update(priceTarget(kind), { id: latest.id }, { validTo: start.validFrom });
      const { identifiers } = await manager.insert(priceTarget(kind), {
        itemId: id,
        version: (latest?.version ?? 0) + 1,
        priceFen: input.priceFen,
        warrantyDays: input.warrantyDays,
        validFrom: start.validFrom,
        validTo: null,
        note,
        createdBy: scope.personId,
        createdAt: now,
      });
      return { versionId: Number(identifiers[0].id), created: true };
    });
    const [view] = await this.priceViews(this.transactions.manager, kind, { id: versionId });
    return { view, created };
  }

  /** Every version, newest first. */
  async prices(scope: Scope, kind: CatalogueKind, id: number): Promise<PriceVersionView[]> {
    await this.entryOf(this.transactions.manager, scope, kind, id);
    return this.priceViews(this.transactions.manager, kind, { itemId: id });
  }

  /**
   * The price of an active entry, by code, at an instant: what a work record charges. Unknown,
   * inactive or not yet priced at that instant: PRICE_ITEM_NOT_FOUND (service) or PART_NOT_FOUND.
   */
  async priceAt(manager: EntityManager, communityId: number, kind: CatalogueKind, code: string, at: Date): Promise<PricedItem> {
    const { label, unknownCode } = CATALOGUES[kind];
    const entry = await manager.findOneBy(entryTarget(kind), { communityId, code });
    if (!entry) throw new AppError(unknownCode, `${label} ${code} 不在${kind === 'service' ? '统一价目表' : '配件目录'}中`, { code });
    if (!entry.active) throw new AppError(unknownCode, `${label}「${entry.name}」（${entry.code}）已停用`, { code });
    const versions = await manager.find(priceTarget(kind), { where: { itemId: entry.id }, order: { version: 'DESC' } });
    const version = versionAt(versions, at);
    if (!version) throw new AppError(unknownCode, `${label}「${entry.name}」（${entry.code}）在该时间还没有价格`, { code, at: at.toISOString() });
    return {
      kind,
      itemId: entry.id,
      versionId: version.id,
      code: entry.code,
      name: entry.name,
      unit: entry.unit,
      unitPriceFen: version.priceFen,
      warrantyDays: version.warrantyDays,
    };
  }

  /** An entry of the caller's community, else 404 (another community's entries are not disclosed). */
  private async entryOf(manager: EntityManager, scope: Scope, kind: CatalogueKind, id: number, lock = false): Promise<Entry> {
    const entry = await manager.findOne(entryTarget(kind), {
      where: { id, communityId: scope.communityId },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!entry) throw new AppError(ErrorCode.NotFound, `${CATALOGUES[kind].label}不存在`);
    return entry;
  }

  private async views<K extends CatalogueKind>(manager: EntityManager, kind: K, entries: Entry[]): Promise<Array<EntryView<K>>> {
    if (entries.length === 0) return [];
    const versions = await manager.find(priceTarget(kind), { where: { itemId: In(entries.map((e) => e.id)) } });
    const viewOf = await this.versionViews(manager, versions);
    const now = this.clock.now();
    return entries.map((e) => {
      const { current, upcoming } = currentAndUpcoming(versions.filter((v) => v.itemId === e.id), now);
      const base = { id: e.id, code: e.code, name: e.name, unit: e.unit, active: e.active, current: current && viewOf(current), upcoming: upcoming && viewOf(upcoming) };
      const extra =
        kind === 'service'
          ? { skill: (e as ServiceItem).skill, skillLabel: MAINTENANCE_SKILL_LABEL[(e as ServiceItem).skill] }
          : { spec: (e as Part).spec };
      return { ...base, ...extra } as EntryView<K>;
    });
  }

  private async priceViews(manager: EntityManager, kind: CatalogueKind, where: FindOptionsWhere<PriceVersion>): Promise<PriceVersionView[]> {
    const versions = await manager.find(priceTarget(kind), { where, order: { version: 'DESC' } });
    return versions.map(await this.versionViews(manager, versions));
  }

  /** Views of some versions, with the names of who set them. */
  private async versionViews(manager: EntityManager, versions: PriceVersion[]): Promise<(v: PriceVersion) => PriceVersionView> {
    const personIds = [...new Set(versions.map((v) => v.createdBy))];
    const people: Array<{ id: number; name: string }> = personIds.length ? await manager.query('SELECT id, name FROM person WHERE id IN (?)', [personIds]) : [];
    const names = new Map(people.map((p) => [Number(p.id), p.name]));
    return (v) => ({
      id: v.id,
      version: v.version,
      priceFen: v.priceFen,
      warrantyDays: v.warrantyDays,
      validFrom: v.validFrom.toISOString(),
      validTo: v.validTo?.toISOString() ?? null,
      note: v.note,
      createdBy: v.createdBy,
      createdByName: names.get(v.createdBy) ?? '',
      createdAt: v.createdAt.toISOString(),
    });
  }
}

/** The field only one catalogue has: a service item's skill, a part's spec. */
function extraFields(kind: CatalogueKind, input: CreateServiceItemDto | CreatePartDto): Record<string, string> {
  return kind === 'service' ? { skill: (input as CreateServiceItemDto).skill } : { spec: (input as CreatePartDto).spec ?? '' };
}

function refusal(field: string, reason: string): AppError {
  return new AppError(ErrorCode.ValidationFailed, reason, { fields: [{ field, reason }] });
}
