import { Injectable } from '@nestjs/common';
import { ErrorCode, Role, STOCK_MOVEMENT_KIND_LABEL, StockLineView, StockMovementListView, StockMovementView, StoreStockView, StoreView } from '@qihu/contracts';
import { EntityManager } from 'typeorm';
import { Clock } from '../../infra/clock';
import { isDuplicateKey } from '../../infra/database/errors';
import { Tx, TransactionRunner } from '../../infra/database/transaction';
import { AppError } from '../../infra/http/app-error';
import { Scope } from '../identity/caller';
import { Part } from './catalogue.entities';
import { CreateStoreDto, StockAdjustmentDto, StockMovementQueryDto, StockReceiptDto } from './dto/parts.dto';
import { StockLedger } from './stock-ledger';
import { StockMovement, Store } from './stock.entities';

/** Columns of a stock line view, from `stock s JOIN store st JOIN part p`. */
const LINE_COLUMNS = `s.store_id AS storeId, st.name AS storeName, s.part_id AS partId, p.code AS partCode, p.name AS partName,
  p.spec, p.unit, s.quantity, s.low_threshold AS lowThreshold`;

/**
 * Stores and their stock, for people: the admin keeps every store of the community (creates
 * stores, receives parts, counts them, sets thresholds); a crew member sees his crew's store.
 * Another community's store, or another crew's, answers 404. Receipts and stocktakes sent again
 * with the same Idempotency-Key answer the movement already made.
 */
