import { ROLE_GROUPS, type Role } from '@aegis/contracts/roles';
import type { ReactNode } from 'react';
import { hasRole, useUser } from '../../../app/auth';
import { ErrorMessage } from '../../../components/Feedback';

export const ADMIN: readonly Role[] = ROLE_GROUPS.admins;

/** The admin pages render nothing else for other roles (the API would refuse anyway). */
export function AdminOnly({ children }: { children: ReactNode }) {
  const user = useUser();
  if (!hasRole(user, ADMIN)) return <ErrorMessage message="Only admins can open this page." />;
  return <>{children}</>;
}

/** A labelled progress bar for a run's `{phase, done, total}` (indeterminate while the total is unknown). */
export function RunProgress({
  progress,
  label,
}: {
  progress: { phase: string; done: number; total: number } | null;
  label: string;
}) {
  const total = progress?.total ?? 0;
  const pct = total > 0 ? Math.min(100, Math.round(((progress?.done ?? 0) / total) * 100)) : undefined;
  return (
    <div className="flex min-w-48 flex-col gap-1">
      <div className="flex justify-between text-xs text-slate-600">
        <span data-testid="run-phase">{progress?.phase ?? 'queued'}</span>
        {pct !== undefined && (
          <span>
            {progress?.done}/{total} ({pct}%)
          </span>
        )}
      </div>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-valuetext={pct === undefined ? (progress?.phase ?? 'queued') : `${progress?.phase}: ${pct}%`}
        className="h-2 overflow-hidden rounded-full bg-slate-200"
      >
        <div
          className={`h-full bg-sky-600 transition-all ${pct === undefined ? 'w-1/3 animate-pulse' : ''}`}
          style={pct === undefined ? undefined : { width: `${pct}%` }}
        />
      </div>
    </div>
  );
}

const statusStyles: Record<string, string> = {
  queued: 'bg-slate-100 text-slate-700',
  running: 'bg-sky-100 text-sky-800',
  succeeded: 'bg-emerald-100 text-emerald-800',
  failed: 'bg-red-100 text-red-800',
  never: 'bg-slate-100 text-slate-600',
  // Scheduler jobs and health checks.
  completed: 'bg-emerald-100 text-emerald-800',
  ok: 'bg-emerald-100 text-emerald-800',
  degraded: 'bg-amber-100 text-amber-800',
  down: 'bg-red-100 text-red-800',
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <span
      data-testid="run-status"
      className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ${statusStyles[status] ?? statusStyles.never}`}
    >
      {status}
    </span>
  );
}

/** Compact, single-line JSON (for audit summaries and the like). */
export function compactJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return String(value);
  }
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}
