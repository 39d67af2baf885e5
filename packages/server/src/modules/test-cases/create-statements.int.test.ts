import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../../../test/app';
import { importMiniAttack } from '../../../test/attack-fixture';
import { type Session, signedInAs } from '../../../test/factories';
import { statementLog } from '../../../test/statements';
import { testDbKind } from '../../../test/support';

/**
 * The statements one `POST /tests` sends to the database, counted below drizzle: each is a round
 * trip that throughput pays for (issue 11: ≥ 200 tests/s with ten clients). A new one must be a
 * choice, made here.
 */
describe(`statements of a test's creation on ${testDbKind}`, async () => {
  // Jobs off: the scheduler's polling would share the connection being counted.
  const { platform, app } = await startTestApp({ JOBS_ENABLED: 'false' });
  await importMiniAttack(platform);
  const [redTech, redLead, blueTech] = (await Promise.all(
    (['red_tech', 'red_lead', 'blue_tech'] as const).map((r) => signedInAs(platform, app, r)),
  )) as [Session, Session, Session];
  await signedInAs(platform, app, 'red_tech'); // a colleague, told of each new test
  const log = statementLog(platform.database);
  const create = async (who: Session, payload: object) => {
    let status = 0;
    const statements = await log.during(async () => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/tests', headers: who.bearer, payload });
      status = res.statusCode;
    });
    expect(status).toBe(201);
    return statements;
  };

  it('takes 8 on a technique already in progress: auth, begin, technique, test with its transition, audit, notifications, commit, the record', async () => {
    await create(redTech, { technique: 'T1059.001', title: 'first' });
    const statements = await create(redTech, { technique: 'T1059.001', title: 'second' });
    expect(statements, statements.join('\n')).toHaveLength(8);
    // The one colleague is told (the author is not): recipients by role were read in the insert.
    const told = await platform.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from notifications where title = 'New test to execute: second'`,
    );
    expect(told.rows[0]?.n).toBe(1);
  });

  it('takes 3 more for the first test of an untested technique: its coverage read, set and recorded', async () => {
    const statements = await create(redTech, { technique: 'T1053', title: 'scheduled' });
    expect(statements, statements.join('\n')).toHaveLength(11);
  });

  it('takes 1 more when a lead names both assignees (they are checked), who are told in the same insert', async () => {
    await create(redTech, { technique: 'T1059.001', title: 'so that the technique is in progress' });
    const statements = await create(redLead, {
      technique: 'T1059.001',
      title: 'assigned',
      assignedRedId: redTech.user.id,
      assignedBlueId: blueTech.user.id,
    });
    expect(statements, statements.join('\n')).toHaveLength(9);
    const told = await platform.database.db.execute<{ user_id: string }>(
      sql`select user_id from notifications where title like 'You are the % person of assigned'`,
    );
    expect(told.rows.map((r) => r.user_id).sort()).toEqual([redTech.user.id, blueTech.user.id].sort());
  });
});
