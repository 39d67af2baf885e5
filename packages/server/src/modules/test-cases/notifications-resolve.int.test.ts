import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../../../test/app';
import { importMiniAttack } from '../../../test/attack-fixture';
import { type Session, signedInAs } from '../../../test/factories';
import { testDbKind } from '../../../test/support';

type Row = {
  user_id: string;
  kind: string;
  title: string;
  resolved: boolean;
  resolved_reason: string | null;
};

/** Notifications that resolve themselves when an action makes them moot (the vote cast, the test moved on, …). */
describe(`notifications resolved by the workflow on ${testDbKind}`, async () => {
  const { platform, app } = await startTestApp({ LOGIN_RATE_LIMIT: '1000' });
  await importMiniAttack(platform);
  const { db } = platform.database;
  const [redTech, redTech2, blueTech, blueTech2, redLead, blueLead, admin] = (await Promise.all(
    (['red_tech', 'red_tech', 'blue_tech', 'blue_tech', 'red_lead', 'blue_lead', 'admin'] as const).map((r) =>
      signedInAs(platform, app, r),
    ),
  )) as Session[] as [Session, Session, Session, Session, Session, Session, Session];

  const call = async (who: Session, method: 'POST' | 'PUT' | 'PATCH', url: string, payload: object = {}) => {
    const res = await app.inject({ method, url: `/api/v1${url}`, headers: who.bearer, payload });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json();
  };
  const act = (who: Session, id: string, action: string) =>
    call(who, 'POST', `/tests/${id}/transitions`, { action });
  const vote = (who: Session, id: string, decision: 'approve' | 'reject', side?: 'red' | 'blue') =>
    call(who, 'POST', `/tests/${id}/votes`, { decision, comment: '', ...(side ? { side } : {}) });
  const rowsOf = async (testId: string): Promise<Row[]> =>
    (
      await db.execute<Row>(sql`select user_id, kind, title, resolved_at is not null as resolved, resolved_reason
        from notifications where entity_id = ${testId} order by created_at, user_id`)
    ).rows;
  const openFor = async (testId: string, who: Session) =>
    (await rowsOf(testId)).filter((r) => r.user_id === who.user.id && !r.resolved);
  const count = async (who: Session) =>
    (await app.inject({ url: '/api/v1/notifications/unread-count', headers: who.bearer })).json()
      .count as number;

  // Techs assign only themselves: a test assigned to others is created by a lead.
  const newTest = async (title: string, assigned: { assignedRedId?: string; assignedBlueId?: string } = {}) =>
    (
      await call(Object.keys(assigned).length > 0 ? redLead : redTech, 'POST', '/tests', {
        technique: 'T1059.001',
        title,
        ...assigned,
      })
    ).id as string;
  const toBlue = async (id: string) => {
    await act(redTech, id, 'start_execution');
    await call(redTech, 'PUT', `/tests/${id}/red`, {
      commands: 'x',
      executionStartedAt: '2026-11-22T12:00:00Z',
    });
    await act(redTech, id, 'submit_to_blue');
  };
  const toReview = async (id: string) => {
    await toBlue(id);
    await call(blueTech, 'PUT', `/tests/${id}/blue`, {
      toolResults: [{ tool: 'EDR', outcome: 'detected', notes: '' }],
    });
    await act(blueTech, id, 'submit_for_review');
  };

  it('after the second vote, every "vote needed" notification of the test is resolved for both leads', async () => {
    const id = await newTest('Kerberoasting');
    await toReview(id);
    expect((await openFor(id, redLead)).map((r) => r.kind)).toEqual(['test.transition']);
    expect((await openFor(id, blueLead)).map((r) => r.kind)).toEqual(['test.transition']);
    const before = { red: await count(redLead), blue: await count(blueLead) };

    await vote(redLead, id, 'approve');
    // The red side has voted: its "now in review" is done; blue is asked again, by name.
    expect(await openFor(id, redLead)).toEqual([]);
    const redRows = (await rowsOf(id)).filter((r) => r.user_id === redLead.user.id);
    expect(redRows.map((r) => r.resolved_reason)).toEqual([`red vote cast by ${redLead.user.username}`]);
    expect((await openFor(id, blueLead)).map((r) => r.kind)).toEqual(['test.transition', 'test.vote']);
    expect(await count(redLead)).toBe(before.red - 1);

    await vote(blueLead, id, 'approve');
    const votes = (await rowsOf(id)).filter(
      (r) => [redLead.user.id, blueLead.user.id].includes(r.user_id) && r.kind !== 'test.reviewed',
    );
    expect(votes).toHaveLength(3);
    expect(votes.every((r) => r.resolved)).toBe(true);
    expect(votes.filter((r) => r.user_id === blueLead.user.id).map((r) => r.resolved_reason)).toEqual([
      'test validated',
      'test validated',
    ]);
    expect(await count(blueLead)).toBe(before.blue - 1);
    expect(await count(redLead)).toBe(before.red - 1);
    // The list keeps them, with the reason; "unread only" is what still needs the user.
    const list = (
      await app.inject({ url: '/api/v1/notifications?limit=100', headers: blueLead.bearer })
    ).json();
    expect(list.items.filter((n: { entityId: string }) => n.entityId === id)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'test.vote', resolvedReason: 'test validated', readAt: null }),
      ]),
    );
    expect(
      list.items.every(
        (n: { resolvedAt: string | null }) => n.resolvedAt === null || typeof n.resolvedAt === 'string',
      ),
    ).toBe(true);
    const open = (
      await app.inject({ url: '/api/v1/notifications?unreadOnly=true&limit=100', headers: blueLead.bearer })
    ).json();
    expect(open.items.some((n: { entityId: string }) => n.entityId === id)).toBe(false);
  });

  it('a reject decides the test: every vote notification is resolved, and a reopen resolves the "rejected" ones', async () => {
    const id = await newTest('Pass the hash');
    await toReview(id);
    await vote(blueLead, id, 'reject');
    const decided = (await rowsOf(id)).filter(
      (r) => r.kind === 'test.transition' && r.title.endsWith('in review'),
    );
    expect(decided.length).toBeGreaterThanOrEqual(2);
    expect(decided.every((r) => r.resolved && r.resolved_reason === 'test rejected')).toBe(true);
    // The leads are told it was rejected (rework): open until someone reopens it.
    expect((await openFor(id, redLead)).map((r) => r.kind)).toEqual(['test.reviewed']);
    await act(redLead, id, 'reopen');
    const rework = (await rowsOf(id)).filter((r) => r.kind === 'test.reviewed');
    expect(
      rework.every((r) => r.resolved && r.resolved_reason === `moved to draft by ${redLead.user.username}`),
    ).toBe(true);
  });

  it('moving on resolves what the previous state asked: red’s "to execute" when red hands over to blue', async () => {
    const id = await newTest('Encoded PowerShell');
    // Unassigned: every red tech but the creator was asked to execute.
    expect((await openFor(id, redTech2)).map((r) => r.kind)).toEqual(['test.created']);
    await act(redTech, id, 'start_execution');
    // The new state asks again (one open notification each), the creation notice is done.
    expect((await openFor(id, redTech2)).map((r) => r.kind)).toEqual(['test.transition']);
    await call(redTech, 'PUT', `/tests/${id}/red`, {
      commands: 'x',
      executionStartedAt: '2026-11-22T12:00:00Z',
    });
    await act(redTech, id, 'submit_to_blue');
    expect(await openFor(id, redTech2)).toEqual([]);
    const red2 = (await rowsOf(id)).filter((r) => r.user_id === redTech2.user.id);
    expect(red2.at(-1)?.resolved_reason).toBe(`moved to blue evaluating by ${redTech.user.username}`);
    expect((await openFor(id, blueTech)).map((r) => r.kind)).toEqual(['test.transition']);
    await call(blueTech, 'PUT', `/tests/${id}/blue`, {
      toolResults: [{ tool: 'EDR', outcome: 'logged', notes: '' }],
    });
    await act(blueTech, id, 'submit_for_review');
    expect(await openFor(id, blueTech)).toEqual([]);
  });

  it('reassigning a side resolves the previous people’s notifications, not the new assignee’s', async () => {
    const id = await newTest('Reassigned', {});
    await act(redTech, id, 'start_execution');
    expect(await openFor(id, redTech2)).toHaveLength(1);
    await call(redLead, 'PATCH', `/tests/${id}`, { assignedRedId: redTech.user.id });
    expect(await openFor(id, redTech2)).toEqual([]);
    const reason = (await rowsOf(id)).filter((r) => r.user_id === redTech2.user.id).at(-1)?.resolved_reason;
    expect(reason).toBe(`reassigned to ${redTech.user.username}`);
    // Blue is not the side asked to act yet: its (absent) notifications are untouched, nothing fails.
    await call(redLead, 'PATCH', `/tests/${id}`, { assignedBlueId: blueTech.user.id });

    const other = await newTest('Blue reassigned', { assignedBlueId: blueTech.user.id });
    await toBlue(other);
    expect((await openFor(other, blueTech)).map((r) => r.kind)).toEqual(['test.transition']);
    await call(admin, 'PATCH', `/tests/${other}`, { assignedBlueId: blueTech2.user.id });
    expect(await openFor(other, blueTech)).toEqual([]);
  });

  it('assigning both sides at once keeps the new assignees’ notices open, and only theirs', async () => {
    const id = await newTest('Both sides');
    expect(await openFor(id, redTech2)).toHaveLength(1);
    await call(redLead, 'PATCH', `/tests/${id}`, {
      assignedRedId: redTech.user.id,
      assignedBlueId: blueTech.user.id,
    });
    expect(await openFor(id, redTech2)).toEqual([]);
    expect((await openFor(id, redTech)).map((r) => r.kind)).toEqual(['test.assigned']);
    expect((await openFor(id, blueTech)).map((r) => r.kind)).toEqual(['test.assigned']);
  });

  it('closing or reassigning a remediation step resolves its assignee’s notification', async () => {
    const id = await newTest('Gap found');
    await toBlue(id);
    await call(blueTech, 'PUT', `/tests/${id}/blue`, {
      toolResults: [{ tool: 'EDR', outcome: 'not_detected', notes: '' }],
    });
    await act(blueTech, id, 'submit_for_review');
    await vote(redLead, id, 'approve');
    await vote(blueLead, id, 'approve');
    const add = async (title: string, assignee: Session) =>
      (
        await call(blueLead, 'POST', `/tests/${id}/remediation`, {
          title,
          description: '',
          assigneeId: assignee.user.id,
        })
      ).steps as Array<{ id: string; title: string }>;
    await add('Tune the EDR rule', blueTech);
    const steps = await add('Add a Sigma rule', blueTech);
    const [first, second] = steps;
    const remediation = async (who: Session) =>
      (await openFor(id, who)).filter((r) => r.kind === 'remediation.assigned');
    expect(await remediation(blueTech)).toHaveLength(2);

    // blueTech still has another open step of this test: the notifications stay.
    await call(blueLead, 'PATCH', `/tests/${id}/remediation/${first?.id}`, { assigneeId: blueTech2.user.id });
    expect(await remediation(blueTech)).toHaveLength(2);
    await call(blueLead, 'PATCH', `/tests/${id}/remediation/${second?.id}`, { status: 'wont_fix' });
    // Now none of the test's open steps is theirs.
    expect(await remediation(blueTech)).toEqual([]);
    expect(await remediation(blueTech2)).toHaveLength(1);
    await call(blueTech2, 'PATCH', `/tests/${id}/remediation/${first?.id}`, { status: 'done' });
    expect(await remediation(blueTech2)).toEqual([]);
  });
});
