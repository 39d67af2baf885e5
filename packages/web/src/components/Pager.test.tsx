import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatTotal, Pager } from './Pager';

afterEach(cleanup);

const next = () => screen.getByRole('button', { name: 'Next' }) as HTMLButtonElement;

describe('Pager', () => {
  it('shows an exact total and stops at it', () => {
    render(<Pager offset={300} pageSize={50} total={312} onChange={vi.fn()} />);
    expect(screen.getByText('301–312 of 312')).toBeTruthy();
    expect(next().disabled).toBe(true);
  });

  it('shows an estimated total with ≈ and ends where a page comes back short', () => {
    const onChange = vi.fn();
    const { rerender } = render(
      <Pager offset={48_000} pageSize={50} total={48_000} estimated pageItems={50} onChange={onChange} />,
    );
    expect(screen.getByText('48001–48050 of ≈ 48,000')).toBeTruthy();
    // Past the estimate, yet the page was full: there may be more.
    expect(next().disabled).toBe(false);
    next().click();
    expect(onChange).toHaveBeenCalledWith(48_050);
    rerender(
      <Pager offset={48_050} pageSize={50} total={48_000} estimated pageItems={12} onChange={onChange} />,
    );
    expect(next().disabled).toBe(true);
  });

  it('formats totals for people', () => {
    expect(formatTotal(1234)).toBe('1,234');
    expect(formatTotal(48_210, true)).toBe('≈ 48,210');
  });
});
