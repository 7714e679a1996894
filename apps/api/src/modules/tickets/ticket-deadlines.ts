import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DeadlineKind, EscalationLevel, SlaCalendarKind } from '@qihu/contracts';
import {
  ALWAYS_OPEN,
  Calendar,
  compileCalendar,
  DAY_MS,
  firstYearWithoutHolidayData,
  SLA_WARNING_FRACTIONS,
  SlaWarning,
  SlaWindowKind,
  STANDARD_WORKING_TIME_SPEC,
  dueAt,
} from '@qihu/domain';
import { AppConfig, CONFIG } from '../../config/config';
import { Clock } from '../../infra/clock';
import { Tx } from '../../infra/database/transaction';
import { Category } from '../org/category.entity';
import { TimerKind, TimerState } from '../sla/sla-timer.entity';
import { SlaService, TimerInput } from '../sla/sla.service';
import { Ticket } from './ticket.entity';

/** The timers of one SLA window: its deadline, and the reminders at 50% and 75% of it. */
interface WindowTimers {
  deadline: TimerKind;
  warnings: Partial<Record<SlaWarning, TimerKind>>;
  /** How the window shows on the ticket (its mirrored deadline). */
  shownAs: DeadlineKind;
  /** Other timers started with the window by its owner, stopped with it. */
  companions?: TimerKind[];
}

const WINDOW_TIMERS: Partial<Record<SlaWindowKind, WindowTimers>> = {
  [SlaWindowKind.Acknowledge]: {
    deadline: TimerKind.Acknowledge,
    warnings: { [SlaWarning.HalfUsed]: TimerKind.AcknowledgeWarn50, [SlaWarning.ThreeQuartersUsed]: TimerKind.AcknowledgeWarn75 },
    shownAs: DeadlineKind.Acknowledge,
  },
  [SlaWindowKind.Resolve]: {
    deadline: TimerKind.Resolve,
    warnings: { [SlaWarning.HalfUsed]: TimerKind.ResolveWarn50, [SlaWarning.ThreeQuartersUsed]: TimerKind.ResolveWarn75 },
    shownAs: DeadlineKind.Resolve,
  },
  [SlaWindowKind.Confirm]: { deadline: TimerKind.Confirm, warnings: {}, shownAs: DeadlineKind.Confirm },
  // The accept deadline of a dispatch belongs to its on-site window: both stop together.
  [SlaWindowKind.OnSite]: { deadline: TimerKind.OnSite, warnings: {}, shownAs: DeadlineKind.OnSite, companions: [TimerKind.DispatchAccept] },
};

/** Which window and how far into it a warning timer is, for the reminder text. */
export const WARNING_OF: Partial<Record<TimerKind, { window: DeadlineKind; percent: number }>> = {
  [TimerKind.AcknowledgeWarn50]: { window: DeadlineKind.Acknowledge, percent: 50 },
  [TimerKind.AcknowledgeWarn75]: { window: DeadlineKind.Acknowledge, percent: 75 },
  [TimerKind.ResolveWarn50]: { window: DeadlineKind.Resolve, percent: 50 },
  [TimerKind.ResolveWarn75]: { window: DeadlineKind.Resolve, percent: 75 },
};

export interface WindowOptions {
  level?: EscalationLevel;
  /** The window's length instead of the category's (the escalation window above level 0). */
  minutes?: number;
  dueAtOverride?: Date;
}

export type PlannedTimer = Omit<TimerInput, 'ticketId'>;

/** domain.md: the crew is on site within 30 minutes of dispatch. */
export const DEFAULT_ON_SITE_MINUTES = 30;

const POLICY_MINUTES: Record<SlaWindowKind, (c: Category) => number> = {
  [SlaWindowKind.Acknowledge]: (c) => c.ackMinutes,
  [SlaWindowKind.Resolve]: (c) => c.resolveMinutes,
  [SlaWindowKind.Confirm]: (c) => c.confirmHours * 60,
  [SlaWindowKind.OnSite]: () => DEFAULT_ON_SITE_MINUTES,
};

const WORKING_TIME: Calendar = compileCalendar(STANDARD_WORKING_TIME_SPEC);

/**
 * How far ahead the holiday table must reach: a working-time resolve window of a few working days
 * can span a week of public holidays, so a month leaves the operator time to upgrade.
 */
export const HOLIDAY_DATA_LOOKAHEAD_MS = 31 * DAY_MS;

/**
 * The SLA windows of tickets as timers: starting a window writes its deadline and reminder
 * timers (armed after commit) and mirrors the deadline onto the ticket, stopping one cancels
 * them. Lengths come from the category's policy, on its calendar, compressed by SLA_TIME_SCALE.
 */
@Injectable()
export class TicketDeadlines implements OnApplicationBootstrap {
  private readonly logger = new Logger(TicketDeadlines.name);

  constructor(
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly sla: SlaService,
    private readonly clock: Clock,
  ) {}

