import { Inject, Injectable } from '@nestjs/common';
import { DutyNowView, DutyOnDutyPerson, DutyScopeKind, ErrorCode, ESCALATION_LEVEL_LABEL, EscalationLevel } from '@qihu/contracts';
import { DAY_MS, resolveHolder } from '@qihu/domain';
import { EntityManager } from 'typeorm';
import { LRUCache } from 'lru-cache';
import { AppConfig, CONFIG } from '../../config/config';
import { ChangeBus, ChangeTopic } from '../../infra/cache/change-bus';
import { Clock } from '../../infra/clock';
import { Tx, TransactionRunner } from '../../infra/database/transaction';
import { AppError } from '../../infra/http/app-error';
import { Scope } from '../identity/caller';
import { DutyCoverageService, RoutingGap } from './coverage.service';
import { DutyAccess } from './duty-access';
import { DutyViews } from './duty-views';
import { domainPlacement, domainShift, MAX_SHIFT_MS } from './duty.rules';
import { FitShiftRow, holdersOf, SHIFT_FIT_COLUMNS } from './roster-fit';
import { DutyTemplatesService } from './templates.service';

/** Where a ticket sits, for the duty roster: the firm's grid and micro-grid, the category's department. */
export interface DutyPlacement {
  communityId: number;
  gridId: number;
  microgridId: number | null;
  departmentId: number | null;
}

export interface DutyHolding {
  /** The first level at or above the asked one with someone on duty (else the top). */
  level: EscalationLevel;
  /** Everyone on duty at that level, primary first; empty when nobody is. */
  holderIds: number[];
  /** Levels passed over, lowest first, with the domain's reason. */
  skipped: Array<{ level: EscalationLevel; reason: string }>;
}

/**
 * A roster counts as "rostered" around an instant when it has a shift within this long either
 * side; further out it is `no_roster` rather than `nobody_on_duty`.
 */
const ROSTERED_AROUND_MS = 7 * DAY_MS;

/** Order of the holders of one level: the grid's own roster before a micro-grid's. */
const SCOPE_ORDER: Record<DutyScopeKind, number> = { [DutyScopeKind.Grid]: 0, [DutyScopeKind.Microgrid]: 1, [DutyScopeKind.Department]: 2, [DutyScopeKind.Crew]: 3 };

/** A maintenance crew with someone on duty, for dispatch. */
export interface CrewOnDuty {
  crewId: number;
  /** Its members on duty, primaries first, then the backups standing by. */
  personIds: number[];
}

/**
 * What the rest of the service asks of the duty rosters: who holds a ticket now (routing),
 * which crews are on duty (dispatch), who is on duty now (GET /duty/now), recording a gap
 * routing met, and the housekeeping run.
 */
/** Roster sets (a ticket's grid, micro-grid and department) whose running shifts are kept. */
const CACHED_ROSTER_SETS = 5_000;

/** The shifts of a set of rosters that run at some instant of [from, until), with whether their people fit. */
interface RunningShifts {
  rows: FitShiftRow[];
  from: number;
  until: number;
}

/**
 * What the rest of the service asks of the duty rosters: who holds a ticket now (routing),
 * which crews are on duty (dispatch), who is on duty now (GET /duty/now), recording a gap
 * routing met, and the housekeeping run.
 */
@Injectable()
export class DutyService {
  /**
   * Routing reads who is on duty for every intake and escalation, and the query (each shift
   * checked against its person's roles) costs the database more than the rest of an intake.
   * What runs in the next CACHE_TTL_MS is kept per roster set; any change to shifts or roles,
   * in any process, drops it all (ChangeBus).
   */
  private readonly running: LRUCache<string, RunningShifts> | null;
  private readonly horizonMs: number;

  constructor(
    @Inject(CONFIG) config: AppConfig,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly access: DutyAccess,
    private readonly views: DutyViews,
    private readonly coverage: DutyCoverageService,
    private readonly templates: DutyTemplatesService,
    changes: ChangeBus,
  ) {
    this.horizonMs = config.cacheTtlMs;
    this.running = config.cacheTtlMs > 0 ? new LRUCache({ max: CACHED_ROSTER_SETS, ttl: config.cacheTtlMs }) : null;
    const drop = () => this.running?.clear();
    changes.on(ChangeTopic.DutyRosters, drop);
    changes.on(ChangeTopic.RoleAssignments, drop);
    changes.onReset(drop);
  }

