import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  brokenPasswordRules,
  type D3fendMode,
  describeBrokenRules,
  KNOWN_ATTACK_PLATFORMS,
  MAX_STALE_DAYS,
  SCORE_COMPONENTS,
  type ScoreComponent,
  type ScoringConfigField,
} from '@aegis/contracts';
import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { EMBEDDED_DB_DEFAULTS, type EmbeddedDbSettings } from '../db/embedded-settings';

/**
 * The only module that reads `process.env`. Everything else receives a `Config`.
 * Validation collects every problem at once so an operator fixes the file in one pass.
 */

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const WEAK_SECRETS = new Set([
  'secret',
  'changeme',
  'change-me',
  'change_me',
  'changethis',
  'please-change-me',
  'your-secret-key',
  'aegis',
  'password',
]);
export const SECRET_KEY_HINT = 'generate one with: openssl rand -hex 32';
export const MIN_SECRET_LENGTH = 32;

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], {
      error: 'expected one of true, false, 1, 0, yes, no, on, off',
    })
    .optional()
    .transform((v) => (v === undefined ? fallback : ['true', '1', 'yes', 'on'].includes(v)));

const int = (fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({
          code: 'custom',
          message: `expected a whole number from ${min} to ${max}, got "${v}"`,
        });
        return z.NEVER;
      }
      return n;
    });

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const EnvSchema = z.object({
  AEGIS_ENV: z
    .enum(['development', 'production'], { error: 'expected "development" or "production"' })
    .default('development'),
  PORT: int(8000, 0, 65535),
  HOST: z.string().min(1).default('127.0.0.1'),
  TRUST_PROXY: bool(false),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: optionalString,
  DATABASE_POOL_MAX: int(10, 1, 200),
  DATABASE_STATEMENT_CACHE: int(500, 0, 10_000),
  EMBEDDED_DB_QUEUE_MAX: int(EMBEDDED_DB_DEFAULTS.queueMax, 1, 10_000),
  EMBEDDED_DB_QUEUE_TIMEOUT_SECONDS: int(EMBEDDED_DB_DEFAULTS.queueTimeoutMs / 1000, 1, 600),
  EMBEDDED_DB_SHARED_BUFFERS_MB: int(EMBEDDED_DB_DEFAULTS.sharedBuffersMb, 1, 1024),
  SECRET_KEY: optionalString,
  STORAGE_DRIVER: z.enum(['fs', 's3'], { error: 'expected "fs" or "s3"' }).default('fs'),
  EVIDENCE_DIR: optionalString,
  S3_ENDPOINT: optionalString,
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: optionalString,
  S3_ACCESS_KEY_ID: optionalString,
  S3_SECRET_ACCESS_KEY: optionalString,
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false', '1', '0']).optional(),
  S3_PRESIGN_TTL_SECONDS: int(300, 1, 7 * 24 * 3600),
  MINIO_ENDPOINT: optionalString,
  MINIO_ACCESS_KEY: optionalString,
  MINIO_SECRET_KEY: optionalString,
  MINIO_BUCKET: optionalString,
  MINIO_SECURE: bool(false),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  CORS_ORIGINS: z.string().default(''),
  /** Where users reach Aegis (https://aegis.example.org): exported layers link back to it. */
  AEGIS_PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'expected an http(s) URL, e.g. https://aegis.example.org' })
    .optional(),
  JOBS_ENABLED: bool(true),
  // At least three missed heartbeats (one every 15 s) before a run is declared dead.
  RUN_HEARTBEAT_TIMEOUT_SECONDS: int(120, 45, 7 * 24 * 3600),
  AEGIS_TIMEZONE: z.string().default('UTC'),
  SHUTDOWN_TIMEOUT_SECONDS: int(10, 1, 600),
  ADMIN_USERNAME: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9._-]{1,62}$/, 'expected 2–63 lower-case letters, digits, dot, dash or underscore')
    .default('admin'),
  ADMIN_PASSWORD: optionalString,
  ADMIN_EMAIL: z.email('expected an email address').optional(),
  ACCESS_TOKEN_EXPIRE_MINUTES: int(15, 1, 24 * 60),
  SESSION_MAX_HOURS: int(12, 1, 24 * 30),
  LOGIN_RATE_LIMIT: int(5, 1, 1000),
  LOGIN_RATE_WINDOW_SECONDS: int(60, 1, 3600),
  BODY_LIMIT_KB: int(1024, 16, 100 * 1024),
  ATTACK_SYNC_SOURCE: z.enum(['url', 'taxii'], { error: 'expected "url" or "taxii"' }).default('url'),
  ATTACK_BUNDLE_URL: z
    .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
    .default(
      'https://raw.githubusercontent.com/mitre-attack/attack-stix-data/master/enterprise-attack/enterprise-attack.json',
    ),
  ATTACK_TAXII_URL: z
    .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
    .default('https://attack-taxii.mitre.org/taxii2/'),
  ATTACK_TAXII_COLLECTION: z.string().min(1).default('Enterprise ATT&CK'),
  IMPORT_UPLOAD_LIMIT_MB: int(100, 1, 2048),
  ORG_PLATFORM_SCOPE: optionalString,
  MAX_RETEST_COUNT: int(3, 0, 50),
  EVIDENCE_MAX_MB: int(50, 1, 4096),
  NOTIFICATION_RETENTION_DAYS: int(30, 1, 3650),
  // Scoring (analysis spec §1): these seed the first scoring configuration; the API wins after that.
  SCORING_WEIGHT_TESTS: int(40, 0, 100),
  SCORING_WEIGHT_DETECTION_RULES: int(20, 0, 100),
  SCORING_WEIGHT_D3FEND: int(15, 0, 100),
  SCORING_WEIGHT_FRESHNESS: int(15, 0, 100),
  SCORING_WEIGHT_PLATFORM_DIVERSITY: int(10, 0, 100),
  STALE_THRESHOLD_DAYS: int(365, 1, MAX_STALE_DAYS),
  // Metrics (analysis spec §2.3): durations longer than these are left out as outliers (and listed).
  METRIC_MAX_DURATION_DAYS: int(30, 1, 3650),
  METRIC_MAX_REMEDIATION_DAYS: int(365, 1, 3650),
  // Snapshots (analysis spec §4.2): scheduled ones kept daily, then weekly, then monthly (0: forever).
  SNAPSHOT_RETENTION_DAYS: int(90, 1, 3650),
  SNAPSHOT_RETENTION_WEEKS: int(52, 0, 520),
  SNAPSHOT_RETENTION_MONTHS: int(0, 0, 1200),
  SCORING_D3FEND_MODE: z
    .enum(['inventory', 'catalog'], { error: 'expected "inventory" or "catalog"' })
    .default('inventory'),
});

