import type { Health, HealthCheck, ScheduledJobStatus, SchedulerStatus } from '@aegis/contracts';
import { secondaryButton } from '../../../components/buttons';
import { type Column, DataTable } from '../../../components/DataTable';
import { PageHeader } from '../../../components/Feedback';
import { QueryView } from '../../../components/QueryView';
import { Card, formatDateTime } from '../../test-cases/components/ui';
import { STATUS_POLL_MS, useHealth, useScheduler } from '../api';
import { AdminOnly, formatDuration, StatusBadge } from '../components/ui';
import { describeSchedule, formatRelative, formatUptime, lastRunStatus } from '../scheduler';

export function StatusPage() {
  return (
    <AdminOnly>
      <Status />
    </AdminOnly>
  );
}

const checkNames: Record<keyof Health['checks'], string> = {
  db: 'Database',
  storage: 'Evidence storage',
  jobs: 'Job scheduler',
};

function Status() {
  const health = useHealth();
  const scheduler = useScheduler();
  const updatedAt = Math.max(health.dataUpdatedAt, scheduler.dataUpdatedAt);
  const fetching = health.isFetching || scheduler.isFetching;

  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-4">
      <PageHeader title="System status">
        <div className="flex items-center gap-3 text-xs text-slate-500">
          <span className="tabular-nums">
            {updatedAt > 0 ? `Updated ${new Date(updatedAt).toLocaleTimeString()}` : 'Loading…'} · refreshes
            every {STATUS_POLL_MS / 1000} s
          </span>
          <button
            type="button"
            className={secondaryButton}
            disabled={fetching}
            onClick={() => {
              void health.refetch();
              void scheduler.refetch();
            }}
          >
            {fetching ? 'Refreshing…' : 'Refresh now'}
          </button>
        </div>
      </PageHeader>

      <Card title="Health" labelId="health-title">
        <QueryView query={health} loading="Checking health…" failed="The health check could not be loaded.">
          {(h) => <HealthView health={h} />}
        </QueryView>
      </Card>

      <Card title="Background jobs" labelId="jobs-title">
        <QueryView
          query={scheduler}
          loading="Loading the scheduler…"
          failed="The scheduler status could not be loaded."
        >
          {(s) => <JobsView scheduler={s} now={updatedAt || Date.now()} />}
        </QueryView>
      </Card>
    </div>
  );
}

function HealthView({ health }: { health: Health }) {
  const checks = Object.entries(health.checks) as [keyof Health['checks'], HealthCheck][];
  return (
    <div className="flex flex-col gap-3">
      <dl className="flex flex-wrap items-center gap-x-6 gap-y-1 text-sm">
        <div className="flex items-center gap-2">
          <dt className="text-slate-500">Overall</dt>
          <dd>
            <StatusBadge status={health.status} />
          </dd>
        </div>
        <div className="flex gap-2">
          <dt className="text-slate-500">Version</dt>
          <dd className="font-mono text-xs leading-5">{health.version}</dd>
        </div>
        <div className="flex gap-2">
          <dt className="text-slate-500">Mode</dt>
          <dd>{health.mode === 'embedded' ? 'embedded (PGlite, local folder)' : 'server'}</dd>
        </div>
        <div className="flex gap-2">
          <dt className="text-slate-500">Up for</dt>
          <dd className="tabular-nums">{formatUptime(health.uptimeSeconds)}</dd>
        </div>
      </dl>
      <ul className="grid gap-3 md:grid-cols-3" aria-label="Health checks">
        {checks.map(([key, check]) => (
          <li
            key={key}
            data-testid="health-check"
            className="flex flex-col gap-1 rounded-md border border-slate-200 px-3 py-2 text-sm"
          >
            <div className="flex items-center justify-between gap-2">
              <span className="font-medium text-slate-800">{checkNames[key] ?? key}</span>
              <StatusBadge status={check.status} />
            </div>
            <span className="text-xs text-slate-500">
              answered in <span className="tabular-nums">{check.latencyMs.toFixed(1)} ms</span>
            </span>
            {check.detail && <span className="break-words text-xs text-slate-600">{check.detail}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}

function jobColumns(now: number): Column<ScheduledJobStatus>[] {
  return [
    {
      header: 'Job',
      cell: (job) => (
        <>
          <span className="font-mono text-xs font-medium text-slate-800">{job.name}</span>
          <span className="block text-xs text-slate-500">{job.description}</span>
        </>
      ),
    },
    {
      header: 'Schedule',
      className: 'whitespace-nowrap',
      cell: (job) => {
        const schedule = describeSchedule(job);
        return schedule === 'off' ? (
          <span data-testid="job-schedule" className="text-slate-500">
            off
          </span>
        ) : (
          <>
            <span data-testid="job-schedule">{schedule}</span>
            {job.cron && schedule !== job.cron && (
              <span className="block font-mono text-xs text-slate-500">{job.cron}</span>
            )}
          </>
        );
      },
    },
    {
      header: 'Next run',
      className: 'whitespace-nowrap',
      cell: (job) =>
        job.nextRunAt ? (
          <>
            {formatDateTime(job.nextRunAt)}
            <span className="block text-xs text-slate-500">{formatRelative(job.nextRunAt, now)}</span>
          </>
        ) : (
          <span className="text-slate-500">—</span>
        ),
    },
    {
      header: 'Last run',
      className: 'whitespace-nowrap',
      cell: (job) => (
        <>
          <StatusBadge status={lastRunStatus(job)} />
          {job.lastRun && (
            <span className="block text-xs text-slate-500">
              {formatDateTime(job.lastRun.startedAt)} ({formatRelative(job.lastRun.startedAt, now)})
            </span>
          )}
        </>
      ),
    },
    {
      header: 'Duration',
      className: 'whitespace-nowrap text-slate-600',
      cell: (job) => (job.lastRun ? formatDuration(job.lastRun.durationMs) : '—'),
    },
    {
      header: 'Last error',
      className: 'max-w-xs',
      cell: (job) =>
        job.lastRun?.error ? (
          <span className="line-clamp-3 break-words text-xs text-red-700" title={job.lastRun.error}>
            {job.lastRun.error}
          </span>
        ) : (
          <span className="text-slate-500">—</span>
        ),
    },
  ];
}

function JobsView({ scheduler, now }: { scheduler: SchedulerStatus; now: number }) {
  return (
    <div className="flex flex-col gap-3">
      <p className="text-sm text-slate-600">
        {scheduler.running ? (
          'The scheduler is running'
        ) : (
          <span className="font-medium text-red-700">The scheduler is not running</span>
        )}{' '}
        on instance <span className="font-mono text-xs">{scheduler.instanceId}</span>. Schedules are in{' '}
        {scheduler.timezone}; times below are in your browser's time zone. A schedule is turned off with{' '}
        <span className="font-mono text-xs">JOB_SCHEDULE_&lt;NAME&gt;=off</span>.
      </p>
      {scheduler.jobs.length === 0 ? (
        <p className="text-sm text-slate-500">No job is registered.</p>
      ) : (
        <DataTable
          columns={jobColumns(now)}
          rows={scheduler.jobs}
          rowKey={(job) => job.name}
          rowTestId="job-row"
        />
      )}
    </div>
  );
}
