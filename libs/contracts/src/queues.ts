/**
 * BullMQ queue names. Jobs already in Redis carry these names: renaming one strands
 * every delayed job in the old queue. Do not rename; add.
 */
export enum QueueName {
  SlaTimers = 'sla-timers',
  /** Outbox relay: WeChat subscribe messages. */
  Notify = 'notify',
  /** Duty housekeeping: roster materialisation and coverage-gap alerts. */
  Duty = 'duty',
}

/** Job names per queue, each with a payload of ids only. */
export enum SlaJobName {
  FireTimer = 'fire-timer',
}

export interface FireTimerPayload {
  timerId: number;
  ticketId: number;
  version: number;
}

export enum NotifyJobName {
  Send = 'send',
}

/** The outbox rows of one change to deliver (the holders told of one ticket, say). */
export interface NotifySendPayload {
  outboxIds: number[];
}

export enum DutyJobName {
  /** Repeatable: materialise weekly templates ahead and raise coverage-gap alerts for the next 7 days. */
  Housekeeping = 'housekeeping',
}
