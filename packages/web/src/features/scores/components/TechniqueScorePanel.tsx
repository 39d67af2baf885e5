import type { AttackRef, Figure, TechniqueScore } from '@aegis/contracts';
import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { ApiError, describeError } from '../../../app/api';
import { ErrorMessage, Spinner } from '../../../components/Feedback';
import { useTechniqueScore } from '../api';
import {
  COMPONENTS,
  formatNumber,
  formatScore,
  formatValue,
  notApplicableReason,
  rollupPhrase,
} from '../format';
import { type CompactColumn, CompactTable, techniqueColumn } from './CompactTable';
import { ScoreInputs } from './ScoreInputs';
import { ScoreFigure, ScoreStamp } from './ScoreStamp';

const TITLE_ID = 'technique-score-title';

function Section({ children, muted = false }: { children: ReactNode; muted?: boolean }) {
  return (
    <section
      aria-labelledby={TITLE_ID}
      data-testid="technique-score"
      className={`mb-4 rounded-lg border p-4 shadow-sm ${muted ? 'border-slate-200 bg-slate-50 text-slate-600' : 'border-slate-200 bg-white'}`}
    >
      {children}
    </section>
  );
}

const heading = (
  <h2 id={TITLE_ID} className="text-sm font-semibold uppercase tracking-wide text-slate-500">
    Score
  </h2>
);

/**
 * A technique's score 0–100 with everything it is made of: the own score and the aggregate over its
 * sub-techniques, the five components (value, weight, points) and the inputs of each, so every
 * number can be recomputed from what stands beside it.
 */
export function TechniqueScorePanel({ attackId, platforms }: { attackId: string; platforms: string[] }) {
  const score = useTechniqueScore(attackId);
  if (score.isPending)
    return (
      <Section>
        {heading}
        <Spinner label="Loading the score…" />
      </Section>
    );
  if (score.isError) {
    const { error } = score;
    if (error instanceof ApiError && error.status === 404)
      return (
        <Section muted>
          {heading}
          <p data-testid="score-not-scored" className="mt-1 text-sm">
            {/scope/i.test(error.message) ? (
              <>
                <span className="font-medium">Out of scope.</span> {attackId} is not scored: its platforms (
                {platforms.join(', ') || 'none'}) are outside the organisation’s platform scope, or it is no
                longer active in ATT&CK.
              </>
            ) : (
              <>
                <span className="font-medium">No score yet.</span> Scores are computed in the background; a
                lead can recompute them on the{' '}
                <Link to="/scores" className="text-sky-700 underline">
                  Scores
                </Link>{' '}
                page.
              </>
            )}
          </p>
        </Section>
      );
    return (
      <Section>
        {heading}
        <ErrorMessage
          title="The score could not be loaded."
          message={describeError(error)}
          onRetry={() => void score.refetch()}
        />
      </Section>
    );
  }
  return <ScoreView score={score.data} />;
}

function ScoreView({ score }: { score: TechniqueScore }) {
  return (
    <Section>
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        {heading}
        <ScoreStamp configVersion={score.configVersion} computedAt={score.computedAt} />
      </div>
      <div className="grid gap-6 lg:grid-cols-5">
        <div className="flex flex-col gap-4 lg:col-span-2">
          <Headline score={score} />
        </div>
        <div className="min-w-0 lg:col-span-3">
          <Breakdown score={score} />
        </div>
      </div>
      <ScoreInputs score={score} />
    </Section>
  );
}

type Member = AttackRef & { ownScore: Figure; self: boolean };
const memberColumns: CompactColumn<Member>[] = [
  {
    header: 'Member',
    cell: (m) =>
      m.self ? (
        <>
          <span className="font-mono">{m.attackId}</span> {m.name} (itself)
        </>
      ) : (
        techniqueColumn<Member>().cell(m)
      ),
  },
  { header: 'Own score', align: 'right', cell: (m) => formatScore(m.ownScore) },
];

