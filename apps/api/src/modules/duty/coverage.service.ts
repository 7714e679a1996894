import { Injectable, Logger } from '@nestjs/common';
import {
  DUTY_DAY_KIND_LABEL,
  DutyAlertOrigin,
  DutyAlertView,
  DutyCoverageView,
  DutyScopeKind,
  EscalationLevel,
  GridStatus,
  NotificationKind,
  Role,
} from '@qihu/contracts';
import { DAY_MS, DutyShift, Interval, levelCoverage, MINUTE_MS, roundTheClockCoverage, SHANGHAI_OFFSET_MS, UncoveredDay } from '@qihu/domain';
import { EntityManager, IsNull } from 'typeorm';
import { Clock } from '../../infra/clock';
import { Tx, TransactionRunner } from '../../infra/database/transaction';
import { Scope } from '../identity/caller';
import { NotificationInput, NotifyService } from '../notify/notify.service';
import { DutyAccess, DutyTarget, scopeKey } from './duty-access';
import { DutyAlert } from './duty-alert.entity';
import { DutyNames, DutyViews } from './duty-views';
import {
  ALERT_LOOKAHEAD_DAYS,
  domainScope,
  domainShift,
  dutyLevelLabel,
  isOptionalRoster,
  LEVELS_OF_SCOPE,
  MAX_SHIFT_MS,
  offHoursShifts,
  reconcileAlerts,
  slotOccurrences,
} from './duty.rules';
import { FitShiftRow, holdersOf, SHIFT_FIT_COLUMNS } from './roster-fit';

/** A gap seen by ticket routing: nobody on duty in the scope at the level at `at`. */
export interface RoutingGap {
  communityId: number;
  /** The grid for levels 0 and 1, the category's department for level 2, or a crew (enum member or its string). */
  scopeKind: DutyScopeKind | `${DutyScopeKind}`;
  scopeId: number;
  level: EscalationLevel;
  at: Date;
}

interface TargetCoverage {
  target: DutyTarget;
  level: EscalationLevel;
  /** Maximal stretches with nobody on duty (for a crew: within its hours), in order. */
  gaps: Interval[];
  /** Time with someone on duty. */
  coveredMs: number;
  uncoveredDays: UncoveredDay[];
}

/** A community's rosters over a window, as the coverage rules read them. */
interface LoadedRosters {
  /** Live shifts by roster (scopeKey), each held by whoever of its person and backup still fits. */
  shifts: Map<string, DutyShift[]>;
  /** Rosters with a live shift in the window (held or not) or a live template. */
  rostered: Set<string>;
  /** Each crew's hours within the window: the occurrences of its weekly template. */
  crewHours: Map<string, Interval[]>;
}

/** Where the admin reads and fixes the rosters in the mini-program. */
const ALERT_PAGE = 'packages/staff/pages/duty/index?tab=alerts';

const minutes = (ms: number) => Math.round(ms / MINUTE_MS);

