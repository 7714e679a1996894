/** Crews, dispatch, on-site proof, work records and bills: see apps/api/src/modules/dispatch. */

/** Where a dispatch stands. Stored as these strings: do not rename. */
export enum DispatchState {
  Offered = 'offered', // 待接单
  Accepted = 'accepted', // 已接单
  OnSite = 'on_site', // 已到场
  Finished = 'finished', // 已完工
  Declined = 'declined', // 已拒单
  Expired = 'expired', // 超时未接单
}

export const DISPATCH_STATE_LABEL: Record<DispatchState, string> = {
  [DispatchState.Offered]: '待接单',
  [DispatchState.Accepted]: '已接单',
  [DispatchState.OnSite]: '已到场',
  [DispatchState.Finished]: '已完工',
  [DispatchState.Declined]: '已拒单',
  [DispatchState.Expired]: '超时未接单',
};

/** How the crew proved it was on site. */
export enum ArrivalProof {
  Geofence = 'geofence', // 位置在企业范围内
  Label = 'label', // 扫描设备二维码
}

export enum WorkLineKind {
  Service = 'service', // 服务项目（统一价目表）
  Part = 'part', // 配件（配件目录）
}

export interface CrewMemberView {
  personId: number;
  name: string;
}

export interface CrewView {
  id: number;
  name: string;
  /** Skills such as electrical, mechanical, hydraulic, boiler, paper_machine. */
  skills: string[];
  /** Grids it serves; empty means the whole community. */
  gridIds: number[];
  members: CrewMemberView[];
  /** Someone of the crew is on duty now (duty rosters). */
  onDuty: boolean;
}

export interface UpdateCrewRequest {
  skills?: string[];
  gridIds?: number[];
}

/** 派单: to a named crew, or (no crewId) to the on-duty crew with the needed skill. */
export interface DispatchRequest {
  crewId?: number;
  note?: string;
}

/** 到场签到 of a crew: a position inside the firm's geofence, or the scanned label of a machine of the firm. */
export interface CrewCheckInRequest {
  latitude?: number;
  longitude?: number;
  accuracy?: number;
  /** What the scanner read from the machine's QR label (or its code typed in). */
  label?: string;
}

export interface WorkLineRequest {
  kind: WorkLineKind;
  /** Code in the unified price list (service) or the parts catalogue (part). */
  code: string;
  quantity: number;
}

/** 完工: the crew resolves the ticket; `remote` records a 远程问诊 without a visit. */
export interface FinishRequest {
  note: string;
  photoIds?: string[];
  remote?: boolean;
}

export interface DispatchView {
  id: number;
  ticketId: number;
  crewId: number;
  crewName: string;
  state: DispatchState;
  stateLabel: string;
  /** Chosen by the service (on-duty crew with the skill) rather than by the holder. */
  auto: boolean;
  note: string | null;
  dispatchedAt: string;
  acceptDueAt: string;
  onSiteDueAt: string;
  acceptedAt: string | null;
  acceptedByName: string | null;
  declinedReason: string | null;
  arrivedAt: string | null;
  arrivalProof: ArrivalProof | null;
  /** Metres from the firm's registered position at check-in. */
  distanceM: number | null;
  remote: boolean;
  finishedAt: string | null;
}

/** One line of the bill, at the price of the time of work. */
export interface BillLineView {
  id: number;
  kind: WorkLineKind;
  code: string;
  name: string;
  unit: string;
  quantity: number;
  unitPriceFen: number;
  /** What the firm pays for this line: 0 for a repair under warranty. */
  amountFen: number;
  /** 保修: a repeat of the same item on the same machine within its warranty period. */
  warranty: boolean;
  /** The ticket whose repair this line's warranty comes from. */
  warrantyOfTicketNumber: string | null;
  warrantyDays: number;
  recordedAt: string;
}

export interface BillView {
  ticketId: number;
  ticketNumber: string;
  lines: BillLineView[];
  /** Sum at list prices, warranty lines included. */
  listTotalFen: number;
  /** What the firm pays. */
  totalFen: number;
  /** totalFen in yuan, e.g. "128.00". */
  totalYuan: string;
}

/** A crew's work list (GET /dispatches). */
export interface DispatchListItemView extends DispatchView {
  ticketNumber: string;
  firmName: string;
  categoryName: string;
  description: string;
  address: string;
  latitude: number | null;
  longitude: number | null;
  equipmentCode: string | null;
}
