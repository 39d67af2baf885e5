import { Link } from '@tanstack/react-router';
import { describeError } from '../../../app/api';
import { ErrorMessage } from '../../../components/Feedback';
import { useOrganizationScore } from '../../scores/api';
import { formatScore } from '../../scores/format';

/**
 * The organisation's score (equal weights) and its threat-weighted twin, linking to the Scores page.
 * The figures are there from the first paint (a dash until they arrive), so nothing below moves.
 */
export function ScorePanel() {
  const org = useOrganizationScore();
  const figure = (label: string, value: string, testId: string) => (
    <div className="rounded-md border border-slate-200 bg-slate-50 p-3">
      <p className="text-2xl font-semibold tabular-nums text-slate-900">
        <span data-testid={testId}>{value}</span>
        <span className="text-sm font-normal text-slate-500"> / 100</span>
      </p>
      <p className="text-xs text-slate-600">{label}</p>
    </div>
  );
  const pending = org.isPending ? '–' : undefined;
  return (
    <section
      aria-labelledby="score-panel-title"
      className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
    >
      <div className="mb-4 flex items-center justify-between gap-2">
        <h2 id="score-panel-title" className="text-sm font-semibold uppercase tracking-wide text-slate-500">
          Organisation score
        </h2>
        <Link to="/scores" className="text-sm text-sky-700 hover:underline">
          Open the scores →
        </Link>
      </div>
      {org.isError ? (
        <ErrorMessage message={describeError(org.error)} onRetry={() => void org.refetch()} />
      ) : (
        <div aria-busy={org.isPending} className="flex flex-wrap items-center gap-x-6 gap-y-3">
          <div className="grid flex-1 grid-cols-2 gap-3 sm:max-w-md">
            {figure('Score (equal weights)', pending ?? formatScore(org.data?.score), 'dashboard-score')}
            {figure(
              'Threat-weighted',
              pending ?? formatScore(org.data?.threatScore),
              'dashboard-threat-score',
            )}
          </div>
          <p className="min-w-48 flex-1 text-sm text-slate-600">
            {org.data
              ? `Over the ${org.data.techniqueCount} top-level techniques in the organisation’s scope; threat-weighted counts each by the groups that use it.`
              : ' '}
          </p>
        </div>
      )}
    </section>
  );
}
