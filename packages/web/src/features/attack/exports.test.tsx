import { describe, expect, it } from 'vitest';
import { contrastRatio, DARK_TEXT, LIGHT_TEXT, readableText } from '../../components/contrast';
import { buildSvg, csvRows, legendEntries } from './exports';
import { sampleHeatmap } from './fixtures.test-data';
import { buildGrid } from './grid';

const coverage = {
  name: 'coverage',
  title: 'Coverage',
  description: '',
  kind: 'categorical' as const,
  legend: [
    { value: 'validated', label: 'Validated', color: '#8ec843' },
    { value: 'untested', label: 'Untested', color: '#d9d9d9' },
  ],
  gradient: null,
};

describe('CSV of the cells shown', () => {
  it('writes one row per cell shown, in the order shown, with value, label and colour', () => {
    const grid = buildGrid(sampleHeatmap(), {
      expanded: new Set(),
      expandAll: false,
      query: 'lsass',
      onlyMatches: true,
    });
    expect(csvRows(grid.shown)).toEqual([
      ['attackId', 'name', 'tactic', 'value', 'label', 'colour'],
      ['T1003', 'OS Credential Dumping', 'credential-access', 1, 'Validated', '#8ec843'],
      ['T1003.001', 'LSASS Memory', 'credential-access', 1, 'Untested', '#d9d9d9'],
    ]);
  });

  it('leaves an empty cell’s value and colour blank', () => {
    const grid = buildGrid(sampleHeatmap(), {
      expanded: new Set(),
      expandAll: false,
      query: 'T1059',
      onlyMatches: true,
    });
    expect(csvRows(grid.shown)[1]).toEqual([
      'T1059',
      'Command and Scripting Interpreter',
      'execution',
      '',
      'Empty',
      '',
    ]);
  });
});

describe('SVG', () => {
  const grid = buildGrid(sampleHeatmap(), {
    expanded: new Set(),
    expandAll: true,
    query: '',
    onlyMatches: false,
  });
  const svg = buildSvg(grid.columns, coverage, 'Aegis <coverage>');
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');

  it('is well-formed, with a header per tactic and a titled rect per cell in its colour', () => {
    expect(doc.querySelector('parsererror')).toBeNull();
    expect(doc.querySelector('svg > title')?.textContent).toBe('Aegis <coverage>');
    const cells = [...doc.querySelectorAll('g')];
    expect(cells).toHaveLength(grid.shown.length);
    const lsass = cells.find((g) =>
      g.querySelector('title')?.textContent?.startsWith('T1003.001 LSASS Memory'),
    );
    expect(lsass?.querySelector('title')?.textContent).toBe(
      'T1003.001 LSASS Memory — Credential Access: Untested. No test yet',
    );
    expect(lsass?.querySelector('rect')?.getAttribute('fill')).toBe('#d9d9d9');
  });

  it('draws empty cells neutral, out-of-scope ones dashed, and the legend', () => {
    const rectOf = (id: string) =>
      [...doc.querySelectorAll('g')]
        .find((g) => g.querySelector('title')?.textContent?.startsWith(id))
        ?.querySelector('rect');
    expect(rectOf('T1059 ')?.getAttribute('fill')).toBe('#f8fafc');
    expect(rectOf('T1078 ')?.getAttribute('stroke-dasharray')).toBe('3 2');
    expect(svg).toContain('>Validated</text>');
    expect(svg).toContain('>Untested</text>');
  });

  it('lists a gradient layer’s colours with their values', () => {
    expect(
      legendEntries({
        ...coverage,
        legend: [],
        gradient: { colors: ['#ff6666', '#ffe766', '#8ec843'], minValue: 0, maxValue: 100 },
      }),
    ).toEqual([
      { label: '0', color: '#ff6666' },
      { label: '50', color: '#ffe766' },
      { label: '100', color: '#8ec843' },
    ]);
  });
});

describe('readableText', () => {
  it.each(['#8ec843', '#ffe766', '#ff6666', '#66b1ff', '#d9d9d9', '#ffffff', '#c9b3ff', '#ff9f43'])(
    'reads at AA (4.5:1) on the layer colour %s',
    (bg) => {
      expect(contrastRatio(bg, readableText(bg))).toBeGreaterThanOrEqual(4.5);
    },
  );

  it('chooses white on dark colours', () => {
    expect(readableText('#1e293b')).toBe(LIGHT_TEXT);
    expect(readableText('#ffe766')).toBe(DARK_TEXT);
    expect(readableText('not a colour')).toBe(DARK_TEXT);
  });
});
