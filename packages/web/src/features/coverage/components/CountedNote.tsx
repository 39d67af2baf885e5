import type { CoverageGroup } from '@aegis/contracts';
import { describeError } from '../../../app/api';
import { ErrorMessage } from '../../../components/Feedback';

const techniques = (n: number) => `${n} in-scope technique${n === 1 ? '' : 's'}`;

/**
 * What the server's counts beside a list count: its in-scope techniques (docs/coverage.md), and how
 * many of the `listed` ones the scope leaves out. One line, there (as a dash) while the counts load.
 */
export function CountedNote({
  group,
  listed,
}: {
  /** The query of the group's counts (`useGroupCoverage`). */
  group: { data?: CoverageGroup; isError: boolean; error: unknown; refetch: () => unknown };
  listed: number;
}) {
  if (group.isError)
    return (
      <ErrorMessage
        title="The coverage counts could not be loaded."
        message={describeError(group.error)}
        onRetry={() => void group.refetch()}
      />
    );
  const counted = group.data?.total;
  const left = counted === undefined ? 0 : listed - counted;
  return (
    <p data-testid="counted-note" aria-busy={counted === undefined} className="text-xs text-slate-500">
      Counts: {counted === undefined ? '–' : techniques(counted)}
      {left > 0 && `; ${left} out of scope`}
    </p>
  );
}
