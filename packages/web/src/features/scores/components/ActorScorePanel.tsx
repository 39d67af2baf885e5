import type { ActorScore } from '@aegis/contracts';
import { Link } from '@tanstack/react-router';
import { useId } from 'react';
import { type Column, DataTable } from '../../../components/DataTable';
import { QueryView } from '../../../components/QueryView';
import { Card } from '../../test-cases/components/ui';
import { useActorScore } from '../api';
import { formatScore, formatValue } from '../format';
import { coverageColumn, techniqueColumn } from './CompactTable';
import { ScoreFigure, ScoreStamp } from './ScoreStamp';

type ActorTechnique = ActorScore['techniques'][number];

const columns: Column<ActorTechnique>[] = [
  techniqueColumn(),
  {
    header: 'Used',
    className: 'whitespace-nowrap text-xs text-slate-600',
    cell: (t) => (t.via === 'direct' ? 'directly' : 'through software'),
  },
  coverageColumn(),
  {
    header: <span title="own score for a sub-technique, aggregate for a parent">Score</span>,
    className: 'w-20 text-right tabular-nums',
    cell: (t) => formatScore(t.score),
  },
];

/**
 * A threat actor's score: the mean score of the in-scope techniques it uses, its coverage (the share
 * of them validated), each technique with its score, and those left out as outside the scope.
 */
export function ActorScorePanel({ actorId }: { actorId: string }) {
  const labelId = useId();
  const score = useActorScore(actorId);
  return (
    <Card
      title="Score"
      labelId={labelId}
      actions={
        score.data && (
          <ScoreStamp configVersion={score.data.configVersion} computedAt={score.data.computedAt} />
        )
      }
    >
      <QueryView query={score} loading="Loading the score…" failed="The score could not be loaded.">
        {(actor) => <ActorScoreView actor={actor} />}
      </QueryView>
    </Card>
  );
}

function ActorScoreView({ actor }: { actor: ActorScore }) {
  const n = actor.techniqueCount;
  const sum = actor.techniques.reduce((s, t) => s + (t.score.value ?? 0), 0);
  const rows = [...actor.techniques].sort(
    (a, b) =>
      (b.score.value ?? -1) - (a.score.value ?? -1) || (a.attackId ?? '').localeCompare(b.attackId ?? ''),
  );
  return (
    <div data-testid="actor-score" className="flex flex-col gap-3 text-sm text-slate-600">
      <div className="flex flex-wrap gap-8">
        <ScoreFigure label="Score" value={formatScore(actor.score)} testId="actor-score-value" />
        <div>
          <p className="text-xs font-medium uppercase tracking-wide text-slate-500">Coverage</p>
          <p className="text-3xl font-semibold tabular-nums text-slate-900">
            <span data-testid="actor-coverage">{formatScore(actor.coveragePercent)}</span>
            <span className="text-sm font-normal text-slate-500"> %</span>
          </p>
        </div>
      </div>
      {n === 0 ? (
        <p>It uses no technique in the organisation’s scope, so it has no score.</p>
      ) : (
        <>
          <p>
            The score is the mean of the scores of the {n} in-scope techniques it uses
            {actor.includesSoftware ? ', directly or through its software' : ' directly'}:{' '}
            {formatValue(sum, 1)} ÷ {n} = {formatScore(actor.score)}. A sub-technique counts with its own
            score, a parent with its aggregate. Coverage: {actor.validatedCount} of {n} validated ={' '}
            {formatScore(actor.coveragePercent)} %.
          </p>
          <section
            aria-label="Techniques it uses, with their scores"
            // biome-ignore lint/a11y/noNoninteractiveTabindex: scrollable regions must be reachable by keyboard.
            tabIndex={0}
            className="max-h-96 overflow-y-auto"
          >
            <DataTable columns={columns} rows={rows} rowKey={(t) => t.id} rowTestId="actor-score-technique" />
          </section>
        </>
      )}
      {actor.outOfScope.length > 0 && (
        <div data-testid="actor-out-of-scope">
          <p className="font-medium text-slate-700">
            Left out: {actor.outOfScope.length} technique{actor.outOfScope.length === 1 ? '' : 's'} outside
            the organisation’s platform scope
          </p>
          <ul className="mt-1 flex flex-wrap gap-1.5">
            {actor.outOfScope.map((t) => (
              <li key={t.id}>
                <Link
                  to="/techniques/$id"
                  params={{ id: t.attackId ?? t.id }}
                  className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600 hover:bg-slate-200"
                >
                  <span className="font-mono">{t.attackId}</span> {t.name}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
