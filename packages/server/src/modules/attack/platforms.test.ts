import { describe, expect, it } from 'vitest';
import { platformsInScope } from './platforms';

const release = [
  { name: 'Windows', techniqueCount: 472 },
  { name: 'PRE', techniqueCount: 92 },
  { name: 'Linux', techniqueCount: 354 },
];

describe('platformsInScope', () => {
  it.each([
    {
      scope: null,
      expected: [
        { name: 'Linux', inScope: true, techniqueCount: 354 },
        { name: 'PRE', inScope: false, techniqueCount: 92 },
        { name: 'Windows', inScope: true, techniqueCount: 472 },
      ],
    },
    {
      scope: ['Windows'],
      expected: [
        { name: 'Linux', inScope: false, techniqueCount: 354 },
        { name: 'PRE', inScope: false, techniqueCount: 92 },
        { name: 'Windows', inScope: true, techniqueCount: 472 },
      ],
    },
    {
      scope: ['PRE', 'Office 365'],
      expected: [
        { name: 'Linux', inScope: false, techniqueCount: 354 },
        { name: 'Office 365', inScope: true, techniqueCount: 0 },
        { name: 'PRE', inScope: true, techniqueCount: 92 },
        { name: 'Windows', inScope: false, techniqueCount: 472 },
      ],
    },
  ])('scope $scope', ({ scope, expected }) => {
    expect(platformsInScope(release, scope)).toEqual(expected);
  });
});
