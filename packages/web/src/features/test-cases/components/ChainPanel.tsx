import type { TestCase } from '@aegis/contracts';
import { Link } from '@tanstack/react-router';
import { QueryView } from '../../../components/QueryView';
import { useTests } from '../api';
import { TestStateBadge } from './TestStateBadge';
import { Card, outcomeLabel } from './ui';

/**
 * The re-test chain a test belongs to: the first test and every re-test remediation led to, in
 * order, with each one's state and outcome; the test on screen is marked. Hidden for a test that
 * was never re-tested (and while loading).
 */
export function ChainPanel({ test }: { test: TestCase }) {
  const chain = useTests({ chain: test.chain.rootId, sort: 'retestNumber', order: 'asc', limit: 50 });
  // Nothing while loading either: most tests have no chain, and a card that appears then vanishes jumps.
  if (chain.isPending || (chain.data && chain.data.total < 2)) return null;
  return (
    <Card title="Re-test chain" labelId="chain-heading">
      <QueryView query={chain} loading="Loading the chain…" failed="The re-test chain could not be loaded.">
        {(data) => (
          <ol aria-labelledby="chain-heading" className="flex flex-col gap-1 text-sm">
            {data.items.map((t) => {
              const current = t.id === test.id;
              return (
                <li
                  key={t.id}
                  data-testid="chain-test"
                  className={`flex flex-wrap items-center justify-between gap-2 rounded-md px-2 py-1 ${current ? 'bg-sky-50 ring-1 ring-sky-200' : ''}`}
                >
                  {current ? (
                    <span aria-current="page" className="font-medium text-slate-900">
                      {t.retestNumber === 0 ? 'First test' : `Re-test #${t.retestNumber}`} (this test)
                    </span>
                  ) : (
                    <Link
                      to="/tests/$id"
                      params={{ id: t.id }}
                      className="font-medium text-sky-700 hover:underline"
                    >
                      {t.retestNumber === 0 ? 'First test' : `Re-test #${t.retestNumber}`}
                    </Link>
                  )}
                  <span className="flex items-center gap-2">
                    <span className="text-xs text-slate-600">{outcomeLabel(t.outcome)}</span>
                    <TestStateBadge state={t.state} />
                  </span>
                </li>
              );
            })}
          </ol>
        )}
      </QueryView>
    </Card>
  );
}
