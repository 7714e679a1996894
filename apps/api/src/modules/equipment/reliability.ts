import { EquipmentReliabilityView } from '@qihu/contracts';

/** One fault of a machine: when it was reported and, once fixed, when it was resolved. */
export interface FaultTimes {
  createdAt: Date;
  resolvedAt: Date | null;
}

/**
 * MTBF and MTTR of a machine from its faults, in whole milliseconds.
 *
 * - MTTR: the mean of resolvedAt − createdAt over the resolved faults (null when none is).
 * - MTBF: the mean gap between consecutive reports, i.e. (last − first) / (n − 1); null with
 *   fewer than 2 faults. Reports are the only instants every fault has: a machine's uptime is
 *   not recorded, so this is the "between reports" reading the maintenance service uses.
 *
 * The order of `faults` does not matter.
 */
export function reliabilityOf(faults: readonly FaultTimes[]): EquipmentReliabilityView {
  const reported = faults.map((f) => f.createdAt.getTime());
  const repairs = faults.filter((f) => f.resolvedAt !== null).map((f) => f.resolvedAt!.getTime() - f.createdAt.getTime());
  const first = reported.reduce((a, b) => Math.min(a, b), Infinity);
  const last = reported.reduce((a, b) => Math.max(a, b), -Infinity);
  const mtbfMs = reported.length < 2 ? null : Math.round((last - first) / (reported.length - 1));
  const mttrMs = repairs.length === 0 ? null : Math.round(repairs.reduce((sum, ms) => sum + ms, 0) / repairs.length);
  return { faultCount: faults.length, resolvedCount: repairs.length, mtbfMs, mttrMs };
}
