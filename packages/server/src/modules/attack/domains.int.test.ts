import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../../../test/app';
import { ATTACK_18, importFile, independentCounts, SHARED_DATA } from '../../../test/attack-data';
import { signedInAs } from '../../../test/factories';
import { testDbKind } from '../../../test/support';

const MOBILE = path.join(SHARED_DATA, 'attack', 'mobile-attack-18.1.json');
const ICS = path.join(SHARED_DATA, 'attack', 'ics-attack-18.1.json'); // STIX 2.1, with an x-mitre-collection

describe(`Mobile and ICS (STIX 2.1) import into their own domains on ${testDbKind}`, async () => {
  const { platform, app } = await startTestApp();
  const viewer = await signedInAs(platform, app, 'viewer');
  const enterprise = await importFile(platform, ATTACK_18);
  const mobile = await importFile(platform, MOBILE);
  const ics = await importFile(platform, ICS);
  const total = async (query: string) =>
    (await app.inject({ url: `/api/v1/techniques?limit=1&${query}`, headers: viewer.bearer })).json().total;

  it('detects each domain and release from the bundle', () => {
    expect([enterprise.domain, mobile.domain, ics.domain]).toEqual([
      'enterprise-attack',
      'mobile-attack',
      'ics-attack',
    ]);
    expect(ics.release).toBe('18.1'); // from the collection object
    expect(mobile.release).toBe('18.1'); // from the file name
  });

  it('keeps the figures of each domain apart', async () => {
    for (const [domain, file] of [
      ['enterprise-attack', ATTACK_18],
      ['mobile-attack', MOBILE],
      ['ics-attack', ICS],
    ] as const) {
      const expected = independentCounts(file);
      expect(await total(`domain=${domain}&subtechniques=exclude`)).toBe(expected.techniques);
      expect(await total(`domain=${domain}&subtechniques=only`)).toBe(expected.subtechniques);
      const tactics = (
        await app.inject({ url: `/api/v1/tactics?domain=${domain}`, headers: viewer.bearer })
      ).json();
      expect(tactics.items.map((t: { name: string }) => t.name)).toEqual(expected.tacticsInOrder);
    }
  });

  it('shares no rows between domains even where the STIX ids are the same', async () => {
    const enterpriseAfter = await importFile(platform, ATTACK_18);
    expect((enterpriseAfter.counts as { unchanged: boolean }).unchanged).toBe(true);
  });
});
