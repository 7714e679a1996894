import { Injectable } from '@nestjs/common';
import { DutyScopeKind, DutyScopeRef, DutyShiftView } from '@qihu/contracts';
import { EntityManager } from 'typeorm';
import { DutyAccess, scopeKey } from './duty-access';
import { DutyShiftRow } from './duty-shift.entity';
import { dutyLevelLabel } from './duty.rules';

/** Names of people and scopes, looked up in batches, for the views the API returns. */
export interface DutyNames {
  person(id: number): string;
  personOrNull(id: number | null): string | null;
  scope(kind: DutyScopeKind, id: number): string;
}

@Injectable()
export class DutyViews {
  constructor(private readonly access: DutyAccess) {}

  async names(manager: EntityManager, communityId: number, personIds: ReadonlyArray<number | null>, scopes: readonly DutyScopeRef[]): Promise<DutyNames> {
    const ids = [...new Set(personIds.filter((id): id is number => id !== null))];
    const people = new Map<number, string>();
    if (ids.length) {
      const rows: Array<{ id: number; name: string }> = await manager.query('SELECT id, name FROM person WHERE id IN (?)', [ids]);
      for (const r of rows) people.set(Number(r.id), r.name);
    }
    const targets = new Map((await this.access.targets(manager, communityId, scopes)).map((t) => [scopeKey(t.scopeKind, t.scopeId), t.name]));
    return {
      person: (id) => people.get(id) ?? `#${id}`,
      personOrNull: (id) => (id === null ? null : people.get(id) ?? `#${id}`),
      scope: (kind, id) => targets.get(scopeKey(kind, id)) ?? `#${id}`,
    };
  }

  async shifts(manager: EntityManager, communityId: number, rows: readonly DutyShiftRow[]): Promise<DutyShiftView[]> {
    const names = await this.names(manager, communityId, rows.flatMap((r) => [r.personId, r.backupPersonId]), rows);
    return rows.map((r) => shiftView(r, names));
  }

  async shift(manager: EntityManager, row: DutyShiftRow): Promise<DutyShiftView> {
    const [view] = await this.shifts(manager, row.communityId, [row]);
    return view;
  }
}

export function shiftView(r: DutyShiftRow, names: DutyNames): DutyShiftView {
  return {
    id: r.id,
    communityId: r.communityId,
    scopeKind: r.scopeKind,
    scopeId: r.scopeId,
    scopeName: names.scope(r.scopeKind, r.scopeId),
    level: r.level,
    levelLabel: dutyLevelLabel(r.scopeKind, r.level),
    personId: r.personId,
    personName: names.person(r.personId),
    backupPersonId: r.backupPersonId,
    backupPersonName: names.personOrNull(r.backupPersonId),
    startsAt: r.startsAt.toISOString(),
    endsAt: r.endsAt.toISOString(),
    source: r.source,
    templateId: r.templateId,
    note: r.note,
    cancelledAt: r.cancelledAt?.toISOString() ?? null,
  };
}
