import { type CoverageDimension, useGroupCoverage } from '../api';
import { CountedNote } from './CountedNote';
import { CoverageSummary } from './CoverageSummary';

/**
 * The coverage of one group's techniques (a control, a D3FEND countermeasure) as the server counts
 * it, above a list of `listed` techniques that shows them all, in scope or not.
 */
export function GroupCoverage({
  by,
  groupKey,
  framework,
  listed,
}: {
  by: CoverageDimension;
  /** Our id of the group. */
  groupKey: string;
  framework?: string;
  listed: number;
}) {
  const group = useGroupCoverage(by, groupKey, framework);
  return (
    <div data-testid="group-coverage" className="flex min-h-12 flex-col gap-1">
      {group.data && <CoverageSummary coverage={group.data.counts} />}
      <CountedNote group={group} listed={listed} />
    </div>
  );
}
