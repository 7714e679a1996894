import { Injectable } from '@nestjs/common';
import { CatalogueKind, ErrorCode } from '@qihu/contracts';
import { EntityManager } from 'typeorm';
import { Tx } from '../../infra/database/transaction';
import { AppError } from '../../infra/http/app-error';
import { Part } from './catalogue.entities';
import { CatalogueService, PricedItem } from './catalogue.service';
import { StockLedger } from './stock-ledger';
import { Store } from './stock.entities';

export type { PricedItem } from './catalogue.service';

/** stock_movement.reference is VARCHAR(100). */
const MAX_REFERENCE_LENGTH = 100;

export interface TakeInput {
  communityId: number;
  storeId: number;
  partId: number;
  quantity: number;
  ticketId: number;
  /** Who takes the parts (the crew member recording them). */
  personId: number;
  /** Idempotency key of this take: taking again with it changes nothing and answers the same remaining. */
  reference: string;
}

/**
 * What dispatch asks of prices and parts, inside its own transactions: the price of a line at
 * the time of work, the crew's store, taking parts for a ticket and putting them back when the
 * ticket is cancelled.
 */
@Injectable()
export class PartsService {
  constructor(
    private readonly catalogue: CatalogueService,
    private readonly ledger: StockLedger,
  ) {}

  /** The version in force at `at` of an active service item or part, by code; else PRICE_ITEM_NOT_FOUND / PART_NOT_FOUND. */
  priceAt(manager: EntityManager, communityId: number, kind: CatalogueKind, code: string, at: Date): Promise<PricedItem> {
    return this.catalogue.priceAt(manager, communityId, kind, code, at);
  }

  /** The crew's own store, if it has one. */
  async storeOfCrew(manager: EntityManager, crewId: number): Promise<{ id: number; name: string } | null> {
    const store = await manager.findOneBy(Store, { crewId });
    return store && { id: store.id, name: store.name };
  }

  /**
   * Takes parts from a store for a ticket, atomically: STOCK_INSUFFICIENT (409, naming the part
   * and what is left) changes nothing. Falling to the low-stock threshold notifies the admins.
   */
  async take(tx: Tx, input: TakeInput): Promise<{ remaining: number }> {
    if (!input.reference || input.reference.length > MAX_REFERENCE_LENGTH) {
      throw new AppError(ErrorCode.ValidationFailed, '领用记录缺少有效的请求编号', { fields: [{ field: 'reference', reason: `须为 1–${MAX_REFERENCE_LENGTH} 个字符` }] });
    }
    const m = tx.manager;
    const store = await m.findOneBy(Store, { id: input.storeId, communityId: input.communityId });
    if (!store) throw new AppError(ErrorCode.StoreNotFound, `备件库 #${input.storeId} 不存在`, { storeId: input.storeId });
    const part = await m.findOneBy(Part, { id: input.partId, communityId: input.communityId });
    if (!part) throw new AppError(ErrorCode.PartNotFound, `配件 #${input.partId} 不在配件目录中`, { partId: input.partId });
    const { movement } = await this.ledger.take(
      tx,
      { store, part, personId: input.personId, reference: input.reference, ticketId: input.ticketId, note: '' },
      input.quantity,
    );
    return { remaining: movement.balanceAfter };
  }

  /** Puts back every take of the ticket not yet returned; answers how many lines. Idempotent. */
  returnForTicket(tx: Tx, ticketId: number, personId: number): Promise<number> {
    return this.ledger.returnForTicket(tx, ticketId, personId);
  }
}
