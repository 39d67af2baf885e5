import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../../../test/app';
import { importMiniAttack } from '../../../test/attack-fixture';
import { buildUser, type Session, signedInAs } from '../../../test/factories';
import { testDbKind } from '../../../test/support';

describe(`assigning the red and blue people of tests on ${testDbKind}`, async () => {
  const { platform, app } = await startTestApp({ LOGIN_RATE_LIMIT: '1000' });
  const { db } = platform.database;
  await importMiniAttack(platform);
  const [redTech, redTech2, blueTech, redLead, blueLead, viewer, admin] = (await Promise.all(
    (['red_tech', 'red_tech', 'blue_tech', 'red_lead', 'blue_lead', 'viewer', 'admin'] as const).map((r) =>
      signedInAs(platform, app, r),
    ),
  )) as [Session, Session, Session, Session, Session, Session, Session];
  type Method = 'GET' | 'POST' | 'PUT' | 'PATCH';
  const call = (who: Session, method: Method, url: string, payload?: object) =>
    app.inject({ method, url: `/api/v1${url}`, headers: who.bearer, ...(payload ? { payload } : {}) });
  const create = async (who: Session, title: string, extra: object = {}) => {
    const res = await call(who, 'POST', '/tests', { technique: 'T1059.001', title, ...extra });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  const notificationsOf = async (userId: string, testId: string) =>
    (
      await db.execute<{ kind: string; title: string; body: string }>(
        sql`select kind, title, body from notifications where user_id = ${userId}::uuid and entity_id = ${testId} order by created_at, id`,
      )
    ).rows;
  const auditOf = async (testId: string) =>
    (
      await db.execute<{ action: string; actor_username: string; summary: Record<string, unknown> }>(
        sql`select action, actor_username, summary from audit_logs where entity_type = 'test_case' and entity_id = ${testId} order by at, id`,
      )
    ).rows;
  const setState = (id: string, state: string) =>
    db.execute(sql`update test_cases set state = ${state} where id = ${id}::uuid`);

  describe('who can be assigned', () => {
    it('lists the active people of a side by display name, with a search', async () => {
      const tag = `asg${Date.now().toString(36)}`;
      const make = (role: 'red_tech' | 'red_lead' | 'blue_tech' | 'viewer' | 'admin', name: string) =>
        buildUser(platform, {
          role,
          username: `${tag}-${name.toLowerCase()}`,
          email: `${tag}-${name.toLowerCase()}@x.test`,
          displayName: `${tag} ${name}`,
        });
      const carol = await make('red_tech', 'Carol');
      const alice = await make('red_lead', 'alice');
      const bob = await make('admin', 'Bob');
      await make('blue_tech', 'Blue');
      await make('viewer', 'Viewer');
      const gone = await make('red_tech', 'Gone');
      await platform.services.users.update(
        { userId: null, username: 'cli', ip: null, requestId: null },
        gone.id,
        { active: false },
      );

      const res = await call(blueTech, 'GET', `/users/assignable?side=red&q=${tag}`);
      expect(res.statusCode).toBe(200);
      expect(res.json().items).toEqual([
        { id: alice.id, username: alice.username, displayName: `${tag} alice`, role: 'red_lead' },
        { id: bob.id, username: bob.username, displayName: `${tag} Bob`, role: 'admin' },
        { id: carol.id, username: carol.username, displayName: `${tag} Carol`, role: 'red_tech' },
      ]);
      const blue = (await call(redTech, 'GET', `/users/assignable?side=blue&q=${tag}`)).json();
      expect(blue.items.map((u: { role: string }) => u.role)).toEqual(['blue_tech', 'admin']); // Blue < Bob
      const byUsername = (await call(redTech, 'GET', `/users/assignable?side=red&q=${tag}-car`)).json();
      expect(byUsername.items.map((u: { id: string }) => u.id)).toEqual([carol.id]);
      // No credentials or e-mail addresses leave through the picker.
      expect(JSON.stringify(res.json())).not.toMatch(/email|password/i);
    });

    it('refuses viewers, and a missing or unknown side naming the field', async () => {
      expect((await call(viewer, 'GET', '/users/assignable?side=red')).statusCode).toBe(403);
      for (const url of ['/users/assignable', '/users/assignable?side=green']) {
        const res = await call(redTech, 'GET', url);
        expect(res.statusCode).toBe(400);
        expect(res.json().error.details.issues.map((i: { path: string }) => i.path)).toEqual(['query.side']);
      }
    });
  });

  describe('assigning on create and edit', () => {
    it('lets a lead assign both sides; each assignee is told once, in the same transaction', async () => {
      const id = await create(redLead, 'Lead-assigned at creation', {
        assignedRedId: redTech.user.id,
        assignedBlueId: blueTech.user.id,
      });
      const red = await notificationsOf(redTech.user.id, id);
      expect(red).toEqual([
        {
          kind: 'test.assigned',
          title: 'You are the red person of Lead-assigned at creation',
          body: `Assigned by ${redLead.user.username}`,
        },
      ]);
      expect((await notificationsOf(blueTech.user.id, id)).map((n) => n.kind)).toEqual(['test.assigned']);
      // Other red techs are not asked to execute a test someone holds.
      expect(await notificationsOf(redTech2.user.id, id)).toEqual([]);
      expect((await auditOf(id))[0]?.summary).toMatchObject({
        assignees: { red: redTech.user.id, blue: blueTech.user.id },
      });
    });

    it('lets a red tech take its own side at creation, and nothing more', async () => {
      const id = await create(redTech, 'Mine from the start', { assignedRedId: redTech.user.id });
      expect((await call(redTech, 'GET', `/tests/${id}`)).json().assignedRed.id).toBe(redTech.user.id);
      expect(await notificationsOf(redTech.user.id, id)).toEqual([]);
      for (const [field, value] of [
        ['assignedRedId', redTech2.user.id],
        ['assignedBlueId', blueTech.user.id],
      ] as const) {
        const res = await call(redTech, 'POST', '/tests', {
          technique: 'T1059.001',
          title: 'not mine to give',
          [field]: value,
        });
        expect(res.statusCode).toBe(403);
        expect(res.json().error.details.field).toBe(`body.${field}`);
        expect(res.json().error.message).toContain(`body.${field}`);
      }
    });

    it('refuses an assignee who may not hold that side, naming the field', async () => {
      const res = await call(redLead, 'POST', '/tests', {
        technique: 'T1059.001',
        title: 'wrong sides',
        assignedRedId: blueTech.user.id,
        assignedBlueId: viewer.user.id,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details.issues.map((i: { path: string }) => i.path)).toEqual([
        'body.assignedRedId',
        'body.assignedBlueId',
      ]);
      const id = await create(redTech, 'edit me');
      const patch = await call(blueLead, 'PATCH', `/tests/${id}`, { assignedBlueId: redTech.user.id });
      expect(patch.statusCode).toBe(400);
      expect(patch.json().error.details.issues[0].path).toBe('body.assignedBlueId');
    });

    it('lets leads and admins change the assignees on edit; a tech, even the author, gets a 403 naming the field', async () => {
      const id = await create(redTech, 'Reassign me', { assignedRedId: redTech.user.id });
      const byAuthor = await call(redTech, 'PATCH', `/tests/${id}`, { assignedRedId: redTech2.user.id });
      expect(byAuthor.statusCode).toBe(403);
      expect(byAuthor.json().error).toMatchObject({
        code: 'forbidden',
        details: { field: 'body.assignedRedId' },
      });
      const blueByAuthor = await call(redTech, 'PATCH', `/tests/${id}`, {
        title: 'Reassign me',
        assignedBlueId: blueTech.user.id,
      });
      expect(blueByAuthor.json().error.details.field).toBe('body.assignedBlueId');
      // Sending the assignees as they are is an edit of the other fields only.
      const same = await call(redTech, 'PATCH', `/tests/${id}`, {
        title: 'Reassign me, renamed',
        assignedRedId: redTech.user.id,
      });
      expect(same.statusCode).toBe(200);

      const byLead = await call(blueLead, 'PATCH', `/tests/${id}`, {
        assignedRedId: redTech2.user.id,
        assignedBlueId: blueTech.user.id,
      });
      expect(byLead.statusCode).toBe(200);
      expect(byLead.json()).toMatchObject({
        assignedRed: { id: redTech2.user.id },
        assignedBlue: { id: blueTech.user.id },
      });
      expect((await notificationsOf(redTech2.user.id, id)).map((n) => n.kind)).toEqual(['test.assigned']);
      expect((await notificationsOf(blueTech.user.id, id)).map((n) => n.kind)).toEqual(['test.assigned']);
      expect((await auditOf(id)).at(-1)).toMatchObject({
        action: 'test_case.update',
        actor_username: blueLead.user.username,
        summary: {
          assignees: {
            red: { from: redTech.user.id, to: redTech2.user.id },
            blue: { from: null, to: blueTech.user.id },
          },
        },
      });

      // An admin assigning itself is not told about it; unassigning tells nobody.
      const self = await call(admin, 'PATCH', `/tests/${id}`, { assignedBlueId: admin.user.id });
      expect(self.json().assignedBlue.id).toBe(admin.user.id);
      expect(await notificationsOf(admin.user.id, id)).toEqual([]);
      const freed = await call(redLead, 'PATCH', `/tests/${id}`, { assignedRedId: null });
      expect(freed.json().assignedRed).toBeNull();
      expect((await notificationsOf(redTech2.user.id, id)).length).toBe(1);

      await setState(id, 'in_review');
      const late = await call(redLead, 'PATCH', `/tests/${id}`, { assignedRedId: redTech.user.id });
      expect(late.statusCode).toBe(409);
    });
  });

  describe('taking a free side', () => {
    it('makes the caller the assignee, audits it, and refuses a side someone holds naming them', async () => {
      const id = await create(redLead, 'Up for grabs');
      const taken = await call(redTech, 'POST', `/tests/${id}/take`, { side: 'red' });
      expect(taken.statusCode).toBe(200);
      expect(taken.json()).toMatchObject({ id, assignedRed: { id: redTech.user.id }, assignedBlue: null });
      expect((await auditOf(id)).at(-1)).toMatchObject({
        action: 'test_case.take',
        actor_username: redTech.user.username,
        summary: { side: 'red', assignees: { red: { from: null, to: redTech.user.id } } },
      });
      expect((await notificationsOf(redTech.user.id, id)).filter((n) => n.kind === 'test.assigned')).toEqual(
        [],
      );

      const again = await call(redTech, 'POST', `/tests/${id}/take`, { side: 'red' });
      expect(again.statusCode).toBe(200);
      expect((await auditOf(id)).filter((r) => r.action === 'test_case.take')).toHaveLength(1);

      const held = await call(redTech2, 'POST', `/tests/${id}/take`, { side: 'red' });
      expect(held.statusCode).toBe(409);
      expect(held.json().error.message).toContain(redTech.user.displayName);
      expect(held.json().error.details).toMatchObject({ field: 'body.side', assigneeId: redTech.user.id });

      const lead = await call(blueLead, 'POST', `/tests/${id}/take`, { side: 'blue' });
      expect(lead.json().assignedBlue.id).toBe(blueLead.user.id);
    });

    it('refuses the other team (403), a finished or reviewed test (409) and a bad side (400)', async () => {
      const id = await create(redLead, 'Not yours');
      const wrongTeam = await call(blueTech, 'POST', `/tests/${id}/take`, { side: 'red' });
      expect(wrongTeam.statusCode).toBe(403);
      expect(wrongTeam.json().error.details.field).toBe('body.side');
      expect((await call(redLead, 'POST', `/tests/${id}/take`, { side: 'blue' })).statusCode).toBe(403);
      expect((await call(viewer, 'POST', `/tests/${id}/take`, { side: 'red' })).statusCode).toBe(403);
      const bad = await call(redTech, 'POST', `/tests/${id}/take`, { side: 'purple' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.details.issues[0].path).toBe('body.side');
      for (const state of ['in_review', 'validated', 'rejected']) {
        await setState(id, state);
        const res = await call(blueTech, 'POST', `/tests/${id}/take`, { side: 'blue' });
        expect(res.statusCode, state).toBe(409);
      }
      expect(
        (await call(redTech, 'POST', `/tests/${crypto.randomUUID()}/take`, { side: 'red' })).statusCode,
      ).toBe(404);
    });
  });

  describe('bulk actions', () => {
    const bulk = (who: Session, payload: object) => call(who, 'POST', '/tests/bulk', payload);

    it('assigns a set of tests, reporting each: done, skipped as already so, failed with the reason', async () => {
      const drafts = [];
      for (let i = 0; i < 5; i++) drafts.push(await create(redTech, `bulk draft ${i}`));
      const already = await create(redLead, 'already theirs', {
        assignedRedId: redTech2.user.id,
        assignedBlueId: blueTech.user.id,
      });
      const finished = await create(redTech, 'finished');
      await setState(finished, 'validated');
      const missing = crypto.randomUUID();

      const res = await bulk(blueLead, {
        ids: [...drafts, already, finished, missing],
        action: 'assign',
        assignedRedId: redTech2.user.id,
        assignedBlueId: blueTech.user.id,
      });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ done: 5, skipped: 1, failed: 2 });
      expect(body.results.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([
        ...drafts.map((id) => [id, 'done']),
        [already, 'skipped'],
        [finished, 'failed'],
        [missing, 'failed'],
      ]);
      expect(body.results[0].message).toContain(redTech2.user.displayName);
      expect(body.results[6].message).toMatch(/validated cannot be reassigned/);
      expect(body.results[7].message).toBe('No such test');

      for (const id of drafts) {
        // Red techs heard of the new drafts; the one now holding them hears it is theirs.
        expect((await notificationsOf(redTech2.user.id, id)).map((n) => n.kind)).toEqual([
          'test.created',
          'test.assigned',
        ]);
        expect((await notificationsOf(blueTech.user.id, id)).map((n) => n.kind)).toEqual(['test.assigned']);
        expect((await auditOf(id)).at(-1)).toMatchObject({
          action: 'test_case.assign',
          actor_username: blueLead.user.username,
          summary: { bulk: true, assignees: { red: { from: null, to: redTech2.user.id } } },
        });
      }
      expect((await auditOf(finished)).map((r) => r.action)).toEqual(['test_case.create']);
      const listed = (await call(viewer, 'GET', `/tests?assignedTo=${redTech2.user.id}&limit=100`)).json();
      expect(listed.items.map((t: { id: string }) => t.id)).toEqual(expect.arrayContaining(drafts));

      // Unassigning one side only.
      const freed = await bulk(admin, { ids: drafts.slice(0, 2), action: 'assign', assignedBlueId: null });
      expect(freed.json()).toMatchObject({ done: 2, skipped: 0, failed: 0 });
      expect((await call(viewer, 'GET', `/tests/${drafts[0]}`)).json()).toMatchObject({
        assignedRed: { id: redTech2.user.id },
        assignedBlue: null,
      });
    });

    it('starts the execution of drafts by the workflow rules', async () => {
      const draft = await create(redTech, 'bulk start');
      const running = await create(redTech, 'bulk running');
      await setState(running, 'red_executing');
      const blue = await create(redTech, 'bulk at blue');
      await setState(blue, 'blue_evaluating');

      const byBlueLead = await bulk(blueLead, { ids: [draft], action: 'start_execution' });
      expect(byBlueLead.json()).toMatchObject({
        done: 0,
        failed: 1,
        results: [{ id: draft, status: 'failed', message: 'The blue_lead role cannot start execution' }],
      });

      const res = await bulk(redLead, { ids: [draft, running, blue], action: 'start_execution' });
      expect(res.json()).toMatchObject({
        done: 1,
        skipped: 1,
        failed: 1,
        results: [
          { id: draft, status: 'done' },
          { id: running, status: 'skipped', message: 'Already red executing' },
          { id: blue, status: 'failed', message: 'Cannot start execution a test in state blue_evaluating' },
        ],
      });
      const detail = (await call(viewer, 'GET', `/tests/${draft}`)).json();
      expect(detail.state).toBe('red_executing');
      expect(detail.transitions.at(-1)).toMatchObject({ action: 'start_execution', to: 'red_executing' });
      expect((await auditOf(draft)).at(-1)).toMatchObject({
        action: 'test_case.start_execution',
        summary: { bulk: true, from: 'draft', to: 'red_executing' },
      });
      // The red techs who may now execute it are told, as for a single transition.
      expect((await notificationsOf(redTech.user.id, draft)).map((n) => n.kind)).toContain('test.transition');
    });

    it('is for leads and admins, and refuses bad requests naming the field', async () => {
      const id = await create(redTech, 'bulk refusals');
      for (const who of [redTech, blueTech, viewer])
        expect((await bulk(who, { ids: [id], action: 'start_execution' })).statusCode).toBe(403);
      const cases: Array<[object, string]> = [
        [{ ids: [id, id], action: 'start_execution' }, 'body.ids'],
        [{ ids: [], action: 'start_execution' }, 'body.ids'],
        [
          { ids: Array.from({ length: 101 }, () => crypto.randomUUID()), action: 'start_execution' },
          'body.ids',
        ],
        [{ ids: [id], action: 'assign' }, 'body.assignedRedId'],
        [{ ids: [id], action: 'start_execution', assignedBlueId: blueTech.user.id }, 'body.assignedBlueId'],
        [{ ids: [id], action: 'archive' }, 'body.action'],
        [{ ids: [id], action: 'assign', assignedBlueId: redTech.user.id }, 'body.assignedBlueId'],
      ];
      for (const [payload, path] of cases) {
        const res = await bulk(redLead, payload);
        expect(res.statusCode, JSON.stringify(payload)).toBe(400);
        expect(res.json().error.details.issues.map((i: { path: string }) => i.path)).toContain(path);
      }
      expect((await auditOf(id)).map((r) => r.action)).toEqual(['test_case.create']);
    });
  });

  it('filters the list by nobody assigned, as well as by a person', async () => {
    const none = await create(redTech, 'filter nobody');
    const red = await create(redTech, 'filter red only', { assignedRedId: redTech.user.id });
    const list = (await call(viewer, 'GET', '/tests?assignedTo=unassigned&limit=500')).json();
    const ids = list.items.map((t: { id: string }) => t.id);
    expect(ids).toContain(none);
    expect(ids).not.toContain(red);
    for (const t of list.items) expect([t.assignedRed, t.assignedBlue]).toEqual([null, null]);
    const mine = (await call(redTech, 'GET', '/tests?assignedTo=me&limit=500')).json();
    expect(mine.items.map((t: { id: string }) => t.id)).toContain(red);
    const bad = await call(viewer, 'GET', '/tests?assignedTo=nobody');
    expect(bad.json().error.details.issues[0].path).toBe('query.assignedTo');
  });
});
