export interface NotifyOptions {
  /** First retry delay of a failed delivery; each further retry waits twice as long. */
  retryDelayMs: number;
}

/** WeChat asks senders to back off on "system busy"; 2 s, 4 s, 8 s … spans about a minute over 6 attempts. */
export const DEFAULT_RETRY_DELAY_MS = 2000;

export const NOTIFY_OPTIONS = Symbol('NotifyOptions');
