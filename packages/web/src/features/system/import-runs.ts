import type { ImportRun } from '@aegis/contracts';

type Counts = { added?: unknown; changed?: unknown; removed?: unknown };

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * One line for a run in the list: what it changed (summed over STIX types), or why it failed.
 * `counts.unchanged` is the importer's own verdict that the release matched what was stored.
 */
export function summarizeImportRun(run: Pick<ImportRun, 'status' | 'counts' | 'errors'>): string {
  if (run.status === 'queued' || run.status === 'running') return '—';
  if (run.status === 'failed') return run.errors[0] ?? 'Failed without a message.';
  const byType = run.counts.byType;
  const totals = { added: 0, changed: 0, removed: 0 };
  if (typeof byType === 'object' && byType !== null)
    for (const c of Object.values(byType as Record<string, Counts>)) {
      totals.added += num(c?.added);
      totals.changed += num(c?.changed);
      totals.removed += num(c?.removed);
    }
  const parts =
    run.counts.unchanged === true || totals.added + totals.changed + totals.removed === 0
      ? ['No changes']
      : [
          totals.added && `${totals.added} added`,
          totals.changed && `${totals.changed} changed`,
          totals.removed && `${totals.removed} removed`,
        ].filter((p): p is string => Boolean(p));
  if (run.errors.length > 0) parts.push(`${plural(run.errors.length, 'invalid object')} skipped`);
  return parts.join(', ');
}
