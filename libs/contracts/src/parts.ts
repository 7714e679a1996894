/**
 * Unified price list, parts catalogue and stock (五统一: one price list and one guarantee, one
 * pool of parts): see apps/api/src/modules/parts. Money is integer fen (分); instants ISO 8601 UTC.
 */

/** Which catalogue a priced line comes from: the service price list or the parts catalogue. */
export type CatalogueKind = 'service' | 'part';

/** The trade a service item needs (and a crew has). Stored as these strings: do not rename. */
export enum MaintenanceSkill {
  Electrical = 'electrical',
  Mechanical = 'mechanical',
  Hydraulic = 'hydraulic',
  Boiler = 'boiler',
  PaperMachine = 'paper_machine',
  Other = 'other',
}

export const MAINTENANCE_SKILL_LABEL: Record<MaintenanceSkill, string> = {
  [MaintenanceSkill.Electrical]: '电气',
  [MaintenanceSkill.Mechanical]: '机械',
  [MaintenanceSkill.Hydraulic]: '液压',
  [MaintenanceSkill.Boiler]: '锅炉',
  [MaintenanceSkill.PaperMachine]: '造纸机',
  [MaintenanceSkill.Other]: '其他',
};

/** One version of an item's price. The current one has `validTo` null; old ones are never rewritten. */
export interface PriceVersionView {
  id: number;
  version: number;
  priceFen: number;
  /** Days a repeat repair of the same machine and item stays free (质保). */
  warrantyDays: number;
  validFrom: string;
  validTo: string | null;
  note: string;
  createdBy: number;
  createdByName: string;
  createdAt: string;
}

/** Catalogue fields both kinds share: `current` is the price in force now, `upcoming` a later one already set. */
export interface CatalogueEntryView {
  id: number;
  code: string;
  name: string;
  unit: string;
  active: boolean;
  current: PriceVersionView | null;
  upcoming: PriceVersionView | null;
}

/** A line of the unified price list (统一价目表). */
export interface ServiceItemView extends CatalogueEntryView {
  skill: MaintenanceSkill;
  skillLabel: string;
}

/** A part of the parts catalogue (配件目录). */
export interface PartView extends CatalogueEntryView {
  /** Model or specification, e.g. `C32 3P`. */
  spec: string;
}

export interface CatalogueQuery {
  active?: boolean;
  /** Part of the code or the name. */
  q?: string;
}

export interface ServiceItemQuery extends CatalogueQuery {
  skill?: MaintenanceSkill;
}

/** A new price version: in force from `validFrom` (default now; never in the past). */
export interface NewPriceInput {
  /** Integer fen, ≥ 0. */
  priceFen: number;
  /** 0–3650. */
  warrantyDays: number;
  validFrom?: string;
  note?: string;
}

export interface CreateServiceItemInput extends NewPriceInput {
  /** Unique in the community; bills refer to it, so it never changes. */
  code: string;
  name: string;
  /** 次, 小时, 台 … */
  unit: string;
  skill: MaintenanceSkill;
}

export interface UpdateServiceItemInput {
  name?: string;
  unit?: string;
  skill?: MaintenanceSkill;
  active?: boolean;
}

export interface CreatePartInput extends NewPriceInput {
  code: string;
  name: string;
  spec?: string;
  /** 个, 只, 升, 米 … */
  unit: string;
}

export interface UpdatePartInput {
  name?: string;
  spec?: string;
  unit?: string;
  active?: boolean;
}

/** What happened to a store's stock of a part. Stored as these strings: do not rename. */
export enum StockMovementKind {
  /** 入库 */
  Receive = 'receive',
  /** 领用 for a ticket */
  Take = 'take',
  /** 退回 of a take (the ticket was cancelled) */
  Return = 'return',
  /** 盘点 to a counted quantity */
  Adjust = 'adjust',
}

export const STOCK_MOVEMENT_KIND_LABEL: Record<StockMovementKind, string> = {
  [StockMovementKind.Receive]: '入库',
  [StockMovementKind.Take]: '领用',
  [StockMovementKind.Return]: '退回',
  [StockMovementKind.Adjust]: '盘点调整',
};

/** A parts store (备件库): a crew's own, or a central one (`crewId` null). */
export interface StoreView {
  id: number;
  name: string;
  crewId: number | null;
  crewName: string | null;
  /** Parts at or below their low-stock threshold. */
  lowCount: number;
}

export interface CreateStoreInput {
  name: string;
  /** The crew whose store this is (one per crew); omit for a central store. */
  crewId?: number | null;
}

/** One part in one store. */
export interface StockLineView {
  storeId: number;
  storeName: string;
  partId: number;
  partCode: string;
  partName: string;
  spec: string;
  unit: string;
  quantity: number;
  lowThreshold: number;
  /** At or below the threshold. */
  low: boolean;
}

export interface StoreStockView {
  store: StoreView;
  lines: StockLineView[];
}

/** `POST /stores/:id/receipts` (入库). Idempotent with an Idempotency-Key header. */
export interface StockReceiptInput {
  partId: number;
  /** 1–1,000,000. */
  quantity: number;
  note?: string;
}

/** `POST /stores/:id/adjustments` (盘点): the stock becomes the counted quantity. */
export interface StockAdjustmentInput {
  partId: number;
  countedQuantity: number;
  reason: string;
}

export interface StockThresholdInput {
  /** 0–1,000,000: at or below it the part is low (a take crossing it alerts the admins). */
  lowThreshold: number;
}

/** One ledger row. `quantity` is the signed change (a take is negative), `balanceAfter` the stock after it. */
export interface StockMovementView {
  id: number;
  storeId: number;
  partId: number;
  partCode: string;
  partName: string;
  unit: string;
  kind: StockMovementKind;
  kindLabel: string;
  quantity: number;
  balanceAfter: number;
  ticketId: number | null;
  /** A return's take. */
  takeId: number | null;
  personId: number;
  personName: string;
  at: string;
  note: string;
}

export interface StockMovementQuery {
  partId?: number;
  /** Only rows older than this id (the `nextBeforeId` of the previous page). */
  beforeId?: number;
  /** 1–200, default 50. */
  limit?: number;
}

/** Newest first. */
export interface StockMovementListView {
  items: StockMovementView[];
  nextBeforeId: number | null;
}
