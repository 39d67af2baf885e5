import type { ImportRun } from '@aegis/contracts';
import { Link, useParams } from '@tanstack/react-router';
import { describeError } from '../../../app/api';
import { ErrorMessage, PageHeader, Spinner } from '../../../components/Feedback';
import { Card, formatDateTime } from '../../test-cases/components/ui';
import { isActive, useImportRun } from '../api';
import { AdminOnly, compactJson, formatDuration, RunProgress, StatusBadge } from '../components/ui';

interface Ref {
  stixId?: string;
  attackId?: string | null;
  name?: string;
}
type DiffEntry = Ref & { from?: unknown; to?: unknown; fromAttackId?: string | null; by?: Ref | null };

const techniqueLists: { key: string; label: string }[] = [
  { key: 'added', label: 'Techniques added' },
  { key: 'renamed', label: 'Techniques renamed' },
  { key: 'moved', label: 'Techniques moved between tactics' },
  { key: 'descriptionChanged', label: 'Techniques re-described' },
  { key: 'platformsChanged', label: 'Platforms changed' },
  { key: 'deprecated', label: 'Techniques deprecated' },
  { key: 'revoked', label: 'Techniques revoked' },
  { key: 'removed', label: 'Techniques removed' },
];
const tacticLists: { key: string; label: string }[] = [
  { key: 'added', label: 'Tactics added' },
  { key: 'renamed', label: 'Tactics renamed' },
  { key: 'deprecated', label: 'Tactics deprecated' },
  { key: 'revoked', label: 'Tactics revoked' },
];

const asRecord = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const asEntries = (v: unknown): DiffEntry[] => (Array.isArray(v) ? (v as DiffEntry[]) : []);
const refLabel = (r: Ref | null | undefined): string =>
  r ? [r.attackId, r.name].filter(Boolean).join(' ') || (r.stixId ?? '?') : '?';
const listText = (v: unknown): string => (Array.isArray(v) ? v.join(', ') || '—' : String(v ?? '—'));

/** One line per change, saying what it was before where the diff knows. */
export function describeDiffEntry(kind: string, e: DiffEntry): string {
  const label = refLabel(e);
  switch (kind) {
    case 'renamed':
      return `${label} (was ${[e.fromAttackId, e.from].filter(Boolean).join(' ')})`;
    case 'moved':
    case 'platformsChanged':
      return `${label}: ${listText(e.from)} → ${listText(e.to)}`;
    case 'revoked':
      return e.by ? `${label} → ${refLabel(e.by)}` : label;
    default:
      return label;
  }
}

export function ImportRunPage() {
  return (
    <AdminOnly>
      <ImportRunDetail />
    </AdminOnly>
  );
}

function ImportRunDetail() {
  const { id } = useParams({ from: '/app/system/import-runs/$id' });
  const run = useImportRun(id);

  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-4">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
        <Link to="/system/import-runs" className="text-sky-700 hover:underline">
          Import runs
        </Link>
      </nav>
      {run.isPending ? (
        <Spinner label="Loading the run…" />
      ) : run.isError ? (
        <ErrorMessage
          title="The run could not be loaded."
          message={describeError(run.error)}
          onRetry={() => void run.refetch()}
        />
      ) : (
        <RunView run={run.data} />
      )}
    </div>
  );
}

