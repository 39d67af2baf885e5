import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_SECRET } from '../../../test/support';
import { ConfigError, jobScheduleVariable, loadConfig, secretKeyWeakness } from './index';

const STRONG = TEST_SECRET;

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, '/srv/aegis');
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  return [];
}

describe('loadConfig', () => {
  it('gives the embedded defaults on an empty environment', () => {
    const c = loadConfig({}, '/srv/aegis');
    expect(c.env).toBe('development');
    expect(c.http).toEqual({
      host: '127.0.0.1',
      port: 8000,
      trustProxy: false,
      corsOrigins: [],
      bodyLimitBytes: 1024 * 1024,
    });
    expect(c.auth).toEqual({
      accessTokenMinutes: 15,
      sessionMaxHours: 12,
      loginRateLimit: 5,
      loginRateWindowSeconds: 60,
      firstAdmin: { username: 'admin', password: undefined, email: 'admin@aegis.local' },
    });
    expect(c.dataDir).toBe(path.resolve('/srv/aegis/data'));
    expect(c.db).toEqual({
      driver: 'pglite',
      dir: path.resolve('/srv/aegis/data/db'),
      queueMax: 64,
      queueTimeoutMs: 10_000,
      sharedBuffersMb: 16,
    });
    expect(c.storage).toEqual({ driver: 'fs', dir: path.resolve('/srv/aegis/data/evidence') });
    expect(c.log.level).toBe('info');
    expect(c.timezone).toBe('UTC');
    expect(c.jobs).toEqual({ enabled: true, schedules: {}, runHeartbeatTimeoutSeconds: 120 });
  });

  it('reads the platform scope: unset is the default (null), names are spelt as ATT&CK does', () => {
    expect(loadConfig({}, '/srv/aegis').attack.platformScope).toBeNull();
    expect(loadConfig({ ORG_PLATFORM_SCOPE: '' }, '/srv/aegis').attack.platformScope).toBeNull();
    expect(
      loadConfig({ ORG_PLATFORM_SCOPE: ' windows,MACOS , identity provider' }, '/srv/aegis').attack
        .platformScope,
    ).toEqual(['Windows', 'macOS', 'Identity Provider']);
    expect(problemsOf({ ORG_PLATFORM_SCOPE: 'Linux,Solaris' })).toEqual([
      expect.stringMatching(
        /^ORG_PLATFORM_SCOPE: "Solaris" is not an ATT&CK platform; expected names among /,
      ),
    ]);
  });

  it('is frozen all the way down', () => {
    const c = loadConfig({ CORS_ORIGINS: 'http://localhost:5173' });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.http)).toBe(true);
    expect(Object.isFrozen(c.http.corsOrigins)).toBe(true);
    expect(() => {
      (c.http as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('lists every problem at once', () => {
    const problems = problemsOf({
      PORT: 'abc',
      AEGIS_ENV: 'production',
      LOG_LEVEL: 'loud',
      STORAGE_DRIVER: 'ftp',
    });
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/PORT: .*"abc"/);
    expect(problems.join('\n')).toMatch(/LOG_LEVEL/);
    expect(problems.join('\n')).toMatch(/STORAGE_DRIVER/);
    // The secret is checked together with the others, not after they are fixed.
    expect(problemsOf({ PORT: 'abc', AEGIS_ENV: 'production' }).join('\n')).toMatch(/PORT[\s\S]*/);
  });

  it('reports field problems and production-secret problems together', () => {
    const problems = problemsOf({
      AEGIS_ENV: 'production',
      DATABASE_URL: 'mysql://x',
      AEGIS_TIMEZONE: 'Mars/Base',
    });
    expect(
      problems.some((p) => p.startsWith('SECRET_KEY: required') && p.includes('openssl rand -hex 32')),
    ).toBe(true);
    expect(problems.some((p) => p.startsWith('DATABASE_URL'))).toBe(true);
    expect(problems.some((p) => p.startsWith('AEGIS_TIMEZONE'))).toBe(true);
  });

  it.each([
    ['out of range port', { PORT: '70000' }, /PORT/],
    ['negative port', { PORT: '-1' }, /PORT/],
    ['non-integer port', { PORT: '80.5' }, /PORT/],
    ['bad boolean', { JOBS_ENABLED: 'maybe' }, /JOBS_ENABLED/],
    ['bad env', { AEGIS_ENV: 'staging' }, /AEGIS_ENV/],
    ['bad CORS origin', { CORS_ORIGINS: 'localhost:5173' }, /CORS_ORIGINS/],
    ['CORS origin with a path', { CORS_ORIGINS: 'https://a.example/app' }, /CORS_ORIGINS/],
    ['a weak ADMIN_PASSWORD', { ADMIN_PASSWORD: 'password' }, /ADMIN_PASSWORD: Password needs/],
    ['a bad ADMIN_USERNAME', { ADMIN_USERNAME: 'Bad Name!' }, /ADMIN_USERNAME/],
    ['zero token lifetime', { ACCESS_TOKEN_EXPIRE_MINUTES: '0' }, /ACCESS_TOKEN_EXPIRE_MINUTES/],
    ['bad cron', { JOB_SCHEDULE_ATTACK_SYNC: 'every day' }, /JOB_SCHEDULE_ATTACK_SYNC/],
    [
      'a heartbeat timeout shorter than three heartbeats',
      { RUN_HEARTBEAT_TIMEOUT_SECONDS: '30' },
      /RUN_HEARTBEAT_TIMEOUT_SECONDS/,
    ],
  ])('rejects %s', (_name, env, pattern) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(pattern);
  });

  it('accepts a strong production secret and refuses weak ones', () => {
    expect(loadConfig({ AEGIS_ENV: 'production', SECRET_KEY: STRONG }).isProduction).toBe(true);
    expect(secretKeyWeakness(undefined)).toMatch(/required/);
    expect(secretKeyWeakness('short')).toMatch(/at least 32/);
    expect(secretKeyWeakness('a'.repeat(40))).toMatch(/predictable/);
    expect(secretKeyWeakness(STRONG)).toBeUndefined();
  });

  it('refuses a wildcard CORS origin in production only', () => {
    expect(loadConfig({ CORS_ORIGINS: '*' }).http.corsOrigins).toEqual(['*']);
    expect(problemsOf({ AEGIS_ENV: 'production', SECRET_KEY: STRONG, CORS_ORIGINS: '*' })[0]).toMatch(
      /CORS_ORIGINS/,
    );
    expect(
      loadConfig({ CORS_ORIGINS: 'https://a.example, http://localhost:5173/' }).http.corsOrigins,
    ).toEqual(['https://a.example', 'http://localhost:5173']);
  });

  it('selects PostgreSQL when DATABASE_URL is set', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/aegis', DATABASE_POOL_MAX: '20' });
    expect(c.db).toEqual({
      driver: 'postgres',
      url: 'postgres://u:p@db:5432/aegis',
      poolMax: 20,
      statementCache: 500,
    });
  });

  it('reads the embedded database limits, and names each one out of range', () => {
    const c = loadConfig({
      EMBEDDED_DB_QUEUE_MAX: '8',
      EMBEDDED_DB_QUEUE_TIMEOUT_SECONDS: '3',
      EMBEDDED_DB_SHARED_BUFFERS_MB: '32',
    });
    expect(c.db).toMatchObject({ driver: 'pglite', queueMax: 8, queueTimeoutMs: 3000, sharedBuffersMb: 32 });
    const problems = problemsOf({
      EMBEDDED_DB_QUEUE_MAX: '0',
      EMBEDDED_DB_QUEUE_TIMEOUT_SECONDS: 'soon',
      EMBEDDED_DB_SHARED_BUFFERS_MB: '0.5',
    }).join('\n');
    expect(problems).toMatch(/EMBEDDED_DB_QUEUE_MAX: .*"0"/);
    expect(problems).toMatch(/EMBEDDED_DB_QUEUE_TIMEOUT_SECONDS: .*"soon"/);
    expect(problems).toMatch(/EMBEDDED_DB_SHARED_BUFFERS_MB: .*"0.5"/);
  });

  it('maps the seed MINIO_* settings onto the S3 driver, with S3_* winning', () => {
    const c = loadConfig({
      STORAGE_DRIVER: 's3',
      MINIO_ENDPOINT: 'minio:9000',
      MINIO_ACCESS_KEY: 'ak',
      MINIO_SECRET_KEY: 'sk',
      MINIO_BUCKET: 'evidence',
      MINIO_SECURE: 'true',
    });
    expect(c.storage).toMatchObject({
      driver: 's3',
      endpoint: 'https://minio:9000',
      bucket: 'evidence',
      accessKeyId: 'ak',
      secretAccessKey: 'sk',
      forcePathStyle: true,
    });
    const aws = loadConfig({
      STORAGE_DRIVER: 's3',
      S3_BUCKET: 'b',
      MINIO_BUCKET: 'ignored',
      S3_REGION: 'eu-west-1',
    });
    expect(aws.storage).toMatchObject({
      bucket: 'b',
      endpoint: undefined,
      forcePathStyle: false,
      region: 'eu-west-1',
    });
  });

  it('requires a bucket and paired credentials for S3', () => {
    const problems = problemsOf({ STORAGE_DRIVER: 's3', S3_ACCESS_KEY_ID: 'only-half' });
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/S3_BUCKET/);
    expect(problems.join('\n')).toMatch(/set both or neither/);
  });

  it('reads job schedule overrides, "off" turning one off', () => {
    const c = loadConfig({
      JOB_SCHEDULE_ATTACK_SYNC: '0 4 * * *',
      JOB_SCHEDULE_SYSTEM_JOB_RUNS_CLEANUP: 'off',
    });
    expect(c.jobs.schedules).toEqual({
      JOB_SCHEDULE_ATTACK_SYNC: '0 4 * * *',
      JOB_SCHEDULE_SYSTEM_JOB_RUNS_CLEANUP: null,
    });
    expect(jobScheduleVariable('system.job-runs-cleanup')).toBe('JOB_SCHEDULE_SYSTEM_JOB_RUNS_CLEANUP');
  });

  it('reads SNAPSHOT_CRON as the schedule of the snapshot job; the JOB_SCHEDULE_ name wins; retention from env', () => {
    expect(loadConfig({ SNAPSHOT_CRON: '30 2 * * *' }).jobs.schedules).toEqual({
      JOB_SCHEDULE_SNAPSHOTS_TAKE: '30 2 * * *',
    });
    expect(
      loadConfig({ SNAPSHOT_CRON: '30 2 * * *', JOB_SCHEDULE_SNAPSHOTS_TAKE: 'off' }).jobs.schedules,
    ).toEqual({ JOB_SCHEDULE_SNAPSHOTS_TAKE: null });
    expect(problemsOf({ SNAPSHOT_CRON: 'nightly' }).join('\n')).toMatch(/SNAPSHOT_CRON/);
    expect(loadConfig({}).snapshots.retention).toEqual({ days: 90, weeks: 52, months: 0 });
    expect(loadConfig({ SNAPSHOT_RETENTION_MONTHS: '36' }).snapshots.retention.months).toBe(36);
    expect(problemsOf({ SNAPSHOT_RETENTION_DAYS: '0' }).join('\n')).toMatch(/SNAPSHOT_RETENTION_DAYS/);
  });

  it('never echoes secret values in problems', () => {
    const problems = problemsOf({ AEGIS_ENV: 'production', SECRET_KEY: 'hunter2hunter2' });
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('seeds scoring from the seed’s defaults, and says which values env set', () => {
    expect(loadConfig({}).scoring).toEqual({
      weights: { tests: 40, rules: 20, d3fend: 15, freshness: 15, platform: 10 },
      staleDays: 365,
      d3fendMode: 'inventory',
      fromEnv: [],
    });
    const c = loadConfig({
      SCORING_WEIGHT_TESTS: '50',
      SCORING_WEIGHT_DETECTION_RULES: '0',
      SCORING_WEIGHT_PLATFORM_DIVERSITY: ' ',
      STALE_THRESHOLD_DAYS: '180',
      SCORING_D3FEND_MODE: 'catalog',
    });
    expect(c.scoring).toEqual({
      weights: { tests: 50, rules: 0, d3fend: 15, freshness: 15, platform: 10 },
      staleDays: 180,
      d3fendMode: 'catalog',
      fromEnv: ['weights.tests', 'weights.rules', 'staleDays', 'd3fendMode'],
    });
  });

  it('names each bad scoring variable, and the rules that span them', () => {
    expect(
      problemsOf({
        SCORING_WEIGHT_TESTS: '-1',
        SCORING_WEIGHT_D3FEND: '15.5',
        SCORING_WEIGHT_FRESHNESS: '101',
        SCORING_D3FEND_MODE: 'both',
      }),
    ).toEqual([
      'SCORING_WEIGHT_TESTS: expected a whole number from 0 to 100, got "-1"',
      'SCORING_WEIGHT_D3FEND: expected a whole number from 0 to 100, got "15.5"',
      'SCORING_WEIGHT_FRESHNESS: expected a whole number from 0 to 100, got "101"',
      'SCORING_D3FEND_MODE: expected "inventory" or "catalog" (got "both")',
    ]);
    expect(
      problemsOf({
        SCORING_WEIGHT_TESTS: '0',
        SCORING_WEIGHT_DETECTION_RULES: '0',
        SCORING_WEIGHT_D3FEND: '0',
        SCORING_WEIGHT_FRESHNESS: '0',
        SCORING_WEIGHT_PLATFORM_DIVERSITY: '0',
        STALE_THRESHOLD_DAYS: '30',
      }),
    ).toEqual([
      'SCORING_WEIGHT_TESTS, SCORING_WEIGHT_DETECTION_RULES, SCORING_WEIGHT_D3FEND, SCORING_WEIGHT_FRESHNESS, SCORING_WEIGHT_PLATFORM_DIVERSITY: all are 0; at least one weight must be above 0',
      'STALE_THRESHOLD_DAYS: must be more than the 30-day freshness grace period (got 30)',
    ]);
    expect(problemsOf({ STALE_THRESHOLD_DAYS: '31' })).toEqual([]);
  });
});
