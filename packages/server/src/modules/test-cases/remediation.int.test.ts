import { describe, expect, it } from 'vitest';
import { startTestApp } from '../../../test/app';
import { importMiniAttack } from '../../../test/attack-fixture';
import { type Session, signedInAs } from '../../../test/factories';
import { testDbKind } from '../../../test/support';

describe(`remediation and automatic re-tests on ${testDbKind}`, async () => {
  const { platform, app } = await startTestApp({ LOGIN_RATE_LIMIT: '1000', MAX_RETEST_COUNT: '1' });
  await importMiniAttack(platform);
  const [redTech, blueTech, redLead, blueLead] = (await Promise.all(
    (['red_tech', 'blue_tech', 'red_lead', 'blue_lead'] as const).map((r) => signedInAs(platform, app, r)),
  )) as [Session, Session, Session, Session];
  const call = (who: Session, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) =>
    app.inject({ method, url: `/api/v1${url}`, headers: who.bearer, ...(payload ? { payload } : {}) });

  /** Walks a new (or given) test to validated with the given outcome. */
  async function validated(
    outcome: string,
    existing?: string,
    expectedOutcome = 'detected',
  ): Promise<string> {
    const id =
      existing ??
      ((
        await call(redTech, 'POST', '/tests', {
          technique: 'T1059.003',
          title: 'cmd.exe recon',
          expectedOutcome,
        })
      ).json().id as string);
    await call(redTech, 'POST', `/tests/${id}/transitions`, { action: 'start_execution' });
    await call(redTech, 'PUT', `/tests/${id}/red`, {
      commands: 'whoami /all',
      executionStartedAt: '2026-11-22T12:00:00Z',
    });
    await call(redTech, 'POST', `/tests/${id}/transitions`, { action: 'submit_to_blue' });
    await call(blueTech, 'PUT', `/tests/${id}/blue`, { outcome });
    await call(blueTech, 'POST', `/tests/${id}/transitions`, { action: 'submit_for_review' });
    await call(redLead, 'POST', `/tests/${id}/votes`, { decision: 'approve' });
    const done = await call(blueLead, 'POST', `/tests/${id}/votes`, { decision: 'approve' });
    expect(done.json().state).toBe('validated');
    return id;
  }

  it('accepts remediation only on a test that found a gap', async () => {
    const fine = await validated('detected');
    const refused = await call(blueLead, 'POST', `/tests/${fine}/remediation`, { title: 'nothing to fix' });
    expect(refused.statusCode).toBe(409);
    const belowExpected = await validated('detected', undefined, 'prevented');
    expect(
      (await call(blueLead, 'POST', `/tests/${belowExpected}/remediation`, { title: 'block it' })).statusCode,
    ).toBe(201);
    expect((await call(redTech, 'POST', `/tests/${fine}/remediation`, { title: 'x' })).statusCode).toBe(403);
  });

  it('creates exactly one re-test when the last step closes, carrying the chain forward', async () => {
    const id = await validated('not_detected');
    expect((await call(blueLead, 'GET', `/techniques/T1059.003`)).json().coverageStatus).toBe('partial');
    const a = await call(blueLead, 'POST', `/tests/${id}/remediation`, {
      title: 'Deploy Sigma rule for whoami /all',
      assigneeId: blueTech.user.id,
      dueDate: '2026-12-01T00:00:00Z',
    });
    expect(a.json().steps[0]).toMatchObject({ status: 'open', assignee: { id: blueTech.user.id } });
    const b = await call(blueLead, 'POST', `/tests/${id}/remediation`, {
      title: 'Forward 4688 events',
      assigneeId: blueTech.user.id,
    });
    const [s1, s2] = b.json().steps as Array<{ id: string }>;
    // Someone else cannot close a step assigned to blue.
    expect(
      (await call(redTech, 'PATCH', `/tests/${id}/remediation/${s1?.id}`, { status: 'done' })).statusCode,
    ).toBe(403);
    const first = await call(blueTech, 'PATCH', `/tests/${id}/remediation/${s1?.id}`, { status: 'done' });
    expect(first.json().retest).toBeNull();
    // Closing the last step twice at once still makes one re-test.
    const [x, y] = await Promise.all([
      call(blueTech, 'PATCH', `/tests/${id}/remediation/${s2?.id}`, { status: 'wont_fix' }),
      call(blueLead, 'PATCH', `/tests/${id}/remediation/${s2?.id}`, { status: 'done' }),
    ]);
    expect([x.statusCode, y.statusCode]).toEqual([200, 200]);
    const view = (await call(blueLead, 'GET', `/tests/${id}/remediation`)).json();
    expect(view.retest).toMatchObject({ retestNumber: 1 });
    const chain = (await call(blueLead, 'GET', `/tests?technique=T1059.003&limit=100`))
      .json()
      .items.filter((t: { retestNumber: number; title: string }) => t.retestNumber === 1);
    expect(chain).toHaveLength(1);
    const retest = (await call(redTech, 'GET', `/tests/${view.retest.id}`)).json();
    expect(retest).toMatchObject({
      state: 'draft',
      chain: { rootId: id, retestOfId: id, retestNumber: 1 },
      title: 'Re-test 1: cmd.exe recon',
    });
    expect(retest.red.commands).toBe('whoami /all');
    expect(retest.transitions[0]).toMatchObject({ action: 'retest', to: 'draft' });
    // Re-opening and closing a step again does not make a second re-test.
    await call(blueLead, 'PATCH', `/tests/${id}/remediation/${s1?.id}`, { status: 'open' });
    await call(blueLead, 'PATCH', `/tests/${id}/remediation/${s1?.id}`, { status: 'done' });
    expect((await call(blueLead, 'GET', `/tests/${id}/remediation`)).json().retest.id).toBe(view.retest.id);

    // The chain filter lists the first test and its re-test, in chain order.
    const listed = (await call(redTech, 'GET', `/tests?chain=${id}&sort=retestNumber&order=asc`)).json();
    expect(listed.items.map((t: { id: string }) => t.id)).toEqual([id, view.retest.id]);
    expect(listed.total).toBe(2);
    expect((await call(redTech, 'GET', '/tests?chain=not-a-uuid')).statusCode).toBe(400);

    // The re-test fixes the gap: coverage follows the chain's latest verdict.
    await validated('detected', view.retest.id);
    expect((await call(blueLead, 'GET', '/techniques/T1059.003')).json().coverageStatus).toBe('validated');
  });

  it('stops at MAX_RETEST_COUNT', async () => {
    const id = await validated('not_detected');
    const step = (await call(blueLead, 'POST', `/tests/${id}/remediation`, { title: 'fix' })).json().steps[0];
    const retestId = (
      await call(blueLead, 'PATCH', `/tests/${id}/remediation/${step.id}`, { status: 'done' })
    ).json().retest.id;
    await validated('not_detected', retestId);
    const view = (await call(blueLead, 'GET', `/tests/${retestId}/remediation`)).json();
    expect(view.retestsLeft).toBe(0);
    const step2 = (
      await call(blueLead, 'POST', `/tests/${retestId}/remediation`, { title: 'fix again' })
    ).json().steps[0];
    const after = (
      await call(blueLead, 'PATCH', `/tests/${retestId}/remediation/${step2.id}`, { status: 'done' })
    ).json();
    expect(after.retest).toBeNull();
    // The leads (and no one else) are told to decide by hand.
    const told = async (who: Session) =>
      (await call(who, 'GET', '/notifications'))
        .json()
        .items.some(
          (n: { kind: string; entityId: string }) =>
            n.kind === 'test.retest_limit' && n.entityId === retestId,
        );
    expect(await Promise.all([redLead, blueLead, redTech, blueTech].map(told))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});
