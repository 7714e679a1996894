import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * Every setting the API and the workers read, validated once at boot. Nothing else in
 * the code reads process.env: take `AppConfig` by injection (CONFIG token) instead.
 * Defaults let a fresh machine start with no env file; README lists every variable.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

    DB_HOST: z.string().default('127.0.0.1'),
    DB_PORT: z.coerce.number().int().positive().default(3306),
    /** The database's Unix socket when it runs on the same machine (e.g. /run/mysqld/mysqld.sock); DB_HOST/DB_PORT are then unused. */
    DB_SOCKET: z.string().optional(),
    DB_USER: z.string().default('root'),
    DB_PASSWORD: z.string().default(''),
    DB_NAME: z
      .string()
      .regex(/^[A-Za-z0-9_]{1,64}$/, 'DB_NAME may hold only letters, digits and _')
      .default('qihu'),
    DB_POOL_SIZE: z.coerce.number().int().positive().default(10),
    /** Create the database when it does not exist. Off by default in production. */
    DB_CREATE: bool.optional(),

    REDIS_HOST: z.string().default('127.0.0.1'),
    REDIS_PORT: z.coerce.number().int().positive().default(6379),
    /** Redis's Unix socket when it runs on the same machine (its `unixsocket` setting); REDIS_HOST/REDIS_PORT are then unused. */
    REDIS_SOCKET: z.string().optional(),
    REDIS_PASSWORD: z.string().optional(),
    REDIS_DB: z.coerce.number().int().min(0).default(0),
    /** Key prefix of every queue; one per deployment (and per test run). Use a {hash-tag} on Redis Cluster. */
    QUEUE_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_{}-]{1,64}$/, 'QUEUE_PREFIX may hold only letters, digits, _ - { }')
      .default('qihu'),

    /** Seed a demo community into an empty database. Off by default in production. */
    SEED_DEMO: bool.optional(),
    /** Run the queue workers and the reconciler in this process (main.ts). worker.ts always does. */
    RUN_WORKERS: bool.default(true),
    /**
     * Multiplies every SLA window of the category policies (30 min × 0.001 = 1.8 s), so demos
     * and tests can watch escalations happen. Must be 1 in production.
     */
    SLA_TIME_SCALE: z.coerce.number().positive().max(1).default(1),
    /** How often the reconciler looks for lost or overdue timers. */
    RECONCILE_INTERVAL_MS: z.coerce.number().int().min(100).default(5000),
    /**
     * How long a process keeps what it caches of roles and duty rosters. Changes reach every
     * process at once through Redis; this bounds staleness while Redis is away. 0 turns caching off.
     */
    CACHE_TTL_MS: z.coerce.number().int().min(0).max(600_000).default(60_000),

    /** Signs access tokens. Must be set (and not the development default) in production. */
    JWT_SECRET: z.string().min(16).default('qihu-development-secret-change-me'),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().positive().default(900),
    REFRESH_TOKEN_TTL_DAYS: z.coerce.number().positive().default(30),
    /** Login attempts allowed per client address per minute. */
    LOGIN_RATE_LIMIT: z.coerce.number().int().positive().default(20),

    /** WeChat mini-program credentials and API base (the fake server's URL in tests and the demo). */
    WECHAT_APPID: z.string().default('wx-demo-appid'),
    WECHAT_SECRET: z.string().default('wx-demo-secret'),
    WECHAT_API_BASE: z.string().url().default('https://api.weixin.qq.com'),
    /** WECHAT_API_BASE is the fake WeChat server: enables the demo login picker. Refused in production. */
    WECHAT_FAKE: bool.default(false),

    /** Where uploads (photos, voice) are kept: `local` disk (UPLOAD_DIR) or an S3-compatible store. */
    STORAGE_DRIVER: z.enum(['local', 's3']).default('local'),
    UPLOAD_DIR: z.string().default(resolve(__dirname, '../../../../var/uploads')),
    UPLOAD_MAX_IMAGE_BYTES: z.coerce.number().int().positive().default(10 * 1024 * 1024),
    UPLOAD_MAX_VOICE_BYTES: z.coerce.number().int().positive().default(5 * 1024 * 1024),
    /** Lifetime of the signed links to uploaded files that ticket views hand out. */
    FILE_URL_TTL_SECONDS: z.coerce.number().int().positive().default(3600),
    S3_ENDPOINT: z.string().url().optional(),
    S3_REGION: z.string().default('us-east-1'),
    S3_BUCKET: z.string().optional(),
    S3_ACCESS_KEY_ID: z.string().optional(),
    S3_SECRET_ACCESS_KEY: z.string().optional(),
    S3_FORCE_PATH_STYLE: bool.default(true),

    /** WeChat subscribe-message template ids per notification kind (set from the mini-program's console). */
    WECHAT_TEMPLATE_TICKET_ASSIGNED: z.string().default('tpl-ticket-assigned'),
    WECHAT_TEMPLATE_TICKET_PROGRESS: z.string().default('tpl-ticket-progress'),
    WECHAT_TEMPLATE_SLA_WARNING: z.string().default('tpl-sla-warning'),
    /** Which mini-program version a message opens: formal, trial or developer. */
    WECHAT_MINIPROGRAM_STATE: z.enum(['formal', 'trial', 'developer']).default('formal'),
    /** Delivery attempts of one notification before it is given up (exponential backoff from 2 s). */
    NOTIFY_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),

    /** Radius around a firm's registered position inside which a crew's check-in counts as on site. */
    GEOFENCE_RADIUS_M: z.coerce.number().int().min(20).max(10_000).default(500),
    /** Minutes a crew has to accept a dispatch before it goes back to the holder (scaled by SLA_TIME_SCALE). */
    DISPATCH_ACCEPT_MINUTES: z.coerce.number().positive().default(10),

    /**
     * Failure tests only: `kill-before-arm` makes the process kill itself (SIGKILL) right after a
     * transaction that wrote timers commits and before their jobs are enqueued. Refused in production.
     */
    FAULT_INJECTION: z.enum(['none', 'kill-before-arm']).default('none'),

    /** Folder of the H5 build served at `/`; empty to serve nothing. */
    H5_DIR: z.string().default(resolve(__dirname, '../../../miniprogram/dist/h5')),
  })
  .transform((env) => ({
    env: env.NODE_ENV,
    http: { host: env.HOST, port: env.PORT },
    logLevel: env.LOG_LEVEL,
    db: {
      host: env.DB_HOST,
      port: env.DB_PORT,
      socketPath: env.DB_SOCKET,
      user: env.DB_USER,
      password: env.DB_PASSWORD,
      name: env.DB_NAME,
      poolSize: env.DB_POOL_SIZE,
      createIfMissing: env.DB_CREATE ?? env.NODE_ENV !== 'production',
    },
    redis: {
      host: env.REDIS_HOST,
      port: env.REDIS_PORT,
      socketPath: env.REDIS_SOCKET,
      password: env.REDIS_PASSWORD,
      db: env.REDIS_DB,
    },
    queuePrefix: env.QUEUE_PREFIX,
    seedDemo: env.SEED_DEMO ?? env.NODE_ENV !== 'production',
    runWorkers: env.RUN_WORKERS,
    sla: {
      timeScale: env.SLA_TIME_SCALE,
      reconcileIntervalMs: env.RECONCILE_INTERVAL_MS,
    },
    cacheTtlMs: env.CACHE_TTL_MS,
    auth: {
      jwtSecret: env.JWT_SECRET,
      accessTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
      refreshTtlMs: Math.round(env.REFRESH_TOKEN_TTL_DAYS * 86_400_000),
      loginRateLimit: env.LOGIN_RATE_LIMIT,
    },
    wechat: {
      appId: env.WECHAT_APPID,
      secret: env.WECHAT_SECRET,
      apiBase: env.WECHAT_API_BASE.replace(/\/+$/, ''),
      fake: env.WECHAT_FAKE,
    },
    storage: {
      driver: env.STORAGE_DRIVER,
      dir: env.UPLOAD_DIR,
      maxImageBytes: env.UPLOAD_MAX_IMAGE_BYTES,
      maxVoiceBytes: env.UPLOAD_MAX_VOICE_BYTES,
      urlTtlSeconds: env.FILE_URL_TTL_SECONDS,
      s3: {
        endpoint: env.S3_ENDPOINT,
        region: env.S3_REGION,
        bucket: env.S3_BUCKET,
        accessKeyId: env.S3_ACCESS_KEY_ID,
        secretAccessKey: env.S3_SECRET_ACCESS_KEY,
        forcePathStyle: env.S3_FORCE_PATH_STYLE,
      },
    },
    notify: {
      templates: {
        ticketAssigned: env.WECHAT_TEMPLATE_TICKET_ASSIGNED,
        ticketProgress: env.WECHAT_TEMPLATE_TICKET_PROGRESS,
        slaWarning: env.WECHAT_TEMPLATE_SLA_WARNING,
      },
      miniprogramState: env.WECHAT_MINIPROGRAM_STATE,
      attempts: env.NOTIFY_ATTEMPTS,
    },
    dispatch: { geofenceRadiusM: env.GEOFENCE_RADIUS_M, acceptMinutes: env.DISPATCH_ACCEPT_MINUTES },
    faultInjection: env.FAULT_INJECTION,
    h5Dir: env.H5_DIR,
  }))
  .superRefine((c, ctx) => {
    if (c.env === 'production' && c.auth.jwtSecret === 'qihu-development-secret-change-me') {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'set a secret of your own in production' });
    }
    if (c.env === 'production' && c.sla.timeScale !== 1) {
      ctx.addIssue({ code: 'custom', path: ['SLA_TIME_SCALE'], message: 'SLA windows are not compressed in production' });
    }
    if (c.storage.driver === 's3' && (!c.storage.s3.bucket || !c.storage.s3.accessKeyId || !c.storage.s3.secretAccessKey)) {
      ctx.addIssue({ code: 'custom', path: ['S3_BUCKET'], message: 'STORAGE_DRIVER=s3 needs S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY' });
    }
    if (c.env === 'production' && c.faultInjection !== 'none') {
      ctx.addIssue({ code: 'custom', path: ['FAULT_INJECTION'], message: 'fault injection is for failure tests only' });
    }
    if (c.env === 'production' && c.wechat.fake) {
      ctx.addIssue({ code: 'custom', path: ['WECHAT_FAKE'], message: 'the fake WeChat server and demo login are refused in production' });
    }
  });

export type AppConfig = z.output<typeof schema>;

export const CONFIG = Symbol('AppConfig');

export class ConfigError extends Error {}

/** Parses an environment (process.env by default) into the typed config or throws naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`配置有误 (invalid configuration): ${problems}`);
  }
  return result.data;
}
