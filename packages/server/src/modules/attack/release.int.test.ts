import { describe, expect, it } from 'vitest';
import { startTestApp } from '../../../test/app';
import { importMiniAttack } from '../../../test/attack-fixture';
import { signedInAs } from '../../../test/factories';
import { testDbKind } from '../../../test/support';

describe(`the loaded ATT&CK release on ${testDbKind}`, async () => {
  const { platform, app } = await startTestApp();
  const viewer = await signedInAs(platform, app, 'viewer');
  const release = async (query = '') =>
    app.inject({ url: `/api/v1/attack/release${query}`, headers: viewer.bearer });

  it('is none before an import, then the last successful import’s release, for anyone signed in', async () => {
    expect((await release()).json()).toEqual({ domain: 'enterprise-attack', release: null, loadedAt: null });
    await importMiniAttack(platform);
    const loaded = (await release()).json();
    expect(loaded).toEqual({ domain: 'enterprise-attack', release: '18.1', loadedAt: expect.any(String) });
    expect((await release('?domain=mobile-attack')).json().release).toBeNull();
    expect((await release('?domain=nope')).statusCode).toBe(400);
    expect((await app.inject({ url: '/api/v1/attack/release' })).statusCode).toBe(401);
  });
});
