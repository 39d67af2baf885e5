import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { writeMiniAttack } from '../../../test/attack-fixture';
import { openTestDatabase, silentLogger, tempDir } from '../../../test/support';
import type { DatabaseHandle } from '../../infra/db';
import { createFsBlobStore } from '../../infra/storage/fs-store';
import { RELEASE_FOLLOWERS, TECHNIQUE_WORK_MOVERS } from '../../services';
import { importAttack } from '../attack';
import { CLI_ACTOR } from '../audit-logs';
import { TEST_STATES } from '../test-cases/test-cases.schema';
import { generateSyntheticOrg, syntheticContentHash } from '.';

const anchor = new Date('2026-06-01T00:00:00Z');

async function seededDatabase(seed: number): Promise<DatabaseHandle> {
  const handle = await openTestDatabase();
  await importAttack(
    {
      db: handle.db,
      storage: await createFsBlobStore(tempDir()),
      logger: silentLogger,
      movers: [...TECHNIQUE_WORK_MOVERS],
      followers: [...RELEASE_FOLLOWERS],
    },
    { source: { type: 'file', path: writeMiniAttack() }, actor: CLI_ACTOR },
  );
  await generateSyntheticOrg(handle.db, { tests: 400, rules: 40, seed, anchor });
  return handle;
}

describe('synthetic organisation', () => {
  let a: DatabaseHandle;
  let b: DatabaseHandle;
  let c: DatabaseHandle;
  // Three databases, each with ATT&CK and a small organisation: slow on a busy machine, hence the timeout.
  beforeAll(async () => {
    [a, b, c] = [await seededDatabase(7), await seededDatabase(7), await seededDatabase(8)];
  }, 180_000);

  it('is the same for the same seed, different for another, and covers every workflow state', async () => {
    const hashA = await syntheticContentHash(a.db);
    expect(hashA).toMatch(/^[0-9a-f]{32}$/);
    expect(await syntheticContentHash(b.db)).toBe(hashA);
    expect(await syntheticContentHash(c.db)).not.toBe(hashA);

    const ids = async (h: DatabaseHandle) =>
      (await h.db.execute<{ id: string }>(sql`select id from evidence order by id`)).rows.map((r) => r.id);
    expect(await ids(b)).toEqual(await ids(a));
    // Ids are valid RFC 9562 UUIDs (the API's schemas check them).
    for (const id of (await ids(a)).slice(0, 20)) expect(z.uuid().safeParse(id).success, id).toBe(true);

    const states = await a.db.execute<{ state: string; n: number }>(
      sql`select state, count(*)::int as n from test_cases group by state`,
    );
    expect(states.rows.map((r) => r.state).sort()).toEqual([...TEST_STATES].sort());
    const roles = await a.db.execute<{ role: string }>(
      sql`select distinct role from users where username like 'synth-%'`,
    );
    expect(roles.rows.map((r) => r.role).sort()).toEqual(
      ['admin', 'blue_lead', 'blue_tech', 'red_lead', 'red_tech', 'viewer'].sort(),
    );
    const counts = await a.db.execute<Record<string, number>>(sql`
      select (select count(*) from test_cases)::int as tests, (select count(*) from evidence)::int as evidence,
             (select count(*) from test_votes)::int as votes, (select count(*) from test_tool_results)::int as tools,
             (select count(*) from remediation_steps)::int as remediation, (select count(*) from notifications)::int as notifications,
             (select count(*) from audit_logs where action like 'test_case.%')::int as audit,
             (select count(*) from detection_rules)::int as rules,
             (select count(*) from test_cases where retest_of_id is not null)::int as retests,
             (select count(*) from technique_coverage where status <> 'untested')::int as covered`);
    const n = counts.rows[0] ?? {};
    expect(n.tests).toBe(400);
    expect(n.rules).toBe(40);
    expect(n.evidence).toBeGreaterThan(400 * 3);
    for (const k of ['votes', 'tools', 'remediation', 'notifications', 'audit', 'retests', 'covered'])
      expect(n[k], k).toBeGreaterThan(0);
    // Timestamps span two years before the anchor and never pass it.
    const span = await a.db.execute<{ first: Date | string; last: Date | string }>(
      sql`select min(created_at) as first, max(updated_at) as last from test_cases`,
    );
    const first = new Date(span.rows[0]?.first ?? 0).getTime();
    const last = new Date(span.rows[0]?.last ?? 0).getTime();
    expect(last).toBeLessThanOrEqual(anchor.getTime());
    expect(anchor.getTime() - first).toBeGreaterThan(600 * 86_400_000);
  });

  it('refuses a database that already holds tests, and one without ATT&CK', async () => {
    const empty = await openTestDatabase();
    await expect(generateSyntheticOrg(empty.db, { tests: 10 })).rejects.toThrow(/import a release first/);
    await expect(generateSyntheticOrg(a.db, { tests: 10 })).rejects.toThrow(/already holds 400 tests/);
  });
});