@Injectable()
export class StockService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly ledger: StockLedger,
  ) {}

  async stores(scope: Scope): Promise<StoreView[]> {
    const crewOnly = scope.role === Role.CrewMember;
    return this.storeViews(this.transactions.manager, scope.communityId, crewOnly ? { crewId: scope.crewId ?? 0 } : {});
  }

  /** A store with the same name and crew already there answers as made now; a clash of name or crew is 409. */
  async createStore(scope: Scope, input: CreateStoreDto): Promise<{ view: StoreView; created: boolean }> {
    const m = this.transactions.manager;
    const crewId = input.crewId ?? null;
    let crewName: string | null = null;
    if (crewId !== null) {
      const [crew] = await m.query('SELECT name FROM crew WHERE id = ? AND community_id = ?', [crewId, scope.communityId]);
      if (!crew) throw new AppError(ErrorCode.CrewNotFound);
      crewName = crew.name;
    }
    try {
      const { identifiers } = await m.insert(Store, { communityId: scope.communityId, name: input.name, crewId, createdAt: this.clock.now() });
      return { view: await this.storeView(m, scope.communityId, Number(identifiers[0].id)), created: true };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    const sameName = await m.findOneBy(Store, { communityId: scope.communityId, name: input.name });
    if (sameName && sameName.crewId === crewId) return { view: await this.storeView(m, scope.communityId, sameName.id), created: false };
    if (sameName) throw new AppError(ErrorCode.AlreadyExists, `已有名为「${input.name}」的备件库`);
    throw new AppError(ErrorCode.AlreadyExists, `${crewName}已有备件库，每个维修队一个`);
  }

  async stock(scope: Scope, storeId: number): Promise<StoreStockView> {
    const m = this.transactions.manager;
    const store = await this.readableStore(m, scope, storeId);
    const rows = await m.query(
      `SELECT ${LINE_COLUMNS} FROM stock s JOIN store st ON st.id = s.store_id JOIN part p ON p.id = s.part_id WHERE s.store_id = ? ORDER BY p.code`,
      [store.id],
    );
    return { store: await this.storeView(m, scope.communityId, store.id), lines: rows.map(lineView) };
  }

  async receive(scope: Scope, storeId: number, input: StockReceiptDto, key: string | undefined): Promise<{ view: StockMovementView; created: boolean }> {
    return this.keyed(key, async (tx) => this.ledger.receive(tx, await this.context(tx.manager, scope, storeId, input.partId, key, input.note ?? ''), input.quantity));
  }

  async adjust(scope: Scope, storeId: number, input: StockAdjustmentDto, key: string | undefined): Promise<{ view: StockMovementView; created: boolean }> {
    return this.keyed(key, async (tx) => this.ledger.adjust(tx, await this.context(tx.manager, scope, storeId, input.partId, key, input.reason), input.countedQuantity));
  }

  /** The low-stock threshold of a part in a store (a part never received gets an empty stock line). */
  async setThreshold(scope: Scope, storeId: number, partId: number, lowThreshold: number): Promise<StockLineView> {
    const m = this.transactions.manager;
    const store = await this.readableStore(m, scope, storeId);
    const part = await m.findOneBy(Part, { id: partId, communityId: scope.communityId });
    if (!part) throw new AppError(ErrorCode.NotFound, '配件不存在');
    await m.query(
      `INSERT INTO stock (store_id, part_id, quantity, low_threshold, updated_at) VALUES (?, ?, 0, ?, ?)
       ON DUPLICATE KEY UPDATE low_threshold = VALUES(low_threshold), updated_at = VALUES(updated_at)`,
      [store.id, part.id, lowThreshold, this.clock.now()],
    );
    const [row] = await m.query(
      `SELECT ${LINE_COLUMNS} FROM stock s JOIN store st ON st.id = s.store_id JOIN part p ON p.id = s.part_id WHERE s.store_id = ? AND s.part_id = ?`,
      [store.id, part.id],
    );
    return lineView(row);
  }

  async movements(scope: Scope, storeId: number, query: StockMovementQueryDto): Promise<StockMovementListView> {
    const m = this.transactions.manager;
    const store = await this.readableStore(m, scope, storeId);
    const limit = query.limit ?? 50;
    const qb = m.createQueryBuilder(StockMovement, 'sm').where('sm.store_id = :storeId', { storeId: store.id }).orderBy('sm.id', 'DESC').take(limit + 1);
    if (query.partId !== undefined) qb.andWhere('sm.part_id = :partId', { partId: query.partId });
    if (query.beforeId !== undefined) qb.andWhere('sm.id < :beforeId', { beforeId: query.beforeId });
    const rows = await qb.getMany();
    const page = rows.slice(0, limit);
    return { items: await this.movementViews(m, page), nextBeforeId: rows.length > limit ? page[page.length - 1].id : null };
  }

  /** Every stock line of the community at or below its threshold, lowest first relative to it. */
  async low(scope: Scope): Promise<StockLineView[]> {
    const rows = await this.transactions.manager.query(
      `SELECT ${LINE_COLUMNS} FROM stock s JOIN store st ON st.id = s.store_id JOIN part p ON p.id = s.part_id
       WHERE st.community_id = ? AND s.quantity <= s.low_threshold
       ORDER BY CAST(s.quantity AS SIGNED) - CAST(s.low_threshold AS SIGNED), st.name, p.code`,
      [scope.communityId],
    );
    return rows.map(lineView);
  }

  /**
   * Runs one keyed movement. Two requests with one key at once: the second waits on the stock
   * row, then finds the first's movement. Should it still collide on the unique reference, its
   * transaction is rolled back whole and run once more, now finding the first's movement.
   */
  private async keyed(key: string | undefined, work: (tx: Tx) => Promise<{ movement: StockMovement; applied: boolean }>): Promise<{ view: StockMovementView; created: boolean }> {
    const run = () => this.transactions.run(work);
    const { movement, applied } = await run().catch((err) => {
      if (key && isDuplicateKey(err)) return run();
      throw err;
    });
    return { view: (await this.movementViews(this.transactions.manager, [movement]))[0], created: applied };
  }

  /** The store (404 if not the caller's) and an active part of the community (422 if not). */
  private async context(m: EntityManager, scope: Scope, storeId: number, partId: number, key: string | undefined, note: string) {
    const store = await this.readableStore(m, scope, storeId);
    const part = await m.findOneBy(Part, { id: partId, communityId: scope.communityId });
    if (!part) throw new AppError(ErrorCode.PartNotFound, `配件 #${partId} 不在配件目录中`, { partId });
    if (!part.active) throw new AppError(ErrorCode.PartNotFound, `配件「${part.name}」已停用`, { partId });
    return { store, part, personId: scope.personId, reference: key ?? null, note };
  }

  /** A store of the caller's community; a crew member only his crew's. Else 404. */
  private async readableStore(m: EntityManager, scope: Scope, storeId: number): Promise<Store> {
    const store = await m.findOneBy(Store, { id: storeId, communityId: scope.communityId });
    if (!store || (scope.role === Role.CrewMember && store.crewId !== scope.crewId)) throw new AppError(ErrorCode.NotFound, '备件库不存在');
    return store;
  }

  private async storeView(m: EntityManager, communityId: number, storeId: number): Promise<StoreView> {
    const [view] = await this.storeViews(m, communityId, { storeId });
    return view;
  }

  private async storeViews(m: EntityManager, communityId: number, only: { storeId?: number; crewId?: number }): Promise<StoreView[]> {
    const rows: Array<{ id: number; name: string; crewId: number | null; crewName: string | null; lowCount: number }> = await m.query(
      `SELECT st.id, st.name, st.crew_id AS crewId, c.name AS crewName,
         (SELECT COUNT(*) FROM stock s WHERE s.store_id = st.id AND s.quantity <= s.low_threshold) AS lowCount
       FROM store st LEFT JOIN crew c ON c.id = st.crew_id
       WHERE st.community_id = ? ${only.storeId !== undefined ? 'AND st.id = ?' : ''} ${only.crewId !== undefined ? 'AND st.crew_id = ?' : ''}
       ORDER BY st.crew_id IS NOT NULL, st.name`,
      [communityId, ...(only.storeId !== undefined ? [only.storeId] : []), ...(only.crewId !== undefined ? [only.crewId] : [])],
    );
    return rows.map((r) => ({ id: Number(r.id), name: r.name, crewId: r.crewId === null ? null : Number(r.crewId), crewName: r.crewName, lowCount: Number(r.lowCount) }));
  }

  private async movementViews(m: EntityManager, movements: StockMovement[]): Promise<StockMovementView[]> {
    if (movements.length === 0) return [];
    const parts: Array<{ id: number; code: string; name: string; unit: string }> = await m.query('SELECT id, code, name, unit FROM part WHERE id IN (?)', [
      [...new Set(movements.map((x) => x.partId))],
    ]);
    const people: Array<{ id: number; name: string }> = await m.query('SELECT id, name FROM person WHERE id IN (?)', [[...new Set(movements.map((x) => x.personId))]]);
    const partOf = new Map(parts.map((p) => [Number(p.id), p]));
    const nameOf = new Map(people.map((p) => [Number(p.id), p.name]));
    return movements.map((x) => {
      const part = partOf.get(x.partId)!;
      return {
        id: x.id,
        storeId: x.storeId,
        partId: x.partId,
        partCode: part.code,
        partName: part.name,
        unit: part.unit,
        kind: x.kind,
        kindLabel: STOCK_MOVEMENT_KIND_LABEL[x.kind],
        quantity: x.quantity,
        balanceAfter: x.balanceAfter,
        ticketId: x.ticketId,
        takeId: x.takeId,
        personId: x.personId,
        personName: nameOf.get(x.personId) ?? '',
        at: x.at.toISOString(),
        note: x.note,
      };
    });
  }
}

function lineView(r: Record<string, unknown>): StockLineView {
  const quantity = Number(r.quantity);
  const lowThreshold = Number(r.lowThreshold);
  return {
    storeId: Number(r.storeId),
    storeName: String(r.storeName),
    partId: Number(r.partId),
    partCode: String(r.partCode),
    partName: String(r.partName),
    spec: String(r.spec),
    unit: String(r.unit),
    quantity,
    lowThreshold,
    low: quantity <= lowThreshold,
  };
}
