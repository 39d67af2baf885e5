import { afterAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../../../test/app';
import { importMiniAttack } from '../../../test/attack-fixture';
import { type Session, signedInAs } from '../../../test/factories';
import { testDbKind } from '../../../test/support';

/** Reads Server-Sent Events from a real HTTP response until one matches. */
async function nextEvent(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  match: (event: string, data: unknown) => boolean,
  timeoutMs = 5000,
): Promise<{ event: string; data: Record<string, unknown> }> {
  const decoder = new TextDecoder();
  let buffer = '';
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const chunk = await Promise.race([
      reader.read(),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('no SSE event in time')), deadline - Date.now()),
      ),
    ]);
    if (chunk.done) throw new Error('stream ended');
    buffer += decoder.decode(chunk.value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (data !== undefined) {
        const parsed = JSON.parse(data) as Record<string, unknown>;
        if (match(event, parsed)) return { event, data: parsed };
      }
      end = buffer.indexOf('\n\n');
    }
  }
  throw new Error('no SSE event in time');
}

describe(`workflow notifications pushed live on ${testDbKind}`, async () => {
  const { platform, app } = await startTestApp({ LOGIN_RATE_LIMIT: '1000' });
  await importMiniAttack(platform);
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const [redTech, blueTech, redLead] = (await Promise.all(
    (['red_tech', 'blue_tech', 'red_lead'] as const).map((r) => signedInAs(platform, app, r)),
  )) as [Session, Session, Session];
  const controller = new AbortController();
  afterAll(() => controller.abort());

  it('tells the assigned blue analyst, over SSE, the moment red hands the test over', async () => {
    const call = (who: Session, method: 'POST' | 'PUT' | 'PATCH', url: string, payload: object) =>
      app.inject({ method, url: `/api/v1${url}`, headers: who.bearer, payload });
    const test = (
      await call(redTech, 'POST', '/tests', {
        technique: 'T1059.001',
        title: 'PowerShell AMSI bypass',
        assignedRedId: redTech.user.id,
      })
    ).json();
    // The lead assigns the blue analyst, who has read that by the time the stream opens.
    await call(redLead, 'PATCH', `/tests/${test.id}`, { assignedBlueId: blueTech.user.id });
    await call(blueTech, 'POST', '/notifications/read-all', {});

    const res = await fetch(`${base}/api/v1/notifications/stream`, {
      headers: blueTech.bearer,
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await nextEvent(reader, (e) => e === 'ready');
    await call(redTech, 'POST', `/tests/${test.id}/transitions`, { action: 'start_execution' });
    await call(redTech, 'PUT', `/tests/${test.id}/red`, {
      commands: 'amsi bypass',
      executionStartedAt: '2026-11-22T12:00:00Z',
    });
    await call(redTech, 'POST', `/tests/${test.id}/transitions`, { action: 'submit_to_blue' });

    const got = await nextEvent(reader, (e) => e === 'notification');
    expect(got.data.notification).toMatchObject({
      kind: 'test.transition',
      title: 'PowerShell AMSI bypass: now blue evaluating',
      entityType: 'test_case',
      entityId: test.id,
    });
    expect(got.data.unreadCount).toBe(1);
    const list = await app.inject({ url: '/api/v1/notifications?unreadOnly=true', headers: blueTech.bearer });
    expect(list.json().items.map((n: { entityId: string }) => n.entityId)).toEqual([test.id]);
    // Red did not notify itself.
    const red = await app.inject({ url: '/api/v1/notifications/unread-count', headers: redTech.bearer });
    expect(red.json().count).toBe(0);
  });
});
