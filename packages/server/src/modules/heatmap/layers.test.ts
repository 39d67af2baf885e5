import { describe, expect, it } from 'vitest';
import { gradientColor, parseLayer, SCORE_GRADIENT, UnknownLayerError } from './layers';

describe('gradientColor', () => {
  it.each([
    [0, '#ff6666'],
    [50, '#ffe766'],
    [100, '#8ec843'],
    [-5, '#ff6666'],
    [150, '#8ec843'],
    // Halfway between #ff6666 and #ffe766: (255,102,102)…(255,231,102) → (255,166.5,102).
    [25, '#ffa766'],
    // Halfway between #ffe766 and #8ec843: (255,231,102)…(142,200,67) → (198.5,215.5,84.5).
    [75, '#c7d855'],
  ])('%s → %s', (value, color) => {
    expect(gradientColor(value, SCORE_GRADIENT)).toBe(color);
  });

  it('spreads a two-colour gradient over a custom range', () => {
    expect(gradientColor(5, ['#000000', '#ffffff'], 0, 10)).toBe('#808080');
  });
});

describe('parseLayer', () => {
  it.each([
    ['coverage', 'coverage', []],
    ['actor:G0016', 'actor', ['G0016']],
    ['compliance:nist-800-53-r5', 'compliance', ['nist-800-53-r5']],
    ['compliance:nist-800-53-r5:AC-2', 'compliance', ['nist-800-53-r5', 'AC-2']],
    ['snapshot-delta:now:now', 'snapshot-delta', ['now', 'now']],
  ])('%s', (name, prefix, args) => {
    const p = parseLayer(name);
    expect(p.provider.prefix).toBe(prefix);
    expect(p.args).toEqual(args);
  });

  it.each(['nope', 'coverage:x', 'actor', 'actor:a:b', 'compliance', 'snapshot-delta:a', 'actor:'])(
    'refuses %s with what the layer takes',
    (name) => {
      expect(() => parseLayer(name)).toThrow(UnknownLayerError);
    },
  );
});
