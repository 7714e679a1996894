import { Injectable } from '@nestjs/common';
import { CategoryGroup, NotificationKind, RecurringFaultGroupView, RecurringFaultsView, Role, TicketStatus } from '@qihu/contracts';
import { DAY_MS } from '@qihu/domain';
import { Clock } from '../../infra/clock';
import { Tx, TransactionRunner } from '../../infra/database/transaction';
import { Scope } from '../identity/caller';
import { NotifyService } from '../notify/notify.service';
import { RecurringFaultsQueryDto } from './dto/equipment.dto';
import { groupRecurringFaults, RecurringFault } from './recurring';

export const RECURRING_DEFAULTS = { days: 30, minFirms: 2, minFaults: 3 } as const;

/** Where the admin's mini-program shows the groups (the key picks one out). */
const RECURRING_PAGE = 'packages/staff/pages/recurring/index';

/**
 * 从解决一件事向办好一类事: the community's fault tickets of a window (equipment-fault
 * categories, or any ticket quoting a machine; withdrawn requests are not faults), grouped by
 * machine model across firms and by category across the firms of a grid (recurring.ts).
 */
@Injectable()
export class RecurringFaultsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly notify: NotifyService,
  ) {}

  async find(scope: Scope, query: RecurringFaultsQueryDto): Promise<RecurringFaultsView> {
    const to = this.clock.now();
    const from = new Date(to.getTime() - (query.days ?? RECURRING_DEFAULTS.days) * DAY_MS);
    const faults = await this.faults(scope.communityId, from);
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      groups: groupRecurringFaults(faults, {
        minFirms: query.minFirms ?? RECURRING_DEFAULTS.minFirms,
        minFaults: query.minFaults ?? RECURRING_DEFAULTS.minFaults,
      }),
    };
  }

  /**
   * The daily check: tells each community admin (inbox) of every group, at the default window and
   * thresholds, they were not told of within that window. Safe in several processes at once: a
   * group's notice row is locked while it is decided. Returns how many groups were told.
   */
  async notifyNewGroups(): Promise<number> {
    const communities: Array<{ id: number }> = await this.transactions.manager.query('SELECT id FROM community ORDER BY id');
    let told = 0;
    for (const { id } of communities) {
      const now = this.clock.now();
      const from = new Date(now.getTime() - RECURRING_DEFAULTS.days * DAY_MS);
      const groups = groupRecurringFaults(await this.faults(Number(id), from), RECURRING_DEFAULTS);
      for (const group of groups) {
        if (await this.transactions.run((tx) => this.tellOnce(tx, Number(id), group, from, now))) told++;
      }
    }
    return told;
  }

  private async tellOnce(tx: Tx, communityId: number, group: RecurringFaultGroupView, from: Date, now: Date): Promise<boolean> {
    // The row exists before it is locked, so two processes meeting a new group queue on one lock.
    await tx.manager.query('INSERT IGNORE INTO recurring_fault_notice (community_id, group_key, notified_at) VALUES (?, ?, NULL)', [communityId, group.key]);
    const [notice]: Array<{ notifiedAt: Date | null }> = await tx.manager.query(
      'SELECT notified_at AS notifiedAt FROM recurring_fault_notice WHERE community_id = ? AND group_key = ? FOR UPDATE',
      [communityId, group.key],
    );
    if (notice.notifiedAt && notice.notifiedAt.getTime() > from.getTime()) return false;
    await tx.manager.query('UPDATE recurring_fault_notice SET notified_at = ? WHERE community_id = ? AND group_key = ?', [now, communityId, group.key]);
    const admins: Array<{ personId: number }> = await tx.manager.query(
      'SELECT DISTINCT person_id AS personId FROM role_assignment WHERE community_id = ? AND role = ? AND revoked_at IS NULL ORDER BY person_id',
      [communityId, Role.CommunityAdmin],
    );
    this.notify.enqueue(
      tx,
      admins.map(({ personId }) => ({
        personId: Number(personId),
        kind: NotificationKind.RecurringFaults,
        ticketId: null,
        title: `一类事：${group.title}`,
        body: `近 ${RECURRING_DEFAULTS.days} 天 ${group.firms.length} 家企业报修 ${group.faultCount} 次：${group.firms.map((f) => f.name).join('、')}`,
        page: `${RECURRING_PAGE}?key=${encodeURIComponent(group.key)}`,
        data: { kind: group.kind, key: group.key, title: group.title, faultCount: String(group.faultCount), firmCount: String(group.firms.length) },
      })),
    );
    return true;
  }

  /** Fault tickets raised since `from`, with the model and maker of the machine each one quoted. */
  private async faults(communityId: number, from: Date): Promise<RecurringFault[]> {
    // Raw rows have the same fields; ids may come back as strings, hence the conversion below.
    const rows: RecurringFault[] = await this.transactions.manager.query(
      `SELECT t.number, t.created_at AS createdAt, t.firm_id AS firmId, f.name AS firmName,
              t.grid_id AS gridId, g.name AS gridName, t.category_id AS categoryId, c.name AS categoryName,
              e.model, e.maker
       FROM ticket t
       JOIN category c ON c.id = t.category_id
       JOIN firm f ON f.id = t.firm_id
       LEFT JOIN grid g ON g.id = t.grid_id
       LEFT JOIN equipment e ON e.community_id = t.community_id AND e.firm_id = t.firm_id AND e.code = t.equipment_code
       WHERE t.community_id = ? AND t.created_at >= ? AND t.status <> ?
         AND (c.\`group\` = ? OR t.equipment_code IS NOT NULL)
       ORDER BY t.created_at, t.id`,
      [communityId, from, TicketStatus.Cancelled, CategoryGroup.Equipment],
    );
    return rows.map((r) => ({
      ...r,
      firmId: Number(r.firmId),
      gridId: r.gridId === null ? null : Number(r.gridId),
      categoryId: Number(r.categoryId),
    }));
  }
}
