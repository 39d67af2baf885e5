import { z } from 'zod';

export const ComponentStatus = z.enum(['ok', 'degraded', 'down']);
export type ComponentStatus = z.infer<typeof ComponentStatus>;

export const HealthCheck = z.object({
  status: ComponentStatus,
  latencyMs: z.number().min(0),
  detail: z.string().optional(),
});
export type HealthCheck = z.infer<typeof HealthCheck>;

export const RunMode = z.enum(['embedded', 'server']);
export type RunMode = z.infer<typeof RunMode>;

/** What `GET /health` tells anyone: the overall status, for load balancers and uptime probes. */
export const HealthSummary = z.object({ status: ComponentStatus });
export type HealthSummary = z.infer<typeof HealthSummary>;

/** What `GET /health` tells an admin: version, run mode, uptime and each check (the status page). */
export const Health = HealthSummary.extend({
  version: z.string(),
  mode: RunMode,
  uptimeSeconds: z.number().min(0),
  checks: z.object({
    db: HealthCheck,
    storage: HealthCheck,
    jobs: HealthCheck,
  }),
});
export type Health = z.infer<typeof Health>;

export const JobRunState = z.enum(['running', 'completed', 'failed']);
export type JobRunState = z.infer<typeof JobRunState>;

/** One named job as the scheduler sees it (for the system page). */
export const ScheduledJobStatus = z.object({
  name: z.string(),
  description: z.string(),
  cron: z.string().nullable(),
  enabled: z.boolean(),
  /** Run only when asked (a sync button, an import): it has no schedule of its own to turn off. */
  onDemand: z.boolean(),
  nextRunAt: z.iso.datetime().nullable(),
  lastRun: z
    .object({
      state: JobRunState,
      startedAt: z.iso.datetime(),
      finishedAt: z.iso.datetime().nullable(),
      durationMs: z.number().int().nullable(),
      error: z.string().nullable(),
      instanceId: z.string(),
    })
    .nullable(),
});
export type ScheduledJobStatus = z.infer<typeof ScheduledJobStatus>;

export const SchedulerStatus = z.object({
  running: z.boolean(),
  instanceId: z.string(),
  timezone: z.string(),
  jobs: z.array(ScheduledJobStatus),
});
export type SchedulerStatus = z.infer<typeof SchedulerStatus>;
