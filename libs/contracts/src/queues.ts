/**
 * BullMQ queue names. Jobs already in Redis carry these names: renaming one strands
 * every delayed job in the old queue. Do not rename; add.
 */
export enum QueueName {
  SlaTimers = 'sla-timers',
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