function RunView({ run }: { run: ImportRun }) {
  const counts = asRecord(run.counts);
  const byType = asRecord(counts.byType);
  const diff = asRecord(run.diff);
  const techniques = asRecord(diff.techniques);
  const tactics = asRecord(diff.tactics);
  const otherCounts = Object.entries(counts).filter(([key]) => key !== 'byType' && key !== 'found');
  const lists = [
    ...techniqueLists.map((l) => ({ ...l, kind: l.key, items: asEntries(techniques[l.key]) })),
    ...tacticLists.map((l) => ({ ...l, kind: l.key, items: asEntries(tactics[l.key]) })),
  ].filter((l) => l.items.length > 0);

  return (
    <>
      <PageHeader title={`ATT&CK import${run.release ? ` — release ${run.release}` : ''}`}>
        <StatusBadge status={run.status} />
      </PageHeader>
      {isActive(run.status) && (
        <div className="rounded-lg border border-sky-200 bg-sky-50 p-4" aria-live="polite">
          <RunProgress progress={run.progress} label="Import progress" />
        </div>
      )}
      <Card title="Run">
        <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2 lg:grid-cols-3">
          {[
            ['Source', `${run.sourceType}: ${run.source}`],
            ['Domain', run.domain ?? '—'],
            ['Release', run.release ?? '—'],
            ['Queued', formatDateTime(run.createdAt)],
            ['Started', formatDateTime(run.startedAt)],
            ['Finished', formatDateTime(run.finishedAt)],
            ['Duration', formatDuration(run.durationMs)],
          ].map(([term, value]) => (
            <div key={term}>
              <dt className="text-xs text-slate-500">{term}</dt>
              <dd className="break-all text-slate-800">{value}</dd>
            </div>
          ))}
        </dl>
      </Card>

      {run.errors.length > 0 && (
        <Card title={`Errors (${run.errors.length})`}>
          <ul className="flex flex-col gap-1 text-sm text-red-800">
            {run.errors.map((e, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: messages may repeat; the list never reorders.
              <li key={i} className="font-mono text-xs">
                {e}
              </li>
            ))}
          </ul>
        </Card>
      )}

      {Object.keys(byType).length > 0 && (
        <Card title="Counts by type">
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="text-xs text-slate-500">
                <tr>
                  <th className="py-1 pr-3 font-medium">Type</th>
                  <th className="px-3 py-1 text-right font-medium">Added</th>
                  <th className="px-3 py-1 text-right font-medium">Changed</th>
                  <th className="px-3 py-1 text-right font-medium">Unchanged</th>
                  <th className="px-3 py-1 text-right font-medium">Removed</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(byType).map(([type, c]) => {
                  const row = asRecord(c);
                  return (
                    <tr key={type} className="border-t border-slate-100">
                      <td className="py-1 pr-3 font-mono text-xs">{type}</td>
                      {['added', 'changed', 'unchanged', 'removed'].map((k) => (
                        <td key={k} className="px-3 py-1 text-right tabular-nums">
                          {String(row[k] ?? 0)}
                        </td>
                      ))}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {otherCounts.length > 0 && (
            <dl className="mt-3 flex flex-wrap gap-x-6 gap-y-1 text-sm">
              {otherCounts.map(([key, value]) => (
                <div key={key} className="flex gap-1">
                  <dt className="text-slate-500">{key}:</dt>
                  <dd className="font-mono text-xs leading-5">{compactJson(value)}</dd>
                </div>
              ))}
            </dl>
          )}
        </Card>
      )}

      {run.diff && (
        <Card title="Changes in this release">
          {counts.unchanged === true ? (
            <p className="text-sm text-slate-600">
              No changes: the bundle matches the stored {run.domain ?? 'ATT&CK'} data exactly, so nothing was
              written.
            </p>
          ) : lists.length === 0 ? (
            <p className="text-sm text-slate-500">No technique or tactic changed.</p>
          ) : (
            <div className="flex flex-col gap-2">
              {lists.map((l) => (
                <details
                  key={l.label}
                  className="rounded-md border border-slate-200 px-3 py-2"
                  open={l.items.length <= 20}
                >
                  <summary className="cursor-pointer text-sm font-medium text-slate-800">
                    {l.label} ({l.items.length})
                  </summary>
                  <ul className="mt-2 grid gap-0.5 text-sm text-slate-700 md:grid-cols-2">
                    {l.items.map((e, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: entries are static for a finished run.
                      <li key={i}>{describeDiffEntry(l.kind, e)}</li>
                    ))}
                  </ul>
                </details>
              ))}
            </div>
          )}
        </Card>
      )}
    </>
  );
}
