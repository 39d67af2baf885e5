import { describe, expect, it } from 'vitest';
import { detectRelease } from './mapping';

describe('detectRelease', () => {
  it.each([
    ['enterprise-attack-18.1.json.gz', '18.1'],
    ['/data/enterprise-attack-16.1.json', '16.1'],
    ['https://example.test/attack/v19.0/enterprise-attack.json', null],
    ['enterprise-attack-v17.1.json', '17.1'],
    ['enterprise-attack.json', null],
    ['bundle-2024.11.30.json', null],
  ])('%s → %s', (name, release) => {
    expect(detectRelease([], name)).toBe(release);
  });

  it('prefers the collection version', () => {
    expect(
      detectRelease(
        [{ type: 'x-mitre-collection', id: 'x', x_mitre_version: '18.1' } as never],
        'enterprise-attack-16.1.json',
      ),
    ).toBe('18.1');
  });
});
