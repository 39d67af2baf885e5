import type { Classification, Figure, SnapshotComparison } from '@aegis/contracts';
import { coverageOrder, coverageStyles } from '../../../components/coverage';
import { formatDateTime } from '../../test-cases/components/ui';
import { CLASSIFICATION_LABELS, scoreMove, signed, signedCount } from '../format';
import { CLASSIFICATIONS } from '../search';

/** Full class strings so Tailwind finds them. */
export const CLASSIFICATION_STYLES: Record<Classification, string> = {
  regressed: 'border-red-300 bg-red-50 text-red-900',
  improved: 'border-emerald-300 bg-emerald-50 text-emerald-900',
  newly_tested: 'border-sky-300 bg-sky-50 text-sky-900',
  moved: 'border-violet-300 bg-violet-50 text-violet-900',
  added: 'border-slate-300 bg-white text-slate-800',
  removed: 'border-slate-300 bg-slate-100 text-slate-800',
  unchanged: 'border-slate-200 bg-white text-slate-600',
};

/** A move's colour, as it reads at one decimal (a move that rounds to 0.0 is not coloured). */
export function deltaTone(value: number | null): string {
  const text = signed(value);
  return text.startsWith('+') ? 'text-emerald-800' : text.startsWith('−') ? 'text-red-800' : 'text-slate-700';
}

/** The two ends: what each is, when it was taken and on which ATT&CK release. */
export function ComparisonEnds({ c }: { c: SnapshotComparison }) {
  const end = (e: SnapshotComparison['from']) =>
    `${e.name} (${e.kind === 'now' ? 'now' : formatDateTime(e.takenAt)}${e.attackRelease ? `, ATT&CK ${e.attackRelease}` : ''})`;
  return (
    <p data-testid="comparison-ends" className="text-sm text-slate-700">
      From <span className="font-medium text-slate-900">{end(c.from)}</span> to{' '}
      <span className="font-medium text-slate-900">{end(c.to)}</span>; a score move under {c.threshold}{' '}
      {c.threshold === 1 ? 'point' : 'points'} within the same coverage rank counts as unchanged.
    </p>
  );
}

/**
 * The techniques per classification; each count is also the filter of the technique table below
 * (pressed again, it shows every change). Unchanged ones are listed only when asked for.
 */
export function ClassificationTotals({
  totals,
  show,
  onShow,
}: {
  totals: SnapshotComparison['totals'];
  show: Classification | undefined;
  onShow: (classification: Classification | undefined) => void;
}) {
  return (
    <fieldset>
      <legend className="mb-1 text-xs text-slate-600">
        Techniques per change (press one to list only those)
      </legend>
      <ul className="grid grid-cols-2 gap-2 sm:grid-cols-4 xl:grid-cols-7">
        {CLASSIFICATIONS.map((c) => {
          const pressed = show === c;
          return (
            <li key={c}>
              <button
                type="button"
                aria-pressed={pressed}
                data-testid={`total-${c}`}
                onClick={() => onShow(pressed ? undefined : c)}
                className={`flex w-full flex-col items-start rounded-md border px-3 py-2 text-left ${CLASSIFICATION_STYLES[c]} ${pressed ? 'ring-2 ring-sky-600' : 'hover:brightness-95'}`}
              >
                <span className="text-xs font-medium">{CLASSIFICATION_LABELS[c]}</span>
                <span className="text-2xl font-semibold tabular-nums">{totals[c]}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}

function Move({
  label,
  from,
  to,
  delta,
  testId,
}: {
  label: string;
  from: Figure;
  to: Figure;
  delta: Figure;
  testId: string;
}) {
  const m = scoreMove(from, to, delta);
  const tone = deltaTone(delta.value);
  return (
    <div data-testid={testId} className="rounded-md border border-slate-200 bg-slate-50 p-3">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-600">{label}</dt>
      <dd className="mt-1 flex flex-wrap items-baseline gap-x-3 text-3xl font-semibold tabular-nums text-slate-900">
        <span>
          <span data-testid="score-from">{m.from}</span>
          <span aria-hidden="true"> → </span>
          <span className="sr-only"> to </span>
          <span data-testid="score-to">{m.to}</span>
        </span>
        <span className={`text-xl ${tone}`}>
          Δ <span data-testid="score-delta">{m.delta}</span>
        </span>
      </dd>
      {m.working && (
        <dd className="mt-1 text-xs text-slate-600">
          Unrounded:{' '}
          <span className="tabular-nums" data-testid="score-working">
            {m.working}
          </span>
        </dd>
      )}
    </div>
  );
}

const MOVES = [
  {
    label: 'Score (equal weights)',
    testId: 'org-move',
    score: 'organizationScore',
    delta: 'organizationDelta',
  },
  {
    label: 'Threat-weighted',
    testId: 'org-threat-move',
    score: 'organizationThreatScore',
    delta: 'organizationThreatDelta',
  },
] as const;

/**
 * The organisation score's move, equal and threat-weighted, beside the coverage counts it is an
 * average over, from and to.
 */
export function OrganizationMove({ c }: { c: SnapshotComparison }) {
  return (
    <section aria-labelledby="org-move-title" className="flex flex-col gap-3">
      <h3 id="org-move-title" className="text-sm font-semibold text-slate-800">
        Organisation score
      </h3>
      <div className="grid items-start gap-3 lg:grid-cols-[1fr_1fr_1.2fr]">
        <dl className="contents">
          {MOVES.map((m) => (
            <Move
              key={m.testId}
              label={m.label}
              testId={m.testId}
              from={c.from[m.score]}
              to={c.to[m.score]}
              delta={c[m.delta]}
            />
          ))}
        </dl>
        <table data-testid="counts-move" className="w-full text-left text-xs">
          <caption className="pb-1 text-left text-slate-600">In-scope techniques per coverage status</caption>
          <thead className="text-slate-600">
            <tr>
              {['Status', 'From', 'To', 'Change'].map((h, i) => (
                <th key={h} scope="col" className={`py-1 pr-2 font-medium ${i > 0 ? 'text-right' : ''}`}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {coverageOrder.map((s) => {
              return (
                <tr key={s} className="border-t border-slate-100">
                  <th scope="row" className="py-1 pr-2 font-normal">
                    {coverageStyles[s].label}
                  </th>
                  <td className="py-1 pr-2 text-right tabular-nums">{c.from.counts[s]}</td>
                  <td className="py-1 pr-2 text-right tabular-nums">{c.to.counts[s]}</td>
                  <td className="py-1 text-right tabular-nums">
                    {signedCount(c.to.counts[s] - c.from.counts[s])}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