  /**
   * Warns when the national holiday table (the chinese-days package) ends within the lookahead:
   * deadlines of working-time categories in a year it lacks would count that year's public
   * holidays as working days. The State Council publishes each year's arrangement in the autumn.
   */
  onApplicationBootstrap(): void {
    const year = firstYearWithoutHolidayData(this.clock.now().getTime(), HOLIDAY_DATA_LOOKAHEAD_MS);
    if (year === null) return;
    this.logger.warn(
      { missingYear: year },
      `节假日数据不含 ${year} 年：按工作时间计时的类别在 ${year} 年的法定节假日会被当作工作日。请升级 chinese-days 后重新部署。`,
    );
  }

  /** Every timer kind of these windows. */
  timerKinds(windows: readonly SlaWindowKind[]): TimerKind[] {
    return windows.flatMap((w) => {
      const timers = WINDOW_TIMERS[w];
      return timers ? [timers.deadline, ...Object.values(timers.warnings), ...(timers.companions ?? [])] : [];
    });
  }

  /** Cancels the armed timers of the windows (before the ticket row is locked: the firing lock order). */
  stop(tx: Tx, ticketId: number, windows: readonly SlaWindowKind[]): void {
    this.sla.cancelArmed(tx, ticketId, this.timerKinds(windows));
  }

  /**
   * Starts a window at `from`, or, with `dueAtOverride`, keeps an earlier deadline (a returned
   * ticket keeps its clock). Sets the ticket's mirrored deadline; the caller writes the row.
   */
  start(tx: Tx, ticket: Ticket, window: SlaWindowKind, category: Category, from: Date, options: WindowOptions = {}): void {
    this.schedule(tx, ticket.id, this.plan(ticket, window, category, from, options));
  }

  /**
   * The timers of a window, without writing them: sets the ticket's mirrored deadline, so a new
   * ticket can be inserted with it and its timers written after (intake saves an UPDATE).
   */
  plan(ticket: Ticket, window: SlaWindowKind, category: Category, from: Date, options: WindowOptions = {}): PlannedTimer[] {
    const timers = WINDOW_TIMERS[window];
    if (!timers) return [];
    const durationMs = this.durationMs(window, category, options.minutes);
    const calendar = this.calendarOf(category, window);
    const due = options.dueAtOverride ?? new Date(dueAt(calendar, from.getTime(), durationMs));
    const level = options.level ?? ticket.level;
    const planned: PlannedTimer[] = [{ kind: timers.deadline, level, dueAt: due }];
    if (!options.dueAtOverride) {
      for (const { warning, fraction } of SLA_WARNING_FRACTIONS) {
        const kind = timers.warnings[warning];
        if (kind) planned.push({ kind, level, dueAt: new Date(dueAt(calendar, from.getTime(), durationMs * fraction)) });
      }
    }
    ticket.deadlineKind = timers.shownAs;
    ticket.deadlineAt = due;
    return planned;
  }

  /** Queues planned timers with the rest of the caller's change. */
  schedule(tx: Tx, ticketId: number, planned: PlannedTimer[]): void {
    this.sla.scheduleMany(tx, planned.map((p): TimerInput => ({ ...p, ticketId })));
  }

  /**
   * Shows the resolve deadline the ticket already runs, if any (a returned ticket acknowledged
   * again, or the on-site window of a dispatch ending); else clears the mirror. True when one runs.
   */
  async showRunningResolve(tx: Tx, ticket: Ticket): Promise<boolean> {
    const latest = await this.sla.latest(tx, ticket.id, TimerKind.Resolve);
    const running = latest?.state === TimerState.Armed;
    ticket.deadlineKind = running ? DeadlineKind.Resolve : null;
    ticket.deadlineAt = running ? latest!.dueAt : null;
    return running;
  }

  /** The acknowledge deadline the ticket had before (a return does not reset the clock). */
  async previousDue(tx: Tx, ticketId: number, kind: TimerKind): Promise<Date | null> {
    return (await this.sla.latest(tx, ticketId, kind))?.dueAt ?? null;
  }

  /** A window's length in ms, compressed by SLA_TIME_SCALE (for timers other modules start). */
  scaledMs(minutes: number): number {
    return Math.round(minutes * 60_000 * this.config.sla.timeScale);
  }

  /** Length of the reopen (and confirm) window, compressed like every other window. */
  confirmWindowMs(category: Category): number {
    return this.durationMs(SlaWindowKind.Confirm, category);
  }

  private durationMs(window: SlaWindowKind, category: Category, minutes?: number): number {
    const policyMinutes = minutes ?? POLICY_MINUTES[window](category);
    return Math.round(policyMinutes * 60_000 * this.config.sla.timeScale);
  }

  /**
   * Acknowledging and confirming run around the clock (园区半小时响应, 24小时值守); only the
   * resolve window follows a working-time calendar when the category says so (e.g. 3 working
   * days for policy questions). A compressed test clock always runs 24×7.
   */
  private calendarOf(category: Category, window: SlaWindowKind): Calendar {
    const working = category.calendar === SlaCalendarKind.WorkingTime && window === SlaWindowKind.Resolve;
    return working && this.config.sla.timeScale === 1 ? WORKING_TIME : ALWAYS_OPEN;
  }
}
