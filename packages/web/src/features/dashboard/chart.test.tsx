import { describe, expect, it } from 'vitest';
import { chartScale } from './chart';

describe('chartScale', () => {
  it.each([
    [0, 1, [0, 1]],
    [3, 3, [0, 1, 2, 3]],
    [5, 5, [0, 1, 2, 3, 4, 5]],
    [6, 6, [0, 2, 4, 6]],
    [11, 15, [0, 5, 10, 15]],
    [47, 50, [0, 10, 20, 30, 40, 50]],
    [51, 60, [0, 20, 40, 60]],
    [230, 250, [0, 50, 100, 150, 200, 250]],
  ])('max %i → top %i with ticks %j', (max, top, ticks) => {
    expect(chartScale(max)).toEqual({ top, ticks });
  });
});
