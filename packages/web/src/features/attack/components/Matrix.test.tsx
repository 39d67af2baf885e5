import type { CoverageStatus, Tactic, TechniqueSummary } from '@aegis/contracts';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildColumns, type MatrixFilters, matchesFilters, noFilters } from '../matrix';
import { Matrix } from './Matrix';

afterEach(cleanup);

let seq = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`;

function tactic(name: string, shortname: string, matrixOrder: number): Tactic {
  return {
    id: uuid(),
    attackId: `TA${matrixOrder}`,
    stixId: `x-mitre-tactic--${shortname}`,
    name,
    shortname,
    description: '',
    matrixOrder,
    domain: 'enterprise-attack',
    techniqueCount: 0,
    subtechniqueCount: 0,
  };
}

function technique(
  attackId: string,
  name: string,
  tactics: string[],
  overrides: Partial<TechniqueSummary> = {},
): TechniqueSummary {
  return {
    id: uuid(),
    attackId,
    stixId: `attack-pattern--${attackId}`,
    domain: 'enterprise-attack',
    name,
    tactics,
    platforms: ['Windows'],
    isSubtechnique: false,
    parent: null,
    subtechniqueCount: 0,
    deprecated: false,
    revoked: false,
    version: '1.0',
    modified: null,
    coverageStatus: 'untested',
    reviewRequired: false,
    ...overrides,
  };
}

// Given out of order on purpose: the matrix sorts by matrixOrder.
const tactics = [
  tactic('Execution', 'execution', 3),
  tactic('Reconnaissance', 'reconnaissance', 1),
  tactic('Initial Access', 'initial-access', 2),
];
const techniques = [
  technique('T1595', 'Active Scanning', ['reconnaissance'], { coverageStatus: 'validated' }),
  technique('T1566', 'Phishing', ['initial-access'], { coverageStatus: 'partial', subtechniqueCount: 2 }),
  technique('T1078', 'Valid Accounts', ['initial-access', 'execution'], {
    coverageStatus: 'not_covered',
    platforms: ['Linux'],
  }),
  technique('T1059', 'Command and Scripting Interpreter', ['execution'], {
    coverageStatus: 'in_progress',
    reviewRequired: true,
  }),
];

function renderMatrix(filters: MatrixFilters = noFilters, extra: Partial<Parameters<typeof Matrix>[0]> = {}) {
  const onOpen = vi.fn();
  const onToggle = vi.fn();
  const filtered = filters === noFilters ? undefined : (t: TechniqueSummary) => matchesFilters(t, filters);
  render(
    <Matrix
      columns={buildColumns(tactics, techniques)}
      visible={filtered}
      expanded={new Set()}
      onToggle={onToggle}
      onOpen={onOpen}
      {...extra}
    />,
  );
  return { onOpen, onToggle };
}

const cellIds = () => screen.queryAllByTestId('technique-cell').map((c) => c.dataset.attackId);

describe('Matrix', () => {
  it('renders one column per tactic, in matrix order, with each technique under each of its tactics', () => {
    renderMatrix();
    const columns = screen.getAllByTestId('tactic-column');
    expect(columns.map((c) => within(c).getByRole('heading').textContent)).toEqual([
      'Reconnaissance',
      'Initial Access',
      'Execution',
    ]);
    const idsIn = (i: number) =>
      within(columns[i] as HTMLElement)
        .getAllByTestId('technique-cell')
        .map((c) => c.dataset.attackId);
    expect(idsIn(0)).toEqual(['T1595']);
    expect(idsIn(1)).toEqual(['T1566', 'T1078']);
    expect(idsIn(2)).toEqual(['T1059', 'T1078']);
  });

  it('colours each cell by its coverage status', () => {
    renderMatrix();
    const expected: Record<string, [CoverageStatus, string]> = {
      T1595: ['validated', 'bg-emerald-100'],
      T1566: ['partial', 'bg-amber-100'],
      T1078: ['not_covered', 'bg-red-100'],
      T1059: ['in_progress', 'bg-sky-100'],
    };
    for (const cell of screen.getAllByTestId('technique-cell')) {
      const [status, colour] = expected[cell.dataset.attackId ?? ''] ?? [];
      expect(cell.dataset.status).toBe(status);
      expect(cell.className).toContain(colour);
    }
  });

  it('filters by status, platform, review flag and search text', () => {
    renderMatrix({ ...noFilters, status: 'partial' });
    expect(cellIds()).toEqual(['T1566']);
    cleanup();
    renderMatrix({ ...noFilters, platform: 'Linux' });
    expect(cellIds()).toEqual(['T1078', 'T1078']);
    cleanup();
    renderMatrix({ ...noFilters, reviewOnly: true });
    expect(cellIds()).toEqual(['T1059']);
    cleanup();
    renderMatrix({ ...noFilters, search: 'scan' });
    expect(cellIds()).toEqual(['T1595']);
    cleanup();
    renderMatrix({ ...noFilters, search: 't1059' });
    expect(cellIds()).toEqual(['T1059']);
  });

  it('opens a technique on click and expands sub-techniques from the toggle', () => {
    const { onOpen, onToggle } = renderMatrix();
    fireEvent.click(screen.getByText('Active Scanning'));
    expect(onOpen).toHaveBeenCalledWith('T1595');
    fireEvent.click(screen.getByRole('button', { name: 'Show 2 sub-techniques of Phishing' }));
    expect(onToggle).toHaveBeenCalledTimes(1);
  });

  it('shows the sub-techniques of an expanded cell', () => {
    const phishing = techniques[1] as TechniqueSummary;
    const sub = technique('T1566.001', 'Spearphishing Attachment', ['initial-access'], {
      isSubtechnique: true,
      parent: { id: phishing.id, attackId: 'T1566', name: 'Phishing' },
      coverageStatus: 'validated',
    });
    renderMatrix(noFilters, {
      expanded: new Set([phishing.id]),
      subtechniques: new Map([[phishing.id, [sub]]]),
    });
    const subs = screen.getAllByTestId('subtechnique-cell');
    expect(subs).toHaveLength(1);
    expect(subs[0]?.textContent).toContain('Spearphishing Attachment');
    expect(subs[0]?.dataset.status).toBe('validated');
  });
});
