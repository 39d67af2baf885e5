import { type APIRequestContext, expect } from '@playwright/test';
import { type Account, apiToken, createUser } from './session';

async function bearer(request: APIRequestContext, who: Account): Promise<Record<string, string>> {
  return { Authorization: `Bearer ${await apiToken(request, who.username, who.password)}` };
}

export interface ValidatedTestOptions {
  technique: string;
  title: string;
  platform: string;
  /** Names the users made for it (a red tech, a blue tech and both leads). */
  tag: string;
  commands: string;
  executionStartedAt: string;
  toolResults: { tool: string; outcome: string; detectedAt?: string; notes?: string }[];
  /** The test's own first detection (blue sets it; the server does not derive it from the tools). */
  detectedAt?: string;
  /**
   * 'reject': the red lead rejects it and that one vote decides (the blue lead never votes); by
   * default both leads approve.
   */
  review?: 'approve' | 'reject';
}

/**
 * A test taken all the way to validated through the API, as people do it: red executes, blue
 * records what the tools saw, both leads approve (or, with `review: 'reject'`, the red lead
 * rejects it). Answers the test's id.
 */
export async function validatedTest(request: APIRequestContext, o: ValidatedTestOptions): Promise<string> {
  const as = (role: 'red_tech' | 'blue_tech' | 'red_lead' | 'blue_lead') => createUser(request, role, o.tag);
  const [red, blue, redLead, blueLead] = [
    await as('red_tech'),
    await as('blue_tech'),
    await as('red_lead'),
    await as('blue_lead'),
  ];
  const created = await request.post('/api/v1/tests', {
    headers: await bearer(request, red),
    data: { technique: o.technique, title: o.title, platform: o.platform },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const step = async (who: Account, method: 'post' | 'put', url: string, data: object) => {
    const res = await request[method](`/api/v1/tests/${id}${url}`, {
      headers: await bearer(request, who),
      data,
    });
    expect(res.ok(), await res.text()).toBe(true);
  };
  await step(red, 'post', '/transitions', { action: 'start_execution' });
  await step(red, 'put', '/red', { commands: o.commands, executionStartedAt: o.executionStartedAt });
  await step(red, 'post', '/transitions', { action: 'submit_to_blue' });
  await step(blue, 'put', '/blue', {
    toolResults: o.toolResults.map((r) => ({ notes: '', ...r })),
    ...(o.detectedAt ? { detectedAt: o.detectedAt } : {}),
  });
  await step(blue, 'post', '/transitions', { action: 'submit_for_review' });
  if (o.review === 'reject') {
    await step(redLead, 'post', '/votes', {
      decision: 'reject',
      comment: 'Re-run with the EDR in block mode',
    });
    return id;
  }
  await step(redLead, 'post', '/votes', { decision: 'approve', comment: '' });
  await step(blueLead, 'post', '/votes', { decision: 'approve', comment: '' });
  return id;
}