  /**
   * Who holds a ticket at `level` (or the first staffed level above it) at instant `at`, from the
   * rosters of the ticket (its grid at levels 0 and 1, its micro-grid at level 0, its category's
   * department at level 2); the domain ladder (resolveHolder) decides. A shift counts only while
   * its person fits the roster (roster-fit.ts); its backup stands in for a person who no longer
   * does. The common case reads only the shifts running at `at` (a handful of rows, where the
   * fortnight around it is dozens, each checked against the role assignments); only when a level
   * is passed over is the fortnight read, to tell `nobody_on_duty` from `no_roster`.
   */
  async holdersFrom(manager: EntityManager, placement: DutyPlacement, level: EscalationLevel, at: Date): Promise<DutyHolding> {
    const rosters: Array<[DutyScopeKind, number, EscalationLevel]> = [];
    if (level <= EscalationLevel.GridMember) {
      rosters.push([DutyScopeKind.Grid, placement.gridId, EscalationLevel.GridMember]);
      if (placement.microgridId !== null) rosters.push([DutyScopeKind.Microgrid, placement.microgridId, EscalationLevel.GridMember]);
    }
    if (level <= EscalationLevel.GridLeader) rosters.push([DutyScopeKind.Grid, placement.gridId, EscalationLevel.GridLeader]);
    if (placement.departmentId !== null) rosters.push([DutyScopeKind.Department, placement.departmentId, EscalationLevel.Department]);
    const holding = this.holding(placement, await this.runningShifts(manager, rosters, at), level, at);
    if (holding.skipped.length === 0) return holding;
    // Same holders either way (only running shifts hold); the wider read only names the reasons.
    return this.holding(placement, await this.rosterShifts(manager, rosters, at, { sinceMs: Math.max(MAX_SHIFT_MS, ROSTERED_AROUND_MS), untilMs: ROSTERED_AROUND_MS }), level, at);
  }

  /** The shifts of these rosters running at `at`: from the cache, or read with those starting within its horizon. */
  private async runningShifts(manager: EntityManager, rosters: Array<[DutyScopeKind, number, EscalationLevel]>, at: Date): Promise<FitShiftRow[]> {
    const key = JSON.stringify(rosters);
    const t = at.getTime();
    const kept = this.running?.get(key);
    if (kept && kept.from <= t && t < kept.until) return kept.rows;
    const rows = await this.rosterShifts(manager, rosters, at, { sinceMs: MAX_SHIFT_MS, untilMs: this.horizonMs, endingAfterAt: true });
    this.running?.set(key, { rows, from: t, until: t + this.horizonMs });
    return rows;
  }

  /** The shifts of these rosters starting in (at − since, at + until], and (if asked) still running at `at`. */
  private async rosterShifts(
    manager: EntityManager,
    rosters: Array<[DutyScopeKind, number, EscalationLevel]>,
    at: Date,
    span: { sinceMs: number; untilMs: number; endingAfterAt?: boolean },
  ): Promise<FitShiftRow[]> {
    if (rosters.length === 0) return [];
    return manager.query(
      `SELECT ${SHIFT_FIT_COLUMNS} FROM duty_shift s
       WHERE (${rosters.map(() => '(s.scope_kind = ? AND s.scope_id = ? AND s.level = ?)').join(' OR ')})
       AND s.cancelled_at IS NULL AND s.starts_at > ? AND s.starts_at <= ?${span.endingAfterAt ? ' AND s.ends_at > ?' : ''}`,
      [...rosters.flat(), new Date(at.getTime() - span.sinceMs), new Date(at.getTime() + span.untilMs), ...(span.endingAfterAt ? [at] : [])],
    );
  }

  private holding(placement: DutyPlacement, rows: FitShiftRow[], level: EscalationLevel, at: Date): DutyHolding {
    const held = rows.map((row) => ({ row, holders: holdersOf(row) })).filter((h) => h.holders.length > 0);
    const shifts = held.map(({ row, holders }) =>
      domainShift({ scopeKind: row.scopeKind, scopeId: Number(row.scopeId), level: Number(row.level), personId: holders[0], start: row.startsAt.getTime(), end: row.endsAt.getTime() }),
    );
    const holding = resolveHolder(domainPlacement(placement), shifts, level, at.getTime());
    const onDuty = held
      .filter(({ row }) => Number(row.level) === holding.level && row.startsAt <= at && at < row.endsAt)
      .sort((a, b) => SCOPE_ORDER[a.row.scopeKind] - SCOPE_ORDER[b.row.scopeKind] || a.row.startsAt.getTime() - b.row.startsAt.getTime() || a.row.id - b.row.id);
    // The domain names who is on duty; primaries come first, then the backups standing by.
    const primaries = onDuty.map(({ holders }) => holders[0]);
    const backups = onDuty.flatMap(({ holders }) => holders.slice(1));
    return {
      level: holding.level,
      holderIds: [...new Set([...primaries, ...backups])],
      skipped: holding.skipped.map((s) => ({ level: s.level, reason: s.reason })),
    };
  }

