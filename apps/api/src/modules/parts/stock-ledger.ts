import { Injectable } from '@nestjs/common';
import { ErrorCode, NotificationKind, Role, StockMovementKind } from '@qihu/contracts';
import { EntityManager, In } from 'typeorm';
import { Clock } from '../../infra/clock';
import { Tx } from '../../infra/database/transaction';
import { AppError } from '../../infra/http/app-error';
import { NotifyService } from '../notify/notify.service';
import { Part } from './catalogue.entities';
import { crossesLowThreshold, MAX_STOCK_QUANTITY } from './parts.rules';
import { Stock, StockMovement, Store } from './stock.entities';

/** The admin's stock page in the mini-program, opened from a low-stock notification. */
const stockPage = (storeId: number) => `packages/staff/pages/stock/index?storeId=${storeId}`;

/** Who moves stock, and why: the ledger row's fields besides the quantities. */
interface MovementContext {
  store: Store;
  part: Part;
  personId: number;
  /** Idempotency key of this movement (unique per kind), if any. */
  reference: string | null;
  ticketId?: number | null;
  note?: string;
}

/**
 * Every change of stock goes through here, in the caller's transaction: lock the stock row,
 * write the new quantity and its ledger row together, and tell the community admins when a part
 * falls to its low-stock threshold. The row lock serialises changes of one part in one store, so
 * concurrent takes never see the same units; the unsigned column refuses a negative stock anyway.
 * A movement with a reference already in the ledger is not applied again: the earlier row answers.
 */
@Injectable()
export class StockLedger {
  constructor(
    private readonly clock: Clock,
    private readonly notify: NotifyService,
  ) {}

  /** 入库: adds `quantity`. */
  async receive(tx: Tx, ctx: MovementContext, quantity: number): Promise<{ movement: StockMovement; applied: boolean }> {
    const stock = await this.lockedStock(tx.manager, ctx.store.id, ctx.part.id, true);
    const earlier = await this.earlier(tx.manager, StockMovementKind.Receive, ctx, (m) => m.quantity === quantity);
    if (earlier) return { movement: earlier, applied: false };
    return { movement: await this.write(tx, StockMovementKind.Receive, ctx, stock!, quantity), applied: true };
  }

