import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../../../test/app';
import { importFile } from '../../../test/attack-data';
import { signedInAs } from '../../../test/factories';
import { bundle, matrix, tactic, technique } from '../../../test/stix-builder';
import { startTestPlatform, tempDir, testDbKind } from '../../../test/support';
import { ConfigError } from '../../infra/config';

/** A release whose platform counts are known: live techniques count, deprecated and revoked ones don't. */
function writeRelease(): string {
  const recon = tactic('TA0043', 'Reconnaissance', 'reconnaissance');
  const execution = tactic('TA0002', 'Execution', 'execution');
  const file = path.join(tempDir(), 'platforms-attack-18.1.json');
  writeFileSync(
    file,
    JSON.stringify(
      bundle([
        recon,
        execution,
        matrix([recon.id, execution.id]),
        technique('T1595', 'Active Scanning', ['reconnaissance'], { x_mitre_platforms: ['PRE'] }),
        technique('T1059', 'Command and Scripting Interpreter', ['execution'], {
          x_mitre_platforms: ['Windows', 'Linux', 'macOS'],
        }),
        technique('T1059.001', 'PowerShell', ['execution'], { x_mitre_platforms: ['Windows'] }),
        technique('T1204', 'User Execution', ['execution'], { x_mitre_platforms: ['Windows', 'SaaS'] }),
        technique('T1064', 'Scripting', ['execution'], {
          x_mitre_platforms: ['Windows', 'ESXi'],
          x_mitre_deprecated: true,
        }),
        technique('T1086', 'PowerShell (old)', ['execution'], {
          x_mitre_platforms: ['Windows'],
          revoked: true,
        }),
      ]),
    ),
  );
  return file;
}

type Item = { name: string; inScope: boolean; techniqueCount: number };

describe(`GET /api/v1/platforms on ${testDbKind}`, async () => {
  const file = writeRelease();
  const defaults = await startTestApp();
  await importFile(defaults.platform, file);
  const viewer = await signedInAs(defaults.platform, defaults.app, 'viewer');

  it("lists the release's platforms with live technique counts, all but PRE in scope by default", async () => {
    const res = await defaults.app.inject({ url: '/api/v1/platforms', headers: viewer.bearer });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual<Item[]>([
      { name: 'Linux', inScope: true, techniqueCount: 1 },
      { name: 'macOS', inScope: true, techniqueCount: 1 },
      { name: 'PRE', inScope: false, techniqueCount: 1 },
      { name: 'SaaS', inScope: true, techniqueCount: 1 },
      { name: 'Windows', inScope: true, techniqueCount: 3 },
    ]);
  });

  it('answers an empty list for a domain with nothing loaded, and refuses an unknown domain', async () => {
    const empty = await defaults.app.inject({
      url: '/api/v1/platforms?domain=mobile-attack',
      headers: viewer.bearer,
    });
    expect(empty.json()).toEqual({ items: [] });
    const bad = await defaults.app.inject({ url: '/api/v1/platforms?domain=pre', headers: viewer.bearer });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json().error.details)).toContain('query.domain');
  });

  it('is for signed-in callers only', async () => {
    expect((await defaults.app.inject({ url: '/api/v1/platforms' })).statusCode).toBe(401);
  });

  it('follows ORG_PLATFORM_SCOPE (any case), listing a scoped platform the release lacks', async () => {
    const scoped = await startTestApp({ ORG_PLATFORM_SCOPE: 'windows, PRE,Office 365' });
    await importFile(scoped.platform, file);
    const admin = await signedInAs(scoped.platform, scoped.app, 'admin');
    const res = await scoped.app.inject({ url: '/api/v1/platforms', headers: admin.bearer });
    expect(res.json().items).toEqual<Item[]>([
      { name: 'Linux', inScope: false, techniqueCount: 1 },
      { name: 'macOS', inScope: false, techniqueCount: 1 },
      { name: 'Office 365', inScope: true, techniqueCount: 0 },
      { name: 'PRE', inScope: true, techniqueCount: 1 },
      { name: 'SaaS', inScope: false, techniqueCount: 1 },
      { name: 'Windows', inScope: true, techniqueCount: 3 },
    ]);
  });

  it('refuses to start on a bad scope, naming the variable and every bad entry', async () => {
    const error = await startTestPlatform({ ORG_PLATFORM_SCOPE: 'Windows,Windoze,,windows' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.stringMatching(
        /^ORG_PLATFORM_SCOPE: "Windoze" is not an ATT&CK platform; expected names among Windows, macOS/,
      ),
      expect.stringContaining('ORG_PLATFORM_SCOPE: has an empty entry'),
      'ORG_PLATFORM_SCOPE: "Windows" is listed twice',
    ]);
  });
});
