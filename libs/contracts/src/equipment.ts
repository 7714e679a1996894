/**
 * Equipment files (一设备一档): see apps/api/src/modules/equipment.
 *
 * A machine belongs to one firm and carries a code, unique in its community, that is printed
 * under its QR label and that tickets quote (`equipmentCode`). Its file is its history of faults
 * (the tickets that quote its code), the visits, parts and costs of the maintenance service, and
 * MTBF / MTTR. Instants are ISO 8601 strings (UTC); dates are `YYYY-MM-DD`.
 */
import { MaintenanceSkill } from './parts';
import { TicketStatus } from './tickets';

/** A machine code: generated `EQ000001`, or the code the firm already paints on its machines. */
export const EQUIPMENT_CODE_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * What a label's QR code holds: `qihu:e:<code>:<token>`. The code opens the request
 * (GET /equipment/by-code/:code); the token, random and printed nowhere else, lets the
 * maintenance service take a scan as proof that the crew stood at the machine. A code never
 * holds `:`, so the text splits unambiguously.
 */
export const EQUIPMENT_LABEL_PREFIX = 'qihu:e:';

export interface EquipmentLabelContent {
  code: string;
  token: string;
}

/** The scanned text of a label, or null when it is not one of ours (Taro.scanCode → result). */
export function parseEquipmentLabel(text: string): EquipmentLabelContent | null {
  if (!text.startsWith(EQUIPMENT_LABEL_PREFIX)) return null;
  const [code, token, ...rest] = text.slice(EQUIPMENT_LABEL_PREFIX.length).split(':');
  if (rest.length || !code || !token || !EQUIPMENT_CODE_PATTERN.test(code) || !/^[A-Za-z0-9_-]{16,64}$/.test(token)) return null;
  return { code, token };
}

/** Labels per printed A4 sheet (GET /equipment/labels.svg): 4 columns × 6 rows. */
export const EQUIPMENT_LABELS_PER_PAGE = 24;

/** What ticket intake and the maintenance service need to know about a machine. */
export interface EquipmentRef {
  id: number;
  code: string;
  name: string;
  model: string;
  maker: string;
  skill: MaintenanceSkill;
  firmId: number;
}

export interface EquipmentView extends EquipmentRef {
  communityId: number;
  firmName: string;
  /** e.g. 电气 */
  skillLabel: string;
  /** `YYYY-MM-DD`, or null when unknown. */
  installedOn: string | null;
  /** e.g. 二号车间东侧 */
  locationInPlant: string;
  createdAt: string;
  /** Set once the machine is retired (报废/停用): it keeps its file, takes no new requests. */
  retiredAt: string | null;
}

export interface CreateEquipmentRequest {
  /** Defaults to the caller's firm (a firm contact); the community admin names it. */
  firmId?: number;
  /** Generated (`EQ` + 6 digits) when not given. Unique in the community; cannot be changed later. */
  code?: string;
  name: string;
  model?: string;
  maker?: string;
  skill: MaintenanceSkill;
  installedOn?: string;
  locationInPlant?: string;
}

/** Everything but the firm and the code; `installedOn: null` clears the date. */
export interface UpdateEquipmentRequest {
  name?: string;
  model?: string;
  maker?: string;
  skill?: MaintenanceSkill;
  installedOn?: string | null;
  locationInPlant?: string;
}

export interface EquipmentListQuery {
  /** A firm contact sees only their own firm's machines, whatever is given here. */
  firmId?: number;
  /** Exact model (ignoring case), e.g. to see every machine of a recurring group. */
  model?: string;
  includeRetired?: boolean;
}

/** One fault of the machine: a ticket that quoted its code. */
export interface EquipmentFaultView {
  ticketId: number;
  number: string;
  description: string;
  status: TicketStatus;
  statusLabel: string;
  createdAt: string;
  resolvedAt: string | null;
  /** resolvedAt − createdAt, null while unresolved. */
  repairMs: number | null;
}

/** Over the machine's faults (withdrawn requests are not faults). */
export interface EquipmentReliabilityView {
  faultCount: number;
  resolvedCount: number;
  /** Mean time between consecutive faults; null with fewer than 2 faults. */
  mtbfMs: number | null;
  /** Mean time from a fault's report to its resolution; null when none is resolved. */
  mttrMs: number | null;
}

/** A maintenance visit (or remote diagnosis) with its parts and cost, as the dispatch module records it. */
export interface EquipmentVisitView {
  ticketId: number;
  ticketNumber: string;
  crewName: string;
  /** 远程问诊: resolved without a visit. */
  remote: boolean;
  arrivedAt: string | null;
  finishedAt: string | null;
  lines: EquipmentVisitLineView[];
  /** Integer fen (分). */
  totalFen: number;
}

export interface EquipmentVisitLineView {
  /** A service item of the price list or a part of the catalogue. */
  kind: 'service' | 'part';
  name: string;
  quantity: number;
  amountFen: number;
  /** Free repeat repair within the warranty of an earlier one. */
  warranty: boolean;
}

/** GET /equipment/:id: the machine's file (一设备一档). */
export interface EquipmentFileView {
  equipment: EquipmentView;
  reliability: EquipmentReliabilityView;
  /** Newest first. */
  faults: EquipmentFaultView[];
  /** Newest first; empty until the maintenance service records visits. */
  visits: EquipmentVisitView[];
  /** Sum of the visits' totals, integer fen (分). */
  costFen: number;
}

/** GET /equipment/by-code/:code: what a scanned label opens — a request already filled in. */
export interface EquipmentScanView {
  equipment: EquipmentView;
  /** The community's equipment-fault category (group `equipment`), null when it has none. */
  suggestedCategory: { id: number; name: string } | null;
}

/** How a recurring group (一类事) was formed. Stored in notifications as these strings: do not rename. */
export enum RecurringGroupKind {
  /** The same machine model (and maker) failing in several firms: a bad batch, a training need. */
  Model = 'model',
  /** The same category of fault in several firms of one grid. */
  Category = 'category',
}

export interface RecurringFaultsQuery {
  /** Window ending now, 1–365 days, default 30. */
  days?: number;
  /** At least this many firms affected, default 2. */
  minFirms?: number;
  /** At least this many faults, default 3. */
  minFaults?: number;
}

/** 一类事: faults of one model, or of one category in one grid, recurring across firms. */
export interface RecurringFaultGroupView {
  kind: RecurringGroupKind;
  /** Stable for the same model or grid+category, e.g. `model:华力机械|yx-2000` or `category:3:8`. */
  key: string;
  /** e.g. 「华力机械 YX-2000」 or 「第一网格 · 设备故障」. */
  title: string;
  model: string | null;
  maker: string | null;
  categoryId: number | null;
  categoryName: string | null;
  gridId: number | null;
  gridName: string | null;
  firms: Array<{ id: number; name: string }>;
  faultCount: number;
  firstAt: string;
  lastAt: string;
  ticketNumbers: string[];
}

export interface RecurringFaultsView {
  from: string;
  to: string;
  groups: RecurringFaultGroupView[];
}