/** The env variable of each scoring weight. */
const SCORING_WEIGHT_VARIABLES = {
  tests: 'SCORING_WEIGHT_TESTS',
  rules: 'SCORING_WEIGHT_DETECTION_RULES',
  d3fend: 'SCORING_WEIGHT_D3FEND',
  freshness: 'SCORING_WEIGHT_FRESHNESS',
  platform: 'SCORING_WEIGHT_PLATFORM_DIVERSITY',
} as const satisfies Record<ScoreComponent, keyof typeof EnvSchema.shape>;

/** Freshness is full up to this many days (not set by env); the stale threshold must lie beyond it. */
export const SCORING_GRACE_DAYS = 30;

export type StorageConfig =
  | { driver: 'fs'; dir: string }
  | {
      driver: 's3';
      endpoint: string | undefined;
      region: string;
      bucket: string;
      accessKeyId: string | undefined;
      secretAccessKey: string | undefined;
      forcePathStyle: boolean;
      presignTtlSeconds: number;
    };

export type DbConfig =
  | ({ driver: 'pglite'; dir: string } & EmbeddedDbSettings)
  | { driver: 'postgres'; url: string; poolMax: number; statementCache: number };

export interface Config {
  env: 'development' | 'production';
  isProduction: boolean;
  dataDir: string;
  db: DbConfig;
  secretKey: string | undefined;
  storage: StorageConfig;
  /** `schedules`: per-job cron overrides from JOB_SCHEDULE_<NAME>; null turns a schedule off. */
  jobs: {
    enabled: boolean;
    schedules: Readonly<Record<string, string | null>>;
    /** A `running` import or sync whose heartbeat is older than this was interrupted (server mode). */
    runHeartbeatTimeoutSeconds: number;
  };
  log: { level: (typeof LOG_LEVELS)[number] };
  timezone: string;
  shutdownTimeoutMs: number;
  auth: {
    /** Lifetime of an access token (JWT); browser sessions renew it while in use. */
    accessTokenMinutes: number;
    /** A browser session ends this long after sign-in, however active. */
    sessionMaxHours: number;
    loginRateLimit: number;
    loginRateWindowSeconds: number;
    firstAdmin: { username: string; password: string | undefined; email: string };
  };
  http: {
    host: string;
    port: number;
    trustProxy: boolean;
    corsOrigins: readonly string[];
    bodyLimitBytes: number;
    /** AEGIS_PUBLIC_URL without a trailing slash, if set. */
    publicUrl: string | undefined;
  };
  workflow: {
    /** Automatic re-tests per original test after remediation. */
    maxRetestCount: number;
    evidenceMaxBytes: number;
    notificationRetentionDays: number;
  };
  /**
   * The scoring values env can seed (the rest of the scoring configuration has built-in defaults),
   * and which of them an env variable set, so the config page can say "env" or "default".
   */
  /** Outlier bounds of the time metrics: detection and prevention, remediation and verified fix. */
  metrics: { maxDetectDays: number; maxRemediationDays: number };
  /** Scheduled snapshots kept: every one of `days` days, then weekly for `weeks`, monthly for `months` (0: forever). */
  snapshots: { retention: { days: number; weeks: number; months: number } };
  scoring: {
    weights: Readonly<Record<ScoreComponent, number>>;
    staleDays: number;
    d3fendMode: D3fendMode;
    fromEnv: readonly ScoringConfigField[];
  };
  attack: {
    /** Where the scheduled and on-demand sync reads Enterprise ATT&CK from. */
    syncSource: 'url' | 'taxii';
    bundleUrl: string;
    taxiiUrl: string;
    /** TAXII collection: an id, or a title to search for. */
    taxiiCollection: string;
    uploadLimitBytes: number;
    /**
     * The ATT&CK platforms the organisation tests (`ORG_PLATFORM_SCOPE`), spelt as ATT&CK does;
     * null: every platform of the loaded release but PRE.
     */
    platformScope: readonly string[] | null;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems
        .map((p) => `  - ${p}`)
        .join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

/** Why a production secret is not acceptable, or undefined when it is. */
export function secretKeyWeakness(secret: string | undefined): string | undefined {
  if (!secret) return `required when AEGIS_ENV=production; ${SECRET_KEY_HINT}`;
  if (secret.length < MIN_SECRET_LENGTH)
    return `must be at least ${MIN_SECRET_LENGTH} characters (got ${secret.length}); ${SECRET_KEY_HINT}`;
  if (WEAK_SECRETS.has(secret.toLowerCase()) || new Set(secret).size < 10)
    return `is too predictable (a placeholder or too few distinct characters); ${SECRET_KEY_HINT}`;
  return undefined;
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function parseOrigins(raw: string, problems: string[], isProduction: boolean): string[] {
  const origins: string[] = [];
  for (const part of raw.split(',').map((s) => s.trim())) {
    if (!part) continue;
    if (part === '*') {
      if (isProduction) problems.push('CORS_ORIGINS: "*" is not allowed in production; list the origins');
      else origins.push('*');
      continue;
    }
    try {
      const u = new URL(part);
      if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.origin !== part.replace(/\/$/, ''))
        throw 0;
      origins.push(u.origin);
    } catch {
      problems.push(`CORS_ORIGINS: "${part}" is not an origin like https://aegis.example.com`);
    }
  }
  return origins;
}

/** Comma-separated ATT&CK platform names, any case, each once; spelt back as ATT&CK spells them. */
function parsePlatformScope(raw: string | undefined, problems: string[]): string[] | null {
  if (raw === undefined) return null;
  const known = new Map<string, string>(KNOWN_ATTACK_PLATFORMS.map((p) => [p.toLowerCase(), p]));
  const scope: string[] = [];
  for (const part of raw.split(',').map((s) => s.trim())) {
    if (!part) {
      problems.push(
        'ORG_PLATFORM_SCOPE: has an empty entry (e.g. "Windows,,Linux"); list names separated by commas',
      );
      continue;
    }
    const name = known.get(part.toLowerCase());
    if (!name)
      problems.push(
        `ORG_PLATFORM_SCOPE: "${part}" is not an ATT&CK platform; expected names among ${KNOWN_ATTACK_PLATFORMS.join(', ')}`,
      );
    else if (scope.includes(name)) problems.push(`ORG_PLATFORM_SCOPE: "${name}" is listed twice`);
    else scope.push(name);
  }
  return scope;
}

/** Validates an environment into a frozen Config, or throws ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Readonly<Config> {
  const problems: string[] = [];
  // Each variable is parsed on its own so one bad value does not hide the others, and the checks
  // that span variables (secret in production, S3 settings) still run with defaults in its place.
  const e: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(EnvSchema.shape)) {
    const result = (schema as z.ZodType).safeParse(env[name]);
    if (result.success) {
      e[name] = result.data;
      continue;
    }
    const got = env[name];
    const shown = got === undefined || /SECRET|PASSWORD|ACCESS_KEY/.test(name) ? '' : ` (got "${got}")`;
    for (const issue of result.error.issues)
      problems.push(`${name}: ${issue.message}${issue.message.includes('got "') ? '' : shown}`);
    e[name] = (schema as z.ZodType).safeParse(undefined).data;
  }
  return finish(e as z.infer<typeof EnvSchema>, env, cwd, problems);
}

function finish(
  e: z.infer<typeof EnvSchema>,
  env: Record<string, string | undefined>,
  cwd: string,
  problems: string[],
): Readonly<Config> {
  const isProduction = e.AEGIS_ENV === 'production';
  const dataDir = path.resolve(cwd, e.DATA_DIR);

  if (isProduction) {
    const weakness = secretKeyWeakness(e.SECRET_KEY);
    if (weakness) problems.push(`SECRET_KEY: ${weakness}`);
  }
  if (e.ADMIN_PASSWORD) {
    const broken = brokenPasswordRules(e.ADMIN_PASSWORD);
    if (broken.length > 0) problems.push(`ADMIN_PASSWORD: ${describeBrokenRules(broken)}`);
  }
  if (!isTimeZone(e.AEGIS_TIMEZONE))
    problems.push(`AEGIS_TIMEZONE: "${e.AEGIS_TIMEZONE}" is not an IANA time zone (e.g. UTC, Europe/Madrid)`);

  let db: DbConfig;
  if (e.DATABASE_URL) {
    let ok = false;
    try {
      ok = ['postgres:', 'postgresql:'].includes(new URL(e.DATABASE_URL).protocol);
    } catch {}
    if (!ok) problems.push('DATABASE_URL: expected postgres://user:password@host:5432/database');
    db = {
      driver: 'postgres',
      url: e.DATABASE_URL,
      poolMax: e.DATABASE_POOL_MAX,
      statementCache: e.DATABASE_STATEMENT_CACHE,
    };
  } else {
    db = {
      driver: 'pglite',
      dir: path.join(dataDir, 'db'),
      queueMax: e.EMBEDDED_DB_QUEUE_MAX,
      queueTimeoutMs: e.EMBEDDED_DB_QUEUE_TIMEOUT_SECONDS * 1000,
      sharedBuffersMb: e.EMBEDDED_DB_SHARED_BUFFERS_MB,
    };
  }

  let storage: StorageConfig;
  if (e.STORAGE_DRIVER === 's3') {
    // The seed configured MinIO with MINIO_*; S3_* is the general form and wins when both are set.
    const minioEndpoint = e.MINIO_ENDPOINT
      ? `${e.MINIO_SECURE ? 'https' : 'http'}://${e.MINIO_ENDPOINT.replace(/^https?:\/\//, '')}`
      : undefined;
    const endpoint = e.S3_ENDPOINT ?? minioEndpoint;
    if (endpoint) {
      try {
        const u = new URL(endpoint);
        if (u.protocol !== 'http:' && u.protocol !== 'https:') throw 0;
      } catch {
        problems.push(`S3_ENDPOINT: "${endpoint}" is not an http(s) URL`);
      }
    }
    const bucket = e.S3_BUCKET ?? e.MINIO_BUCKET;
    if (!bucket) problems.push('S3_BUCKET: required when STORAGE_DRIVER=s3');
    const accessKeyId = e.S3_ACCESS_KEY_ID ?? e.MINIO_ACCESS_KEY;
    const secretAccessKey = e.S3_SECRET_ACCESS_KEY ?? e.MINIO_SECRET_KEY;
    if (Boolean(accessKeyId) !== Boolean(secretAccessKey))
      problems.push(
        'S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY: set both or neither (neither uses the AWS credential chain)',
      );
    storage = {
      driver: 's3',
      endpoint,
      region: e.S3_REGION,
      bucket: bucket ?? '',
      accessKeyId,
      secretAccessKey,
      forcePathStyle:
        e.S3_FORCE_PATH_STYLE !== undefined
          ? ['true', '1'].includes(e.S3_FORCE_PATH_STYLE)
          : endpoint !== undefined,
      presignTtlSeconds: e.S3_PRESIGN_TTL_SECONDS,
    };
  } else {
    storage = {
      driver: 'fs',
      dir: e.EVIDENCE_DIR ? path.resolve(cwd, e.EVIDENCE_DIR) : path.join(dataDir, 'evidence'),
    };
  }

  const schedules = parseSchedules(env, problems);
  const corsOrigins = parseOrigins(e.CORS_ORIGINS, problems, isProduction);
  const platformScope = parsePlatformScope(e.ORG_PLATFORM_SCOPE, problems);
  const scoring = scoringSeed(e, env, problems);
  if (problems.length > 0) throw new ConfigError(problems);

  return deepFreeze({
    env: e.AEGIS_ENV,
    isProduction,
    http: {
      host: e.HOST,
      port: e.PORT,
      trustProxy: e.TRUST_PROXY,
      corsOrigins,
      bodyLimitBytes: e.BODY_LIMIT_KB * 1024,
      publicUrl: e.AEGIS_PUBLIC_URL?.replace(/\/+$/, ''),
    },
    dataDir,
    db,
    secretKey: e.SECRET_KEY,
    storage,
    jobs: {
      enabled: e.JOBS_ENABLED,
      schedules,
      runHeartbeatTimeoutSeconds: e.RUN_HEARTBEAT_TIMEOUT_SECONDS,
    },
    log: { level: e.LOG_LEVEL },
    timezone: e.AEGIS_TIMEZONE,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_SECONDS * 1000,
    workflow: {
      maxRetestCount: e.MAX_RETEST_COUNT,
      evidenceMaxBytes: e.EVIDENCE_MAX_MB * 1024 * 1024,
      notificationRetentionDays: e.NOTIFICATION_RETENTION_DAYS,
    },
    scoring,
    metrics: { maxDetectDays: e.METRIC_MAX_DURATION_DAYS, maxRemediationDays: e.METRIC_MAX_REMEDIATION_DAYS },
    snapshots: {
      retention: {
        days: e.SNAPSHOT_RETENTION_DAYS,
        weeks: e.SNAPSHOT_RETENTION_WEEKS,
        months: e.SNAPSHOT_RETENTION_MONTHS,
      },
    },
    attack: {
      syncSource: e.ATTACK_SYNC_SOURCE,
      bundleUrl: e.ATTACK_BUNDLE_URL,
      taxiiUrl: e.ATTACK_TAXII_URL,
      taxiiCollection: e.ATTACK_TAXII_COLLECTION,
      uploadLimitBytes: e.IMPORT_UPLOAD_LIMIT_MB * 1024 * 1024,
      platformScope,
    },
    auth: {
      accessTokenMinutes: e.ACCESS_TOKEN_EXPIRE_MINUTES,
      sessionMaxHours: e.SESSION_MAX_HOURS,
      loginRateLimit: e.LOGIN_RATE_LIMIT,
      loginRateWindowSeconds: e.LOGIN_RATE_WINDOW_SECONDS,
      firstAdmin: {
        username: e.ADMIN_USERNAME,
        password: e.ADMIN_PASSWORD,
        email: e.ADMIN_EMAIL ?? `${e.ADMIN_USERNAME}@aegis.local`,
      },
    },
  });
}

function scoringSeed(
  e: z.infer<typeof EnvSchema>,
  env: Record<string, string | undefined>,
  problems: string[],
): Config['scoring'] {
  const weights = {} as Record<ScoreComponent, number>;
  const fromEnv: ScoringConfigField[] = [];
  const isSet = (name: string) => (env[name] ?? '').trim() !== '';
  for (const component of SCORE_COMPONENTS) {
    const name = SCORING_WEIGHT_VARIABLES[component];
    weights[component] = e[name];
    if (isSet(name)) fromEnv.push(`weights.${component}`);
  }
  if (Object.values(weights).every((w) => w === 0))
    problems.push(
      `${Object.values(SCORING_WEIGHT_VARIABLES).join(', ')}: all are 0; at least one weight must be above 0`,
    );
  if (e.STALE_THRESHOLD_DAYS <= SCORING_GRACE_DAYS)
    problems.push(
      `STALE_THRESHOLD_DAYS: must be more than the ${SCORING_GRACE_DAYS}-day freshness grace period (got ${e.STALE_THRESHOLD_DAYS})`,
    );
  if (isSet('STALE_THRESHOLD_DAYS')) fromEnv.push('staleDays');
  if (isSet('SCORING_D3FEND_MODE')) fromEnv.push('d3fendMode');
  return { weights, staleDays: e.STALE_THRESHOLD_DAYS, d3fendMode: e.SCORING_D3FEND_MODE, fromEnv };
}

export const JOB_SCHEDULE_PREFIX = 'JOB_SCHEDULE_';

/** The env name that overrides a job's schedule: `attack.sync` → `JOB_SCHEDULE_ATTACK_SYNC`. */
export function jobScheduleVariable(jobName: string): string {
  return JOB_SCHEDULE_PREFIX + jobName.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

function parseSchedules(
  env: Record<string, string | undefined>,
  problems: string[],
): Record<string, string | null> {
  const schedules: Record<string, string | null> = {};
  // The spec's name for the snapshot schedule; JOB_SCHEDULE_SNAPSHOTS_TAKE wins when both are set.
  const aliases: Record<string, string> = { SNAPSHOT_CRON: jobScheduleVariable('snapshots.take') };
  const entries = Object.entries(env).flatMap(
    ([name, raw]): Array<[variable: string, raw: string | undefined, label: string]> => {
      const target = aliases[name];
      if (!target) return [[name, raw, name]];
      return env[target] === undefined ? [[target, raw, name]] : [];
    },
  );
  for (const [name, raw, label] of entries) {
    if (!name.startsWith(JOB_SCHEDULE_PREFIX) || raw === undefined) continue;
    const value = raw.trim();
    if (value === 'off' || value === '') {
      schedules[name] = null;
      continue;
    }
    try {
      CronExpressionParser.parse(value, { strict: false });
      schedules[name] = value;
    } catch {
      problems.push(`${label}: "${value}" is not a cron expression (e.g. "0 3 * * *") or "off"`);
    }
  }
  return schedules;
}

/** Reads `.env` from the working directory (if present; real env vars win), then the environment. */
export function readConfig(): Readonly<Config> {
  const envFile = path.resolve('.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  return loadConfig(process.env);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
