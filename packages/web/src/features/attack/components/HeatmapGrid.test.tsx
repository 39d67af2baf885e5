import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useMemo, useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sampleHeatmap } from '../fixtures.test-data';
import { buildGrid } from '../grid';
import { HeatmapGrid } from './HeatmapGrid';

afterEach(cleanup);

function Harness({ onOpen, onSelect }: { onOpen: (key: string) => void; onSelect: () => void }) {
  const heatmap = useMemo(sampleHeatmap, []);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [active, setActive] = useState<string | null>(null);
  const layout = useMemo(
    () => buildGrid(heatmap, { expanded, expandAll: false, query: '', onlyMatches: false }),
    [heatmap, expanded],
  );
  return (
    <HeatmapGrid
      layout={layout}
      activeKey={active}
      selected={new Set()}
      compact
      onActivate={setActive}
      onOpen={onOpen}
      onSelect={onSelect}
      onToggleExpand={(id) => setExpanded((s) => new Set(s.has(id) ? [] : [id]))}
      onEscape={() => {}}
    />
  );
}

const cellButtons = () => screen.getAllByRole('button').filter((b) => b.dataset.key);
const tabbable = () => cellButtons().filter((b) => b.tabIndex === 0);
const name = (el: Element | null) => el?.getAttribute('aria-label');

describe('HeatmapGrid keyboard model', () => {
  it('has one tab stop, named by technique, tactic and value', () => {
    render(<Harness onOpen={vi.fn()} onSelect={vi.fn()} />);
    expect(tabbable()).toHaveLength(1);
    expect(name(tabbable()[0] as Element)).toBe('T1566 Phishing, Initial Access: Untested');
    expect(
      screen.getByRole('button', { name: 'T1078 Valid Accounts, Execution: Out of scope' }).tabIndex,
    ).toBe(-1);
    // The sub-technique toggles are not tab stops either.
    expect(
      screen.getByRole('button', { name: 'Show 2 sub-techniques of OS Credential Dumping' }).tabIndex,
    ).toBe(-1);
  });

  it('moves focus and the tab stop with the arrows, Home and End', () => {
    render(<Harness onOpen={vi.fn()} onSelect={vi.fn()} />);
    const first = tabbable()[0] as HTMLElement;
    first.focus();
    fireEvent.keyDown(first, { key: 'ArrowDown' });
    expect(name(document.activeElement)).toMatch(/^T1078 Valid Accounts, Initial Access/);
    fireEvent.keyDown(document.activeElement as Element, { key: 'ArrowRight' });
    expect(name(document.activeElement)).toMatch(/^T1203 /);
    fireEvent.keyDown(document.activeElement as Element, { key: 'End' });
    expect(name(document.activeElement)).toMatch(/^T1003 OS Credential Dumping/);
    expect(tabbable()).toEqual([document.activeElement]);
    fireEvent.keyDown(document.activeElement as Element, { key: 'Home' });
    expect(name(document.activeElement)).toMatch(/^T1078 Valid Accounts, Initial Access/);
  });

  it('opens the panel with Enter, selects with Space, and shows sub-techniques with +', () => {
    const onOpen = vi.fn();
    const onSelect = vi.fn();
    render(<Harness onOpen={onOpen} onSelect={onSelect} />);
    const dumping = screen.getByRole('button', { name: /^T1003 OS Credential Dumping/ });
    dumping.focus();
    fireEvent.keyDown(dumping, { key: 'Enter' });
    expect(onOpen).toHaveBeenCalledWith(dumping.dataset.key);
    fireEvent.keyDown(dumping, { key: ' ' });
    expect(onSelect).toHaveBeenCalledWith(dumping.dataset.key, 'toggle');
    fireEvent.keyDown(dumping, { key: '+' });
    expect(screen.getAllByTestId('subtechnique-cell').map((c) => c.dataset.attackId)).toEqual([
      'T1003.001',
      'T1003.002',
    ]);
    fireEvent.keyDown(document.activeElement as Element, { key: 'ArrowDown' });
    expect(name(document.activeElement)).toBe('T1003.001 LSASS Memory, Credential Access: Untested');
  });

  it('shows a tooltip with the label and the detail on focus', () => {
    render(<Harness onOpen={vi.fn()} onSelect={vi.fn()} />);
    fireEvent.focus(screen.getByRole('button', { name: /^T1003 OS Credential Dumping/ }));
    expect(screen.getByRole('tooltip').textContent).toContain(
      'Credential Access · Validated2 validated tests',
    );
  });
});
