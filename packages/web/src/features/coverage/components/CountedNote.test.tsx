import type { CoverageGroup } from '@aegis/contracts';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../app/api';
import { CountedNote } from './CountedNote';

afterEach(cleanup);

const group = (total: number): CoverageGroup => ({
  key: '00000000-0000-4000-8000-000000000001',
  name: 'AC-2',
  attackId: 'AC-2',
  total,
  counts: { validated: 0, partial: 0, not_covered: 0, in_progress: 0, untested: total },
});
const query = { isError: false, error: null, refetch: () => {} };
const loaded = (total: number) => ({ ...query, data: group(total) });

describe('CountedNote', () => {
  it('says the counts are of in-scope techniques, and how many listed ones the scope leaves out', () => {
    render(<CountedNote group={loaded(12)} listed={13} />);
    expect(screen.getByTestId('counted-note').textContent).toBe(
      'Counts: 12 in-scope techniques; 1 out of scope',
    );
  });

  it('names no technique out of scope when the list is all in scope', () => {
    render(<CountedNote group={loaded(1)} listed={1} />);
    expect(screen.getByTestId('counted-note').textContent).toBe('Counts: 1 in-scope technique');
  });

  it('holds its line with a dash while the server counts, and says when it could not', () => {
    const { rerender } = render(<CountedNote group={query} listed={5} />);
    expect(screen.getByTestId('counted-note').textContent).toBe('Counts: –');
    rerender(
      <CountedNote
        group={{ ...query, isError: true, error: new ApiError(500, 'internal_error', 'Something failed.') }}
        listed={5}
      />,
    );
    expect(screen.getByRole('alert').textContent).toContain('The coverage counts could not be loaded.');
  });
});