  /** 领用: takes `quantity` for a ticket, or refuses with STOCK_INSUFFICIENT and changes nothing. */
  async take(tx: Tx, ctx: MovementContext, quantity: number): Promise<{ movement: StockMovement; applied: boolean }> {
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_STOCK_QUANTITY) {
      throw new AppError(ErrorCode.ValidationFailed, '领用数量须为正整数', { fields: [{ field: 'quantity', reason: `须为 1–${MAX_STOCK_QUANTITY} 的整数` }] });
    }
    const stock = await this.lockedStock(tx.manager, ctx.store.id, ctx.part.id, false);
    const earlier = await this.earlier(tx.manager, StockMovementKind.Take, ctx, (m) => m.quantity === -quantity && m.ticketId === (ctx.ticketId ?? null));
    if (earlier) return { movement: earlier, applied: false };
    const available = stock?.quantity ?? 0;
    if (!stock || available < quantity) {
      const { part, store } = ctx;
      throw new AppError(ErrorCode.StockInsufficient, `「${partLabel(part)}」库存不足：需要 ${quantity}${part.unit}，${store.name}只剩 ${available}${part.unit}`, {
        storeId: store.id,
        partId: part.id,
        requested: quantity,
        available,
      });
    }
    return { movement: await this.write(tx, StockMovementKind.Take, ctx, stock, -quantity), applied: true };
  }

  /** 盘点: the stock becomes the counted quantity; the ledger keeps the difference (0 too: the count itself is a record). */
  async adjust(tx: Tx, ctx: MovementContext, countedQuantity: number): Promise<{ movement: StockMovement; applied: boolean }> {
    const stock = await this.lockedStock(tx.manager, ctx.store.id, ctx.part.id, true);
    const earlier = await this.earlier(tx.manager, StockMovementKind.Adjust, ctx, (m) => m.balanceAfter === countedQuantity);
    if (earlier) return { movement: earlier, applied: false };
    return { movement: await this.write(tx, StockMovementKind.Adjust, ctx, stock!, countedQuantity - stock!.quantity), applied: true };
  }

  /** 退回: puts back every take of the ticket not yet returned; answers how many. */
  async returnForTicket(tx: Tx, ticketId: number, personId: number): Promise<number> {
    const m = tx.manager;
    const takes = await m.find(StockMovement, { where: { ticketId, kind: StockMovementKind.Take }, order: { storeId: 'ASC', partId: 'ASC', id: 'ASC' } });
    if (takes.length === 0) return 0;
    // Lock every stock row first, in one order: a concurrent return of the same ticket waits
    // here and then finds the takes returned; takes on other rows cannot deadlock with us.
    const stockKeys = [...new Map(takes.map((t) => [`${t.storeId}:${t.partId}`, t])).values()];
    const stocks = new Map<string, Stock>();
    for (const t of stockKeys) stocks.set(`${t.storeId}:${t.partId}`, (await this.lockedStock(m, t.storeId, t.partId, false))!);
    const returned = new Set(
      (await m.query('SELECT take_id AS takeId FROM stock_movement WHERE take_id IN (?)', [takes.map((t) => t.id)])).map((r: { takeId: number }) => Number(r.takeId)),
    );
    const open = takes.filter((t) => !returned.has(t.id));
    if (open.length === 0) return 0;
    const stores = new Map((await m.findBy(Store, { id: In(open.map((t) => t.storeId)) })).map((s) => [s.id, s]));
    const parts = new Map((await m.findBy(Part, { id: In(open.map((t) => t.partId)) })).map((p) => [p.id, p]));
    for (const take of open) {
      const key = `${take.storeId}:${take.partId}`;
      const ctx: MovementContext = { store: stores.get(take.storeId)!, part: parts.get(take.partId)!, personId, reference: null, ticketId, note: '工单取消，配件退回' };
      const movement = await this.write(tx, StockMovementKind.Return, ctx, stocks.get(key)!, -take.quantity, take.id);
      stocks.set(key, { ...stocks.get(key)!, quantity: movement.balanceAfter });
    }
    return open.length;
  }

  /** The stock row of a part in a store, locked for this transaction; with `create`, made (empty) when missing. */
  private async lockedStock(m: EntityManager, storeId: number, partId: number, create: boolean): Promise<Stock | null> {
    if (create) {
      await m.query('INSERT IGNORE INTO stock (store_id, part_id, quantity, low_threshold, updated_at) VALUES (?, ?, 0, 0, ?)', [storeId, partId, this.clock.now()]);
    }
    return m.findOne(Stock, { where: { storeId, partId }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * The movement this one repeats (same kind and reference), read after the stock row's lock so
   * a concurrent twin has committed by then. The same reference on a different movement is refused.
   */
  private async earlier(m: EntityManager, kind: StockMovementKind, ctx: MovementContext, same: (m: StockMovement) => boolean): Promise<StockMovement | null> {
    if (ctx.reference === null) return null;
    const found = await m.findOneBy(StockMovement, { kind, reference: ctx.reference });
    if (!found) return null;
    if (found.storeId !== ctx.store.id || found.partId !== ctx.part.id || !same(found)) {
      throw new AppError(ErrorCode.IdempotencyKeyReused, undefined, { reference: ctx.reference });
    }
    return found;
  }

  private async write(tx: Tx, kind: StockMovementKind, ctx: MovementContext, before: Stock, change: number, takeId: number | null = null): Promise<StockMovement> {
    const m = tx.manager;
    const now = this.clock.now();
    const after = before.quantity + change;
    await m.update(Stock, { storeId: before.storeId, partId: before.partId }, { quantity: after, updatedAt: now });
    const movement = m.create(StockMovement, {
      communityId: ctx.store.communityId,
      storeId: ctx.store.id,
      partId: ctx.part.id,
      kind,
      quantity: change,
      balanceAfter: after,
      ticketId: ctx.ticketId ?? null,
      takeId,
      reference: ctx.reference,
      personId: ctx.personId,
      at: now,
      note: ctx.note ?? '',
    });
    const { identifiers } = await m.insert(StockMovement, movement);
    movement.id = Number(identifiers[0].id);
    if (crossesLowThreshold(before.quantity, after, before.lowThreshold)) await this.alertLow(tx, ctx, after, before.lowThreshold);
    return movement;
  }

  /** StockLow to every admin of the community, in the transaction that made the stock low. */
  private async alertLow(tx: Tx, { store, part }: MovementContext, left: number, threshold: number): Promise<void> {
    const admins: Array<{ personId: number }> = await tx.manager.query(
      'SELECT DISTINCT person_id AS personId FROM role_assignment WHERE community_id = ? AND role = ? AND revoked_at IS NULL',
      [store.communityId, Role.CommunityAdmin],
    );
    this.notify.enqueue(
      tx,
      admins.map(({ personId }) => ({
        personId: Number(personId),
        kind: NotificationKind.StockLow,
        ticketId: null,
        title: `库存预警：${part.name}`,
        body: `${store.name}的「${partLabel(part)}」只剩 ${left}${part.unit}（预警值 ${threshold}${part.unit}），请及时补货。`,
        page: stockPage(store.id),
        data: { category: '库存预警', status: '待补货', note: `${store.name} ${part.name}` },
      })),
    );
  }
}

/** A part as people name it: `交流接触器 CJX2-1810`. */
export function partLabel(part: Pick<Part, 'name' | 'spec'>): string {
  return part.spec ? `${part.name} ${part.spec}` : part.name;
}
