import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../../../test/app';
import { importMiniAttack } from '../../../test/attack-fixture';
import { type Session, signedInAs } from '../../../test/factories';
import { testDbKind } from '../../../test/support';

describe(`the red/blue workflow on ${testDbKind}`, async () => {
  const { platform, app } = await startTestApp({ LOGIN_RATE_LIMIT: '1000' });
  await importMiniAttack(platform);
  const [redTech, blueTech, redLead, blueLead, viewer] = (await Promise.all(
    (['red_tech', 'blue_tech', 'red_lead', 'blue_lead', 'viewer'] as const).map((r) =>
      signedInAs(platform, app, r),
    ),
  )) as [Session, Session, Session, Session, Session];
  const call = (who: Session, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) =>
    app.inject({ method, url: `/api/v1${url}`, headers: who.bearer, ...(payload ? { payload } : {}) });
  const coverage = async (attackId: string) =>
    (await call(viewer, 'GET', `/techniques/${attackId}`)).json().coverageStatus;
  const act = (who: Session, id: string, action: string, comment = '') =>
    call(who, 'POST', `/tests/${id}/transitions`, { action, comment });
  const vote = (who: Session, id: string, decision: 'approve' | 'reject', comment = '') =>
    call(who, 'POST', `/tests/${id}/votes`, { decision, comment });

  it('shows each team only its own record until review; leads see both; the response says what is hidden', async () => {
    const id = (await call(redTech, 'POST', '/tests', { technique: 'T1059', title: 'blind' })).json()
      .id as string;
    await act(redTech, id, 'start_execution');
    await call(redTech, 'PUT', `/tests/${id}/red`, {
      procedure: 'red procedure',
      commands: 'red commands',
      targetHost: 'ws-007',
      executionStartedAt: '2026-11-22T10:00:00Z',
    });
    await act(redTech, id, 'submit_to_blue');
    await call(blueTech, 'PUT', `/tests/${id}/blue`, {
      toolResults: [{ tool: 'EDR', outcome: 'detected', notes: 'blue tool note' }],
      firedRules: [{ name: 'blue rule' }],
      notes: 'blue notes',
    });
    const read = async (who: Session) => {
      const detail = (await call(who, 'GET', `/tests/${id}`)).json();
      const row = (await call(who, 'GET', '/tests?limit=500'))
        .json()
        .items.find((t: { id: string }) => t.id === id);
      return { detail, row };
    };
    const emptyBlue = {
      outcome: null,
      outcomeExplicit: false,
      toolResults: [],
      detectedAt: null,
      detectedAtExplicit: false,
      firedRules: [],
      notes: '',
    };

    for (const who of [redTech, viewer]) {
      const { detail, row } = await read(who);
      expect(detail.blue, who.user.role).toEqual(emptyBlue);
      expect(detail.outcome, who.user.role).toBeNull();
      expect(row.outcome, who.user.role).toBeNull();
      expect(JSON.stringify(detail)).not.toMatch(/blue (notes|rule|tool note)/);
    }
    expect((await read(redTech)).detail.hidden).toEqual(['blue']);
    expect((await read(redTech)).detail.red.procedure).toBe('red procedure');
    const seenByViewer = await read(viewer);
    expect(seenByViewer.detail.hidden).toEqual(['red', 'blue']);
    expect(seenByViewer.row.hidden).toEqual(['red', 'blue']);
    expect(seenByViewer.detail.red).toMatchObject({ procedure: '', commands: '', targetHost: 'ws-007' });

    const seenByBlue = await read(blueTech);
    expect(seenByBlue.detail.hidden).toEqual(['red']);
    expect(seenByBlue.detail.red).toMatchObject({ procedure: '', commands: '', targetHost: 'ws-007' });
    expect(seenByBlue.detail.blue.notes).toBe('blue notes');
    expect(seenByBlue.row.outcome).toBe('detected');

    for (const lead of [redLead, blueLead]) {
      const { detail } = await read(lead);
      expect(detail.hidden).toEqual([]);
      expect(detail.blue).toMatchObject({ outcome: 'detected', notes: 'blue notes' });
      expect(detail.red.procedure).toBe('red procedure');
    }

    // After the review (here: a rejection) everyone sees everything.
    await act(blueTech, id, 'submit_for_review');
    expect((await vote(blueLead, id, 'reject')).json().state).toBe('rejected');
    const after = await read(viewer);
    expect(after.detail.hidden).toEqual([]);
    expect(after.detail.blue.notes).toBe('blue notes');
    expect(after.row.outcome).toBe('detected');
  });

  it('walks a test through every state with five users, refusing each wrong step', async () => {
    expect((await call(viewer, 'POST', '/tests', { technique: 'T1059.001', title: 'x' })).statusCode).toBe(
      403,
    );
    expect((await call(blueTech, 'POST', '/tests', { technique: 'T1059.001', title: 'x' })).statusCode).toBe(
      403,
    );
    const bad = await call(redTech, 'POST', '/tests', { technique: 'T9999', title: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues.map((i: { path: string }) => i.path)).toEqual(['body.title']);
    expect(
      (await call(redTech, 'POST', '/tests', { technique: 'T9999', title: 'x' })).json().error.details
        .issues[0].path,
    ).toBe('body.technique');

    const created = await call(redTech, 'POST', '/tests', {
      technique: 'T1059.001',
      title: 'Encoded PowerShell download cradle',
      platform: 'Windows',
      expectedOutcome: 'detected',
    });
    expect(created.statusCode).toBe(201);
    const test = created.json();
    expect(test).toMatchObject({
      state: 'draft',
      tactic: 'execution',
      technique: { attackId: 'T1059.001' },
      allowedActions: ['start_execution'],
    });
    const id = test.id as string;
    expect(await coverage('T1059.001')).toBe('in_progress');
    expect(await coverage('T1059')).toBe('in_progress');

    // Draft: only red may start; nothing else is legal.
    expect((await act(blueTech, id, 'start_execution')).statusCode).toBe(403);
    const early = await act(redTech, id, 'submit_to_blue');
    expect(early.statusCode).toBe(409);
    expect(early.json().error.details).toEqual({ state: 'draft', allowed: ['start_execution'] });
    expect((await act(redTech, id, 'start_execution', 'going in')).json().state).toBe('red_executing');

    // Red executing: the red record is required before handing over to blue.
    const incomplete = await act(redTech, id, 'submit_to_blue');
    expect(incomplete.statusCode).toBe(409);
    expect(incomplete.json().error.message).toMatch(/procedure or commands/);
    expect((await call(blueTech, 'PUT', `/tests/${id}/red`, { procedure: 'x' })).statusCode).toBe(403);
    const badTimes = await call(redTech, 'PUT', `/tests/${id}/red`, {
      executionStartedAt: '2026-11-22T10:00:00Z',
      executionEndedAt: '2026-11-22T09:00:00Z',
    });
    expect(badTimes.json().error.details.issues[0].path).toBe('body.executionEndedAt');
    const red = await call(redTech, 'PUT', `/tests/${id}/red`, {
      procedure: 'IEX (New-Object Net.WebClient).DownloadString(...)',
      commands: 'powershell -enc SQBFAFgA...',
      targetHost: 'ws-042',
      executionStartedAt: '2026-11-22T10:00:00Z',
      executionEndedAt: '2026-11-22T10:02:00Z',
    });
    expect(red.json().red).toMatchObject({
      targetHost: 'ws-042',
      executionStartedAt: '2026-11-22T10:00:00.000Z',
    });
    expect((await act(redTech, id, 'submit_to_blue')).json().state).toBe('blue_evaluating');

    // Blue evaluating: red can no longer edit; blue must record an outcome before review.
    expect((await call(redTech, 'PUT', `/tests/${id}/red`, { procedure: 'changed' })).statusCode).toBe(409);
    expect((await call(redTech, 'PUT', `/tests/${id}/blue`, { outcome: 'prevented' })).statusCode).toBe(403);
    expect((await act(blueTech, id, 'submit_for_review')).statusCode).toBe(409);
    const blue = await call(blueTech, 'PUT', `/tests/${id}/blue`, {
      toolResults: [
        {
          tool: 'Defender for Endpoint',
          outcome: 'detected',
          detectedAt: '2026-11-22T10:03:10Z',
          firstLoggedAt: '2026-11-22T10:00:05Z',
        },
        { tool: 'Splunk', outcome: 'logged', firstLoggedAt: '2026-11-22T10:01:00Z' },
      ],
      firedRules: [{ name: 'Suspicious Encoded PowerShell Command Line' }],
      notes: 'Alert raised 3 min after execution',
    });
    expect(blue.statusCode).toBe(200);
    // The first alert is the earliest tool alert (spec §2.2) until blue sets it; null hands it back.
    expect(blue.json().blue).toMatchObject({
      outcome: 'detected',
      outcomeExplicit: false,
      detectedAt: '2026-11-22T10:03:10.000Z',
      detectedAtExplicit: false,
    });
    const overridden = await call(blueTech, 'PUT', `/tests/${id}/blue`, {
      detectedAt: '2026-11-22T10:02:30Z',
    });
    expect(overridden.json().blue).toMatchObject({
      detectedAt: '2026-11-22T10:02:30.000Z',
      detectedAtExplicit: true,
    });
    const kept = await call(blueTech, 'PUT', `/tests/${id}/blue`, {
      notes: 'Alert raised 3 min after execution',
    });
    expect(kept.json().blue.detectedAt).toBe('2026-11-22T10:02:30.000Z');
    const derived = await call(blueTech, 'PUT', `/tests/${id}/blue`, { detectedAt: null });
    expect(derived.json().blue).toMatchObject({
      detectedAt: '2026-11-22T10:03:10.000Z',
      detectedAtExplicit: false,
    });
    expect(blue.json().outcome).toBe('detected');
    expect((await act(redTech, id, 'submit_for_review')).statusCode).toBe(403);
    expect((await act(blueTech, id, 'submit_for_review')).json().state).toBe('in_review');

    // Review: techs cannot vote; one approval keeps it in review; a rejection rejects.
    expect((await vote(redTech, id, 'approve')).statusCode).toBe(403);
    expect((await act(blueTech, id, 'reopen')).statusCode).toBe(403);
    const one = await vote(redLead, id, 'approve', 'procedure reproduced');
    expect(one.json()).toMatchObject({
      state: 'in_review',
      votes: [expect.objectContaining({ side: 'red', decision: 'approve' })],
    });
    const rejected = await vote(blueLead, id, 'reject', 'need the raw EDR alert as evidence');
    expect(rejected.json().state).toBe('rejected');
    expect(rejected.json().rejectedAt).not.toBeNull();
    expect(await coverage('T1059.001')).toBe('in_progress');

    // Rejected → reopen (a lead) → the loop again, votes reset.
    expect((await act(redTech, id, 'reopen')).statusCode).toBe(403);
    const reopened = await act(blueLead, id, 'reopen', 'add the alert');
    expect(reopened.json()).toMatchObject({ state: 'draft', votes: [] });
    await act(redTech, id, 'start_execution');
    await act(redTech, id, 'submit_to_blue');
    await act(blueTech, id, 'submit_for_review');
    await vote(blueLead, id, 'approve');
    expect((await vote(blueLead, id, 'reject')).json().state).toBe('rejected'); // changing a vote before the outcome counts
    await act(redLead, id, 'reopen');
    await act(redTech, id, 'start_execution');
    await act(redTech, id, 'submit_to_blue');
    await act(blueTech, id, 'submit_for_review');
    await vote(blueLead, id, 'reject');
    const changed = await vote(blueLead, id, 'approve');
    expect(changed.statusCode).toBe(409); // the reject already decided the outcome
    await act(redLead, id, 'reopen');
    await act(redTech, id, 'start_execution');
    await act(redTech, id, 'submit_to_blue');
    await act(blueTech, id, 'submit_for_review');
    await vote(blueLead, id, 'approve');
    const validated = await vote(redLead, id, 'approve', 'good');
    expect(validated.json()).toMatchObject({
      state: 'validated',
      coverageStatus: 'validated',
      allowedActions: [],
    });
    expect(validated.json().validatedAt).not.toBeNull();
    expect((await vote(redLead, id, 'approve')).statusCode).toBe(409);
    expect((await call(redTech, 'PATCH', `/tests/${id}`, { title: 'late edit' })).statusCode).toBe(409);

    // Coverage: the sub-technique is validated and the parent rolls up.
    expect(await coverage('T1059.001')).toBe('validated');
    expect(await coverage('T1059')).toBe('validated');
    const history = await platform.database.db.execute<{ to_status: string }>(
      sql`select h.to_status from coverage_history h join attack_objects o on o.id = h.technique_id
           where o.attack_id = 'T1059.001' order by h.at, h.id`,
    );
    expect(history.rows.map((r) => r.to_status)).toEqual(['in_progress', 'validated']);

    const detail = (await call(viewer, 'GET', `/tests/${id}`)).json();
    expect(detail.allowedActions).toEqual([]);
    expect(detail.canVote).toBe(false);
    expect(detail.transitions.map((t: { to: string }) => t.to).slice(0, 5)).toEqual([
      'draft',
      'red_executing',
      'blue_evaluating',
      'in_review',
      'rejected',
    ]);
    expect(detail.transitions.at(-1)).toMatchObject({ from: 'in_review', to: 'validated', action: 'review' });
    expect(detail.transitions[1].actor.username).toBe(redTech.user.username);
    const audit = await platform.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_logs where entity_type = 'test_case' and entity_id = ${id}`,
    );
    expect(audit.rows[0]?.n).toBeGreaterThan(20);
  });

  it('lists tests with filters and shows each role its pending tasks', async () => {
    const mk = async (title: string) =>
      (
        await call(redLead, 'POST', '/tests', { technique: 'T1053', title, assignedBlueId: blueTech.user.id })
      ).json().id as string;
    const a = await mk('Schedule a task via schtasks');
    const b = await mk('Cron persistence');
    await act(redTech, b, 'start_execution');
    await call(redTech, 'PUT', `/tests/${b}/red`, {
      commands: 'schtasks /create',
      executionStartedAt: '2026-11-22T11:00:00Z',
    });
    await act(redTech, b, 'submit_to_blue');
    const list = (await call(viewer, 'GET', '/tests?technique=T1053&sort=title&order=asc')).json();
    expect(list.items.map((t: { title: string }) => t.title)).toEqual([
      'Cron persistence',
      'Schedule a task via schtasks',
    ]);
    expect((await call(viewer, 'GET', '/tests?state=blue_evaluating&technique=T1053')).json().total).toBe(1);
    expect((await call(blueTech, 'GET', '/tests?assignedTo=me')).json().total).toBe(2);
    const redTasks = (await call(redTech, 'GET', '/tests/pending')).json().items;
    expect(redTasks.map((t: { test: { id: string }; kind: string }) => [t.test.id, t.kind])).toContainEqual([
      a,
      'execute',
    ]);
    const blueTasks = (await call(blueTech, 'GET', '/tests/pending')).json().items;
    expect(blueTasks.map((t: { test: { id: string }; kind: string }) => [t.test.id, t.kind])).toEqual([
      [b, 'evaluate'],
    ]);
    expect((await call(viewer, 'GET', '/tests/pending')).json().items).toEqual([]);

    // Waiting for the blue side: unassigned ones for every blue analyst, an assigned one only for its assignee.
    const toBlue = async (title: string, assignedBlueId?: string) => {
      const id = (await call(redLead, 'POST', '/tests', { technique: 'T1053', title, assignedBlueId })).json()
        .id as string;
      await act(redTech, id, 'start_execution');
      await call(redTech, 'PUT', `/tests/${id}/red`, {
        commands: 'crontab -l',
        executionStartedAt: '2026-11-22T12:00:00Z',
      });
      await act(redTech, id, 'submit_to_blue');
      return id;
    };
    const c = await toBlue('Assigned to the blue lead', blueLead.user.id);
    const d = await toBlue('Nobody on blue yet');
    const evaluate = async (who: typeof blueTech) =>
      (await call(who, 'GET', '/tests/pending')).json().items.map((t: { test: { id: string } }) => t.test.id);
    expect(await evaluate(blueTech)).toEqual([b, d]);
    const leadTasks = await evaluate(blueLead);
    expect(leadTasks).toEqual(expect.arrayContaining([c, d]));
    expect(leadTasks).not.toContain(b);
    const bad = await call(viewer, 'GET', '/tests?state=done');
    expect(bad.json().error.details.issues[0].path).toBe('query.state');
  });

  it('records concurrent votes consistently: one outcome, both votes (20 races)', async () => {
    const { db } = platform.database;
    for (let i = 0; i < 20; i++) {
      const id = (
        await call(redTech, 'POST', '/tests', { technique: 'T1059.003', title: `race ${i}` })
      ).json().id as string;
      await db.execute(sql`update test_cases set state = 'in_review' where id = ${id}::uuid`);
      const blueDecision = i % 2 === 0 ? 'approve' : 'reject';
      const results = await Promise.all([vote(redLead, id, 'approve'), vote(blueLead, id, blueDecision)]);
      expect(results.map((r) => r.statusCode)).toEqual([200, 200]);
      const final = (await call(viewer, 'GET', `/tests/${id}`)).json();
      expect(final.state).toBe(blueDecision === 'approve' ? 'validated' : 'rejected');
      expect(final.votes).toHaveLength(2);
      expect(final.transitions.filter((t: { action: string }) => t.action === 'review')).toHaveLength(1);
    }
  });
});
