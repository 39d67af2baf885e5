import type { TestCase } from '@aegis/contracts';
import { useId, useState } from 'react';
import { describeError } from '../../../app/api';
import { useUser } from '../../../app/auth';
import { ErrorMessage } from '../../../components/Feedback';
import { useVote } from '../api';
import { Card, formatDateTime, inputClass, secondaryButton } from './ui';

type Side = 'red' | 'blue';

/** The two leads' votes and, for a lead who may vote now, approve/reject with a comment. */
export function VotesPanel({ test }: { test: TestCase }) {
  const user = useUser();
  const vote = useVote(test.id);
  const [comment, setComment] = useState('');
  const [side, setSide] = useState<Side>('red');
  const commentId = useId();
  const sideId = useId();
  const isAdmin = user.role === 'admin';

  const send = (decision: 'approve' | 'reject') =>
    vote.mutate({ decision, comment, ...(isAdmin ? { side } : {}) }, { onSuccess: () => setComment('') });

  return (
    <Card title="Lead votes">
      <ul className="flex flex-col gap-2 text-sm">
        {(['red', 'blue'] as const).map((s) => {
          const v = test.votes.find((x) => x.side === s);
          return (
            <li key={s} data-testid={`vote-${s}`} className="rounded-md border border-slate-200 px-3 py-2">
              <div className="flex items-center justify-between gap-2">
                <span className="font-medium capitalize">{s} lead</span>
                {v ? (
                  <span
                    className={
                      v.decision === 'approve' ? 'font-medium text-emerald-700' : 'font-medium text-red-700'
                    }
                  >
                    {v.decision === 'approve' ? 'Approved' : 'Rejected'}
                  </span>
                ) : (
                  <span className="text-slate-500">No vote yet</span>
                )}
              </div>
              {v && (
                <p className="mt-1 text-xs text-slate-500">
                  {v.voter.displayName} · {formatDateTime(v.votedAt)}
                  {v.comment && <span className="block text-slate-700">“{v.comment}”</span>}
                </p>
              )}
            </li>
          );
        })}
      </ul>
      {test.canVote && (
        <div className="mt-3 flex flex-col gap-2 border-t border-slate-100 pt-3">
          {isAdmin && (
            <label htmlFor={sideId} className="text-sm font-medium text-slate-700">
              Vote for the side
              <select
                id={sideId}
                className={`${inputClass} mt-1`}
                value={side}
                onChange={(e) => setSide(e.target.value as Side)}
              >
                <option value="red">Red</option>
                <option value="blue">Blue</option>
              </select>
            </label>
          )}
          <label htmlFor={commentId} className="text-sm font-medium text-slate-700">
            Vote comment
            <textarea
              id={commentId}
              rows={2}
              className={`${inputClass} mt-1`}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
            />
          </label>
          <div className="flex gap-2">
            <button
              type="button"
              disabled={vote.isPending}
              onClick={() => send('approve')}
              className="rounded-md bg-emerald-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-emerald-700 disabled:opacity-60"
            >
              Approve
            </button>
            <button
              type="button"
              disabled={vote.isPending}
              onClick={() => send('reject')}
              className={secondaryButton}
            >
              Reject
            </button>
          </div>
          {vote.isError && <ErrorMessage message={describeError(vote.error)} />}
        </div>
      )}
    </Card>
  );
}