function Headline({ score }: { score: TechniqueScore }) {
  const subs = score.subtechniques;
  return (
    <>
      <div className="flex flex-wrap gap-8">
        <ScoreFigure label="Own score" value={formatScore(score.ownScore)} testId="own-score" />
        {subs.length > 0 && (
          <ScoreFigure label="Aggregate" value={formatScore(score.aggregateScore)} testId="aggregate-score" />
        )}
      </div>
      {score.isSubtechnique ? (
        <p className="text-sm text-slate-600">
          A sub-technique: its own score counts in the aggregate of{' '}
          {score.parent ? (
            <Link
              to="/techniques/$id"
              params={{ id: score.parent.attackId ?? score.parent.id }}
              className="text-sky-700 underline"
            >
              {score.parent.attackId} {score.parent.name}
            </Link>
          ) : (
            'its parent'
          )}
          .
        </p>
      ) : subs.length === 0 ? (
        <p className="text-sm text-slate-600">
          No sub-technique in scope: its aggregate is its own score ({formatScore(score.aggregateScore)}).
        </p>
      ) : (
        <div className="text-sm text-slate-600">
          <p>
            The aggregate is the{' '}
            <span data-testid="rollup-phrase">{rollupPhrase(score.rollup, subs.length)}</span>
            {score.rollup === 'average' &&
              `: (${[score.ownScore, ...subs.map((s) => s.ownScore)].map(formatScore).join(' + ')}) ÷ ${subs.length + 1} = ${formatScore(score.aggregateScore)}`}
            .
          </p>
          <div className="mt-2">
            <CompactTable
              caption="Own scores the aggregate is taken over"
              columns={memberColumns}
              rows={[{ ...score, self: true }, ...subs.map((sub) => ({ ...sub, self: false }))]}
              rowKey={(m) => m.id}
              rowTestId="aggregate-member"
            />
          </div>
        </div>
      )}
    </>
  );
}

/** The five components: value 0–1, weight, and the points each adds to the own score. */
function Breakdown({ score }: { score: TechniqueScore }) {
  const parts = score.components;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="mb-1 text-left text-xs text-slate-500">
          Points = 100 × weight × value ÷ {formatNumber(score.applicableWeight)} (the weights of the
          components that apply); they add up to the own score.
        </caption>
        <thead className="bg-slate-50 text-xs text-slate-500">
          <tr>
            <th scope="col" className="px-2 py-1.5 font-medium">
              Component
            </th>
            <th scope="col" className="px-2 py-1.5 text-right font-medium">
              Value (0–1)
            </th>
            <th scope="col" className="px-2 py-1.5 text-right font-medium">
              Weight
            </th>
            <th scope="col" className="px-2 py-1.5 text-right font-medium">
              Points
            </th>
          </tr>
        </thead>
        <tbody>
          {COMPONENTS.map(({ key, label }) => {
            const part = parts[key];
            const why = notApplicableReason(key, parts);
            return (
              <tr
                key={key}
                data-testid={`component-${key}`}
                data-applicable={part.applicable}
                className={`border-t border-slate-100 ${why ? 'bg-slate-50 text-slate-500' : ''}`}
              >
                <th scope="row" className="px-2 py-1.5 font-normal">
                  {label}
                  {why && <span className="block text-xs">Not applicable: {why}</span>}
                </th>
                <td className="px-2 py-1.5 text-right tabular-nums">{formatValue(part.value)}</td>
                <td className="px-2 py-1.5 text-right tabular-nums">
                  {why ? (
                    <span title="left out of the sum of weights">({formatNumber(part.weight)})</span>
                  ) : (
                    formatNumber(part.weight)
                  )}
                </td>
                <td className="px-2 py-1.5 text-right tabular-nums">{formatScore(part.points)}</td>
              </tr>
            );
          })}
        </tbody>
        <tfoot className="border-t-2 border-slate-200 font-medium">
          <tr>
            <th scope="row" className="px-2 py-1.5">
              Own score
            </th>
            <td />
            <td className="px-2 py-1.5 text-right tabular-nums" data-testid="applicable-weight">
              {formatNumber(score.applicableWeight)}
            </td>
            <td className="px-2 py-1.5 text-right tabular-nums">{formatScore(score.ownScore)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