  /**
   * The community's maintenance crews with someone on duty at `at`, by crew id, each with its
   * people on duty (primaries first, then backups; a shift counts only while its person or
   * backup is still a member of the crew, roster-fit.ts). Crews with nobody on duty are left
   * out. One query, a range of the community index over the shifts that started in the week
   * before `at` (the crews' ids are not known up front, and a join by crew would read each
   * crew's whole history).
   */
  async crewsOnDuty(manager: EntityManager, communityId: number, at: Date): Promise<CrewOnDuty[]> {
    const rows: FitShiftRow[] = await manager.query(
      `SELECT ${SHIFT_FIT_COLUMNS} FROM duty_shift s
       WHERE s.community_id = ? AND s.cancelled_at IS NULL AND s.starts_at > ? AND s.starts_at <= ? AND s.ends_at > ?
       AND s.scope_kind = ? AND s.level = ?
       ORDER BY s.scope_id, s.starts_at, s.id`,
      [communityId, new Date(at.getTime() - MAX_SHIFT_MS), at, at, DutyScopeKind.Crew, EscalationLevel.GridMember],
    );
    const byCrew = new Map<number, FitShiftRow[]>();
    for (const row of rows) byCrew.set(Number(row.scopeId), [...(byCrew.get(Number(row.scopeId)) ?? []), row]);
    return [...byCrew]
      .map(([crewId, shifts]) => {
        const held = shifts.map(holdersOf);
        const primaries = held.filter((h) => h.length > 0).map((h) => h[0]);
        const backups = held.flatMap((h) => h.slice(1));
        return { crewId, personIds: [...new Set([...primaries, ...backups])] };
      })
      .filter((crew) => crew.personIds.length > 0);
  }

  /** Records a coverage gap that routing met (see DutyCoverageService.raiseRoutingGap). */
  raiseRoutingGap(tx: Tx, gap: RoutingGap): Promise<{ alertId: number; raised: boolean }> {
    return this.coverage.raiseRoutingGap(tx, gap);
  }

  /** Housekeeping: materialise templates ahead, then raise and resolve coverage alerts. */
  async housekeeping(now: Date = this.clock.now()): Promise<{ shiftsCreated: number; alertsRaised: number; alertsResolved: number }> {
    const shiftsCreated = await this.templates.materialiseDue(now);
    const { raised, resolved } = await this.coverage.reconcileAlerts(now);
    return { shiftsCreated, alertsRaised: raised, alertsResolved: resolved };
  }

  /**
   * Who is on duty now for a grid's firms, per level: the grid's and its micro-grids' level 0,
   * the grid leader, and each department. Grid staff default to their own grid.
   */
  async now(scope: Scope, gridId: number | undefined): Promise<DutyNowView> {
    const m = this.transactions.manager;
    const viewer = await this.access.viewer(scope, m);
    const id = gridId ?? viewer.gridId;
    if (id === null || id === undefined) {
      throw new AppError(ErrorCode.ValidationFailed, '请指定网格', { fields: [{ field: 'gridId', reason: '必填' }] });
    }
    const grid = await this.access.readable(scope, { scopeKind: DutyScopeKind.Grid, scopeId: id }, m);
    const at = this.clock.now();
    const rows: FitShiftRow[] = await m.query(
      `SELECT ${SHIFT_FIT_COLUMNS} FROM duty_shift s
       WHERE s.community_id = ? AND s.cancelled_at IS NULL AND s.starts_at > ? AND s.starts_at <= ? AND s.ends_at > ?
       AND ((s.scope_kind = ? AND s.scope_id = ?)
         OR (s.scope_kind = ? AND s.scope_id IN (SELECT id FROM microgrid WHERE grid_id = ?))
         OR s.scope_kind = ?)
       ORDER BY s.level, FIELD(s.scope_kind, ?, ?, ?), s.scope_id, s.starts_at, s.id`,
      [
        scope.communityId, new Date(at.getTime() - MAX_SHIFT_MS), at, at,
        DutyScopeKind.Grid, id, DutyScopeKind.Microgrid, id, DutyScopeKind.Department,
        DutyScopeKind.Grid, DutyScopeKind.Microgrid, DutyScopeKind.Department,
      ],
    );
    const held = rows.filter((r) => holdersOf(r).length > 0);
    const names = await this.views.names(m, scope.communityId, held.flatMap(holdersOf), held.map((r) => ({ scopeKind: r.scopeKind, scopeId: Number(r.scopeId) })));
    const person = (r: FitShiftRow): DutyOnDutyPerson => {
      const [holder, backup = null] = holdersOf(r);
      return {
        shiftId: Number(r.id),
        scopeKind: r.scopeKind,
        scopeId: Number(r.scopeId),
        scopeName: names.scope(r.scopeKind, Number(r.scopeId)),
        personId: holder,
        personName: names.person(holder),
        backupPersonId: backup,
        backupPersonName: names.personOrNull(backup),
        endsAt: r.endsAt.toISOString(),
      };
    };
    return {
      at: at.toISOString(),
      gridId: grid.scopeId,
      gridName: grid.name,
      levels: [EscalationLevel.GridMember, EscalationLevel.GridLeader, EscalationLevel.Department].map((level) => ({
        level,
        levelLabel: ESCALATION_LEVEL_LABEL[level],
        onDuty: held.filter((r) => Number(r.level) === level).map(person),
      })),
    };
  }
}
