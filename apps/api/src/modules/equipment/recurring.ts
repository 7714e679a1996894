import { RecurringFaultGroupView, RecurringGroupKind } from '@qihu/contracts';

/** A fault ticket in the window, with the machine it quoted when that machine is on file. */
export interface RecurringFault {
  number: string;
  createdAt: Date;
  firmId: number;
  firmName: string;
  /** The grid the ticket was raised in. */
  gridId: number | null;
  gridName: string | null;
  categoryId: number;
  categoryName: string;
  /** Of the registered machine whose code the ticket quoted; null when it quoted none (or an unknown one). */
  model: string | null;
  maker: string | null;
}

export interface RecurringThresholds {
  minFirms: number;
  minFaults: number;
}

/** Models typed by different firms match despite case and spacing: `YX 2000` is `yx  2000`. */
const normalised = (text: string) => text.trim().replace(/\s+/g, ' ').toLowerCase();

/** At equal size a model group comes first: a bad batch or a training need is the more specific cause. */
const KIND_ORDER: Record<RecurringGroupKind, number> = { [RecurringGroupKind.Model]: 0, [RecurringGroupKind.Category]: 1 };

interface Draft {
  kind: RecurringGroupKind;
  key: string;
  first: RecurringFault;
  faults: RecurringFault[];
}

/**
 * 一类事: groups faults (a) by machine model and maker across firms, and (b) by category across
 * the firms of one grid. A fault may be in one group of each kind. Only groups reaching both
 * thresholds are kept, the biggest (most faults, then most firms) first; each lists its firms and
 * tickets in the order of the faults, and is titled with the first fault's spelling of the model.
 */
export function groupRecurringFaults(faults: readonly RecurringFault[], thresholds: RecurringThresholds): RecurringFaultGroupView[] {
  const drafts = new Map<string, Draft>();
  const add = (kind: RecurringGroupKind, key: string, fault: RecurringFault) => {
    const draft = drafts.get(key);
    if (draft) draft.faults.push(fault);
    else drafts.set(key, { kind, key, first: fault, faults: [fault] });
  };
  const chronological = [...faults].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.number.localeCompare(b.number));
  for (const fault of chronological) {
    if (fault.model && normalised(fault.model)) add(RecurringGroupKind.Model, `model:${normalised(fault.maker ?? '')}|${normalised(fault.model)}`, fault);
    if (fault.gridId !== null) add(RecurringGroupKind.Category, `category:${fault.gridId}:${fault.categoryId}`, fault);
  }
  const groups: RecurringFaultGroupView[] = [];
  for (const draft of drafts.values()) {
    const firms = new Map<number, string>();
    for (const f of draft.faults) if (!firms.has(f.firmId)) firms.set(f.firmId, f.firmName);
    if (firms.size < thresholds.minFirms || draft.faults.length < thresholds.minFaults) continue;
    groups.push(toGroup(draft, firms));
  }
  return groups.sort(
    (a, b) =>
      b.faultCount - a.faultCount ||
      b.firms.length - a.firms.length ||
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      b.lastAt.localeCompare(a.lastAt) ||
      a.key.localeCompare(b.key),
  );
}

function toGroup({ kind, key, first, faults }: Draft, firms: Map<number, string>): RecurringFaultGroupView {
  const byModel = kind === RecurringGroupKind.Model;
  const model = byModel ? first.model!.trim() : null;
  const maker = byModel ? (first.maker ?? '').trim() : null;
  return {
    kind,
    key,
    title: byModel ? [maker, model].filter(Boolean).join(' ') : `${first.gridName ?? ''} · ${first.categoryName}`,
    model,
    maker,
    categoryId: byModel ? null : first.categoryId,
    categoryName: byModel ? null : first.categoryName,
    gridId: byModel ? null : first.gridId,
    gridName: byModel ? null : first.gridName,
    firms: [...firms].map(([id, name]) => ({ id, name })),
    faultCount: faults.length,
    firstAt: faults[0].createdAt.toISOString(),
    lastAt: faults[faults.length - 1].createdAt.toISOString(),
    ticketNumbers: faults.map((f) => f.number),
  };
}