/** `3月7日 20:00` in Shanghai time, for messages. */
function shanghaiLabel(at: number): string {
  const d = new Date(at + SHANGHAI_OFFSET_MS);
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

/**
 * Duty coverage (24小时值守, 周末不打烊): the report of gaps per roster and level over the next
 * days, and the coverage-gap alerts the housekeeping job and ticket routing raise. The domain
 * (dutyCoverage, roundTheClockCoverage) finds the gaps; this service loads the shifts whose
 * people still fit their roster and keeps one open alert per gap.
 */
@Injectable()
export class DutyCoverageService {
  private readonly logger = new Logger(DutyCoverageService.name);

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly access: DutyAccess,
    private readonly views: DutyViews,
    private readonly notify: NotifyService,
  ) {}

  /** Gaps per roster and level of the caller's own rosters over the next `days` days, with the kind of each uncovered day. */
  async report(scope: Scope, days: number): Promise<DutyCoverageView> {
    const m = this.transactions.manager;
    const start = this.clock.now().getTime();
    const window = { start, end: start + days * DAY_MS };
    const targets = await this.access.ownTargets(scope, m);
    const rosters = await this.loadRosters(m, scope.communityId, window);
    // A micro-grid's or a crew's roster is optional: reported only where one exists.
    const reported = targets.filter((t) => !isOptionalRoster(t.scopeKind) || rosters.rostered.has(scopeKey(t.scopeKind, t.scopeId)));
    return {
      from: new Date(window.start).toISOString(),
      to: new Date(window.end).toISOString(),
      scopes: this.coverageOf(reported, rosters, window).map(({ target, level, gaps, coveredMs, uncoveredDays }) => ({
        scopeKind: target.scopeKind,
        scopeId: target.scopeId,
        scopeName: target.name,
        level,
        levelLabel: dutyLevelLabel(target.scopeKind, level),
        fullyCovered: gaps.length === 0,
        coveredMinutes: minutes(coveredMs),
        gaps: gaps.map((g) => ({ start: new Date(g.start).toISOString(), end: new Date(g.end).toISOString() })),
        uncoveredDays: uncoveredDays.map((d) => ({ date: d.date, kind: d.kind, kindLabel: DUTY_DAY_KIND_LABEL[d.kind], uncoveredMinutes: minutes(d.uncoveredMs) })),
      })),
    };
  }

  /** The community's coverage alerts, open ones by default, soonest gap first. */
  async alerts(scope: Scope, open: boolean): Promise<DutyAlertView[]> {
    const m = this.transactions.manager;
    const rows = await m.find(DutyAlert, {
      where: { communityId: scope.communityId, ...(open ? { resolvedAt: IsNull() } : {}) },
      order: { gapStart: 'ASC', id: 'ASC' },
      take: 500,
    });
    const names = await this.views.names(m, scope.communityId, [], rows);
    return rows.map((a) => alertView(a, names));
  }

  /**
   * Housekeeping: the gaps of every community's grid rosters (levels 0 and 1), department
   * rosters (level 2) and crew rosters (level 0, within each crew's hours; a crew without a
   * roster has none) over the next ALERT_LOOKAHEAD_DAYS days, matched against the open alerts so
   * that each gap is raised once, followed as it moves, and resolved once filled or past. The
   * community admins are notified of each newly raised gap. One transaction per community, which
   * locks the community row so concurrent runs take turns.
   */
  async reconcileAlerts(now: Date): Promise<{ raised: number; resolved: number }> {
    const communities: Array<{ id: number }> = await this.transactions.manager.query('SELECT id FROM community ORDER BY id');
    let raised = 0;
    let resolved = 0;
    for (const { id } of communities) {
      try {
        const result = await this.transactions.run((tx) => this.reconcileCommunity(tx, id, now));
        raised += result.raised;
        resolved += result.resolved;
      } catch (err) {
        this.logger.warn({ err, communityId: id }, 'coverage alerts of a community could not be updated; retrying next run');
      }
    }
    return { raised, resolved };
  }

  /**
   * Ticket routing found nobody on duty in a roster at `at` and skipped the level: record the gap
   * (up to the next shift of that roster, at most ALERT_LOOKAHEAD_DAYS days) unless an open alert
   * already covers `at`, and tell the admins of a new one. Runs in the caller's transaction;
   * concurrent callers may both raise one, and the next housekeeping run folds them into one.
   */
  async raiseRoutingGap(tx: Tx, gap: RoutingGap): Promise<{ alertId: number; raised: boolean }> {
    const m = tx.manager;
    const at = gap.at;
    const [open] = await m.query(
      `SELECT id FROM duty_alert WHERE scope_kind = ? AND scope_id = ? AND level = ? AND resolved_at IS NULL
       AND gap_start <= ? AND gap_end >= ? LIMIT 1`,
      [gap.scopeKind, gap.scopeId, gap.level, at, at],
    );
    if (open) return { alertId: Number(open.id), raised: false };
    const latest = new Date(at.getTime() + ALERT_LOOKAHEAD_DAYS * DAY_MS);
    const [next] = await m.query(
      `SELECT MIN(starts_at) AS startsAt FROM duty_shift WHERE scope_kind = ? AND scope_id = ? AND level = ? AND cancelled_at IS NULL
       AND starts_at > ? AND starts_at < ?`,
      [gap.scopeKind, gap.scopeId, gap.level, at, latest],
    );
    const alert = await m.save(
      m.create(DutyAlert, {
        communityId: gap.communityId,
        scopeKind: gap.scopeKind as DutyScopeKind,
        scopeId: gap.scopeId,
        level: gap.level,
        gapStart: at,
        gapEnd: next?.startsAt ?? latest,
        origin: DutyAlertOrigin.Routing,
        raisedAt: this.clock.now(),
        resolvedAt: null,
        resolution: null,
      }),
    );
    await this.notifyAdmins(tx, gap.communityId, [alert]);
    return { alertId: alert.id, raised: true };
  }

  private async reconcileCommunity(tx: Tx, communityId: number, now: Date): Promise<{ raised: number; resolved: number }> {
    const m = tx.manager;
    await m.query('SELECT id FROM community WHERE id = ? FOR UPDATE', [communityId]);
    const window = { start: now.getTime(), end: now.getTime() + ALERT_LOOKAHEAD_DAYS * DAY_MS };
    const rosters = await this.loadRosters(m, communityId, window);
    const targets = await this.alertTargets(m, communityId, rosters.rostered);
    const open = await m.findBy(DutyAlert, { communityId, resolvedAt: IsNull() });
    const openBy = new Map<string, DutyAlert[]>();
    for (const a of open) {
      const key = `${scopeKey(a.scopeKind, a.scopeId)}:${a.level}`;
      openBy.set(key, [...(openBy.get(key) ?? []), a]);
    }
    const raised: DutyAlert[] = [];
    let resolved = 0;
    const apply = async (target: Pick<DutyTarget, 'scopeKind' | 'scopeId'>, level: EscalationLevel, gaps: readonly Interval[]) => {
      const key = `${scopeKey(target.scopeKind, target.scopeId)}:${level}`;
      const alerts = openBy.get(key) ?? [];
      openBy.delete(key);
      const plan = reconcileAlerts(alerts.map((a) => ({ id: a.id, start: a.gapStart.getTime(), end: a.gapEnd.getTime() })), gaps, window);
      for (const u of plan.update) await m.update(DutyAlert, { id: u.id }, { gapStart: new Date(u.start), gapEnd: new Date(u.end) });
      for (const r of plan.resolve) await m.update(DutyAlert, { id: r.id }, { resolvedAt: now, resolution: r.resolution });
      resolved += plan.resolve.length;
      for (const g of plan.raise) {
        raised.push(
          await m.save(
            m.create(DutyAlert, {
              communityId,
              scopeKind: target.scopeKind,
              scopeId: target.scopeId,
              level,
              gapStart: new Date(g.start),
              gapEnd: new Date(g.end),
              origin: DutyAlertOrigin.Coverage,
              raisedAt: now,
              resolvedAt: null,
              resolution: null,
            }),
          ),
        );
      }
    };
    for (const { target, level, gaps } of this.coverageOf(targets, rosters, window)) await apply(target, level, gaps);
    // Alerts of rosters no longer looked at (a withdrawn grid, a micro-grid seen by routing): nothing to follow, so they close.
    for (const alerts of [...openBy.values()]) await apply(alerts[0], alerts[0].level, []);
    await this.notifyAdmins(tx, communityId, raised);
    return { raised: raised.length, resolved };
  }

  /**
   * Rosters that must hold their duty: every active grid (levels 0 and 1) and every department
   * (level 2) around the clock, and every crew that has a roster over its hours.
   */
  private async alertTargets(m: EntityManager, communityId: number, rostered: ReadonlySet<string>): Promise<DutyTarget[]> {
    const grids: Array<{ id: number }> = await m.query('SELECT id FROM grid WHERE community_id = ? AND status = ? ORDER BY code', [communityId, GridStatus.Active]);
    const departments: Array<{ id: number }> = await m.query('SELECT id FROM department WHERE community_id = ? ORDER BY code', [communityId]);
    const crews: Array<{ id: number }> = await m.query('SELECT id FROM crew WHERE community_id = ? ORDER BY id', [communityId]);
    return this.access.targets(m, communityId, [
      ...grids.map((g) => ({ scopeKind: DutyScopeKind.Grid, scopeId: Number(g.id) })),
      ...departments.map((d) => ({ scopeKind: DutyScopeKind.Department, scopeId: Number(d.id) })),
      ...crews.map((c) => ({ scopeKind: DutyScopeKind.Crew, scopeId: Number(c.id) })).filter((c) => rostered.has(scopeKey(c.scopeKind, c.scopeId))),
    ]);
  }

  /**
   * The live shifts of a community overlapping the window, as domain shifts by roster: each held
   * by its person, or by its backup when the person no longer fits; shifts nobody fitting holds
   * are left out. Also the crews' hours, from their live weekly templates.
   */
  private async loadRosters(m: EntityManager, communityId: number, window: Interval): Promise<LoadedRosters> {
    const rows: FitShiftRow[] = await m.query(
      `SELECT ${SHIFT_FIT_COLUMNS} FROM duty_shift s
       WHERE s.community_id = ? AND s.cancelled_at IS NULL AND s.starts_at > ? AND s.starts_at < ? AND s.ends_at > ?`,
      [communityId, new Date(window.start - MAX_SHIFT_MS), new Date(window.end), new Date(window.start)],
    );
    const shifts = new Map<string, DutyShift[]>();
    const rostered = new Set<string>();
    for (const row of rows) {
      const key = scopeKey(row.scopeKind, Number(row.scopeId));
      rostered.add(key);
      const [holder] = holdersOf(row);
      if (holder === undefined) continue;
      const shift = domainShift({ scopeKind: row.scopeKind, scopeId: Number(row.scopeId), level: Number(row.level), personId: holder, start: row.startsAt.getTime(), end: row.endsAt.getTime() });
      shifts.set(key, [...(shifts.get(key) ?? []), shift]);
    }
    const slots: Array<{ crewId: number; weekday: number; start: string; end: string }> = await m.query(
      `SELECT t.scope_id AS crewId, ts.weekday, ts.start_time AS start, ts.end_time AS end
       FROM duty_template t JOIN duty_template_slot ts ON ts.template_id = t.id
       WHERE t.community_id = ? AND t.deleted_at IS NULL AND t.scope_kind = ?`,
      [communityId, DutyScopeKind.Crew],
    );
    const crewHours = new Map<string, Interval[]>();
    for (const crewId of new Set(slots.map((s) => Number(s.crewId)))) {
      const key = scopeKey(DutyScopeKind.Crew, crewId);
      rostered.add(key);
      const hours = slotOccurrences(slots.filter((s) => Number(s.crewId) === crewId), window);
      crewHours.set(key, hours.map((o) => ({ start: Math.max(o.start, window.start), end: Math.min(o.end, window.end) })));
    }
    return { shifts, rostered, crewHours };
  }

  /** Each target's coverage at each of its levels; a crew is held to its hours (offHoursShifts), the others to 24 hours. */
  private coverageOf(targets: readonly DutyTarget[], rosters: LoadedRosters, window: Interval): TargetCoverage[] {
    return targets.flatMap((target) => {
      const key = scopeKey(target.scopeKind, target.scopeId);
      const onDuty = rosters.shifts.get(key) ?? [];
      return LEVELS_OF_SCOPE[target.scopeKind].map((level) => {
        const held =
          target.scopeKind === DutyScopeKind.Crew
            ? [...onDuty, ...offHoursShifts(domainScope(target.scopeKind, target.scopeId), level, rosters.crewHours.get(key) ?? [], window)]
            : onDuty;
        return {
          target,
          level,
          gaps: levelCoverage(held, level, window).gaps,
          coveredMs: levelCoverage(onDuty, level, window).coveredMs,
          uncoveredDays: roundTheClockCoverage(held, level, window).uncoveredDays,
        };
      });
    });
  }

  private async notifyAdmins(tx: Tx, communityId: number, alerts: readonly DutyAlert[]): Promise<void> {
    if (alerts.length === 0) return;
    const admins: Array<{ personId: number }> = await tx.manager.query(
      'SELECT DISTINCT person_id AS personId FROM role_assignment WHERE community_id = ? AND role = ? AND revoked_at IS NULL',
      [communityId, Role.CommunityAdmin],
    );
    if (admins.length === 0) return;
    const names = await this.views.names(tx.manager, communityId, [], alerts);
    const items: NotificationInput[] = alerts.flatMap((a) => {
      const scopeName = names.scope(a.scopeKind, a.scopeId);
      const level = dutyLevelLabel(a.scopeKind, a.level);
      const when = `${shanghaiLabel(a.gapStart.getTime())} 至 ${shanghaiLabel(a.gapEnd.getTime())}`;
      return admins.map(({ personId }) => ({
        personId: Number(personId),
        kind: NotificationKind.DutyCoverageGap,
        ticketId: null,
        title: `值班缺口：${scopeName}${level}`,
        body: `${when}${scopeName}${level}无人值班，请补排班。`,
        page: ALERT_PAGE,
        data: { category: '值班缺口', status: '待补排班', time: when, note: `${scopeName}${level}` },
      }));
    });
    this.notify.enqueue(tx, items);
  }
}

function alertView(a: DutyAlert, names: DutyNames): DutyAlertView {
  return {
    id: a.id,
    scopeKind: a.scopeKind,
    scopeId: a.scopeId,
    scopeName: names.scope(a.scopeKind, a.scopeId),
    level: a.level,
    levelLabel: dutyLevelLabel(a.scopeKind, a.level),
    gapStart: a.gapStart.toISOString(),
    gapEnd: a.gapEnd.toISOString(),
    origin: a.origin,
    raisedAt: a.raisedAt.toISOString(),
    resolvedAt: a.resolvedAt?.toISOString() ?? null,
    resolution: a.resolution,
  };
}
