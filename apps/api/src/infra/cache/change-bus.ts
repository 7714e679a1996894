import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { AppConfig, CONFIG } from '../../config/config';
import { REDIS } from '../queue/queue.module';
import { redisOptions } from '../queue/redis';

/** What changed. Sent between processes under these names: do not rename. */
export enum ChangeTopic {
  /** A role assignment was granted or revoked (key: its id). */
  RoleAssignments = 'role-assignments',
  /** Shifts of a duty roster were added, moved, swapped or cancelled (key: the community id). */
  DutyRosters = 'duty-rosters',
}

type ChangeHandler = (key: string | null) => void;

interface ChangeMessage {
  topic: ChangeTopic;
  key: string | null;
  /** The process that sent it, which has applied it already. */
  from: string;
}

/**
 * "Something changed" between the processes of one deployment, over Redis pub/sub, so that
 * each process can drop what it caches about it (the guard's roles, who is on duty). The
 * database stays the truth: a cache entry also expires on its own (CACHE_TTL_MS), which bounds
 * how stale a process can be while Redis is away, and every cache is dropped whole when the
 * subscription comes back (messages sent meanwhile are lost).
 */
@Injectable()
export class ChangeBus implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ChangeBus.name);
  private readonly self = randomUUID();
  private readonly handlers = new Map<ChangeTopic, ChangeHandler[]>();
  private readonly resetHandlers: Array<() => void> = [];
  private subscriber: Redis | null = null;

  constructor(
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  private get channel(): string {
    return `${this.config.queuePrefix}:changes`;
  }

  onModuleInit(): void {
    const subscriber = new Redis(redisOptions(this.config.redis));
    this.subscriber = subscriber;
    // 'ready' comes after the first connect and after every reconnect.
    subscriber.on('ready', () => {
      subscriber.subscribe(this.channel).catch((err) => this.logger.warn({ err: err.message }, 'change subscription failed'));
      for (const reset of this.resetHandlers) reset();
    });
    subscriber.on('message', (_channel, raw: string) => this.receive(raw));
    subscriber.on('error', (err) => this.logger.warn({ err: err.message }, 'change subscriber error'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  /** Handles changes of `topic`, from this process (at once) and from the others. */
  on(topic: ChangeTopic, handler: ChangeHandler): void {
    this.handlers.set(topic, [...(this.handlers.get(topic) ?? []), handler]);
  }

  /** Called when changes may have been missed (the subscription is new or came back): drop everything. */
  onReset(handler: () => void): void {
    this.resetHandlers.push(handler);
  }

  /**
   * Tells this process at once and the others through Redis. Call it after the change has
   * committed (Tx.afterCommit). A lost message costs staleness up to the cache TTL, never data.
   */
  publish(topic: ChangeTopic, key: string | number | null = null): void {
    const message: ChangeMessage = { topic, key: key === null ? null : String(key), from: this.self };
    this.apply(message);
    this.redis.publish(this.channel, JSON.stringify(message)).catch((err) => this.logger.warn({ err: err.message, topic }, 'change not published'));
  }

  private receive(raw: string): void {
    let message: ChangeMessage;
    try {
      message = JSON.parse(raw) as ChangeMessage;
    } catch {
      return;
    }
    if (message.from !== this.self && Object.values(ChangeTopic).includes(message.topic)) this.apply(message);
  }

  private apply(message: ChangeMessage): void {
    for (const handler of this.handlers.get(message.topic) ?? []) handler(message.key);
  }
}
