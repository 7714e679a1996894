import { Logger } from '@nestjs/common';

/**
 * Runs a pass (at once, or after a first delay) and then `intervalMs` after each pass ends: never two at a time in one
 * process, a failed pass logged and tried again next tick, and stop() waits for the pass in
 * flight. The loop of every reconciler that repairs what a queue lost (Redis flushed, a crash
 * between commit and enqueue); the passes themselves must be safe in many processes at once.
 */
export class RepeatingTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs: number,
    private readonly pass: () => Promise<unknown>,
  ) {}

  /** True once stop() was called: long passes check it to end early. */
  get isStopped(): boolean {
    return this.stopped;
  }

  /** The first pass after `firstDelayMs` (at once by default). */
  start(firstDelayMs = 0): void {
    this.schedule(firstDelayMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.pass()
        .catch((err) => this.logger.warn({ err }, 'reconcile pass failed; retrying next tick'))
        .finally(() => this.schedule(this.intervalMs));
    }, delay);
  }
}
