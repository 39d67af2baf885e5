import type { OrganizationScore } from '@aegis/contracts';
import { ROLE_GROUPS } from '@aegis/contracts/roles';
import { describeError } from '../../../app/api';
import { hasRole, useUser } from '../../../app/auth';
import { primaryButton } from '../../../components/buttons';
import { PageHeader } from '../../../components/Feedback';
import { QueryView } from '../../../components/QueryView';
import { Card, formatDateTime } from '../../test-cases/components/ui';
import { useOrganizationScore, useRecomputeScores } from '../api';
import { ScoreFigure, ScoreStamp } from '../components/ScoreStamp';
import { TacticScores } from '../components/TacticScores';
import { TechniqueScoreList } from '../components/TechniqueScoreList';
import { formatScore } from '../format';

/**
 * The organisation's scores (analysis spec §1.3): the headline number and the threat-weighted one,
 * each tactic's, and every technique's, with a recompute for leads.
 */
export function ScoresPage() {
  const user = useUser();
  const organization = useOrganizationScore();
  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-4">
      <PageHeader title="Scores">{hasRole(user, ROLE_GROUPS.leads) && <RecomputeNow />}</PageHeader>
      <QueryView query={organization} loading="Loading the scores…" failed="The scores could not be loaded.">
        {(org) => (
          <>
            <Card
              title="Organisation"
              labelId="organization-score-title"
              actions={<ScoreStamp configVersion={org.configVersion} computedAt={org.computedAt} />}
            >
              <OrganizationFigures org={org} />
            </Card>
            <Card title="Tactics" labelId="tactic-scores-title">
              <TacticScores tactics={org.tactics} />
            </Card>
          </>
        )}
      </QueryView>
      <section aria-labelledby="technique-scores-title">
        <h2
          id="technique-scores-title"
          className="mb-2 text-sm font-semibold uppercase tracking-wide text-slate-500"
        >
          Techniques
        </h2>
        <TechniqueScoreList />
      </section>
    </div>
  );
}

function OrganizationFigures({ org }: { org: OrganizationScore }) {
  if (org.techniqueCount === 0)
    return (
      <p className="text-sm text-slate-600">
        No score has been computed yet: scores follow validated tests, rules and the D3FEND inventory within
        minutes, or at once with “Recompute now”.
      </p>
    );
  return (
    <div className="flex flex-col gap-3 text-sm text-slate-600">
      <div className="flex flex-wrap gap-10">
        <ScoreFigure label="Score" value={formatScore(org.score)} testId="organization-score" />
        <ScoreFigure
          label="Threat-weighted"
          value={formatScore(org.threatScore)}
          testId="organization-threat-score"
        />
      </div>
      <p>
        <span className="font-medium text-slate-700">Score:</span> the mean of the aggregate scores of the{' '}
        <span data-testid="organization-technique-count">{org.techniqueCount}</span> top-level techniques in
        the organisation’s scope, each counted once (the techniques below, without sub-techniques).{' '}
        <span className="font-medium text-slate-700">Threat-weighted:</span> the same, each technique weighing
        1 + the number of tracked groups that use it or one of its sub-techniques (take a tactic apart below
        to see the weights).
      </p>
    </div>
  );
}

/** Leads and admins: every score recomputed now (a queued job; the page refreshes while it runs). */
function RecomputeNow() {
  const recompute = useRecomputeScores();
  return (
    <div className="flex flex-col items-end gap-1">
      <button
        type="button"
        className={primaryButton}
        disabled={recompute.isPending}
        onClick={() => recompute.mutate()}
      >
        {recompute.isPending ? 'Recomputing…' : 'Recompute now'}
      </button>
      <p role="status" className="text-xs text-slate-500">
        {recompute.isError
          ? describeError(recompute.error)
          : recompute.requestedAt
            ? `Recompute ${recompute.data?.queued ? 'queued' : 'done'} at ${formatDateTime(recompute.requestedAt.toISOString())}; the figures refresh by themselves.`
            : ''}
      </p>
    </div>
  );
}
