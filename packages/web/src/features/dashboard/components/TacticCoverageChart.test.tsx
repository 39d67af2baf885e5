import type { CoverageGroup, StatusCounts } from '@aegis/contracts';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { TacticCoverageChart } from './TacticCoverageChart';

afterEach(cleanup);

// As the server sends a tactic: its total beside its counts (the chart sizes the bar by the total).
const row = (name: string, total: number, counts: Partial<StatusCounts>): CoverageGroup => ({
  key: name.toLowerCase(),
  name,
  attackId: null,
  total,
  counts: { validated: 0, partial: 0, not_covered: 0, in_progress: 0, untested: 0, ...counts },
});

describe('TacticCoverageChart', () => {
  it('draws each tactic as a bar of its total against a round top, split by status', () => {
    render(
      <TacticCoverageChart
        rows={[
          row('Execution', 10, { validated: 3, not_covered: 1, untested: 6 }),
          row('Discovery', 4, { untested: 4 }),
        ]}
      />,
    );
    const [execution, discovery] = screen.getAllByTestId('tactic-bar');
    // The top is 10 (ticks 0, 2, … 10): 10 techniques fill the height, 4 fill 40 %.
    expect(execution?.style.height).toBe('100%');
    expect(discovery?.style.height).toBe('40%');
    const segments = [...(execution?.children ?? [])] as HTMLElement[];
    expect(segments.map((s) => [s.title, s.style.flexGrow])).toEqual([
      ['Execution: 3 validated', '3'],
      ['Execution: 1 not covered', '1'],
      ['Execution: 6 untested', '6'],
    ]);
    expect(screen.getByText('Discovery')).toBeTruthy();
    expect(screen.getAllByText(/^(0|2|4|6|8|10)$/).map((t) => t.textContent)).toEqual([
      '0',
      '2',
      '4',
      '6',
      '8',
      '10',
    ]);
  });
});
