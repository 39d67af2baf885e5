import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AuditLog } from '@aegis/contracts';
import { describe, expect, it } from 'vitest';
import { AUDIT_FORMATTERS, describeAudit } from './audit';

const serverSrc = path.resolve(import.meta.dirname, '../../../../server/src');

/** Every source file of the server but its tests. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith('.ts') && !e.name.includes('.test.') ? [full] : [];
  });
}

/**
 * The actions the server records: quoted `entity.verb` strings on `action:` lines, and the workflow's
 * `test_case.${action}` for each transition of workflow.ts.
 */
function recordedActions(): string[] {
  const found = new Set<string>();
  for (const file of sources(serverSrc)) {
    const text = readFileSync(file, 'utf8');
    for (const line of text.split('\n').filter((l) => /\baction: /.test(l)))
      for (const m of line.matchAll(/'([a-z0-9_]+\.[a-z0-9_]+)'/g)) if (m[1]) found.add(m[1]);
    // The workflow records `test_case.` + its action's name.
    if (text.includes('action: `test_case.$' + '{action}`')) {
      const workflow = readFileSync(path.join(serverSrc, 'modules/test-cases/workflow.ts'), 'utf8');
      const block = workflow.slice(workflow.indexOf('export const TRANSITIONS'));
      for (const m of block.matchAll(/^ {2}([a-z_]+): \{/gm)) found.add(`test_case.${m[1]}`);
    }
  }
  return [...found].sort();
}

const row = (over: Partial<AuditLog>): AuditLog => ({
  id: '00000000-0000-4000-8000-000000000001',
  at: '2026-12-03T10:00:00.000Z',
  actorId: '00000000-0000-4000-8000-000000000002',
  actorUsername: 'alice',
  actorName: 'Alice',
  action: 'test_case.update',
  entityType: 'test_case',
  entityId: '00000000-0000-4000-8000-000000000003',
  entityLabel: 'Kerberoasting test',
  summary: {},
  ip: '10.0.0.1',
  requestId: 'req-1',
  ...over,
});

describe('the audit log in words', () => {
  const actions = recordedActions();

  it('finds the actions the server records (and every transition)', () => {
    expect(actions.length).toBeGreaterThan(30);
    expect(actions).toEqual(
      expect.arrayContaining(['user.create', 'test_case.submit_to_blue', 'test_case.vote']),
    );
  });

  it.each(actions)('has a formatter for %s, which never shows raw JSON', (action) => {
    expect(AUDIT_FORMATTERS[action], `no formatter for ${action}`).toBeDefined();
    const out = describeAudit(row({ action, summary: { fields: ['title'], nested: { a: 1 } } }));
    expect(out.sentence).not.toMatch(/[{}"]/);
    for (const d of out.details) expect(d).not.toMatch(/[{}"]/);
  });

  it('reads like a sentence: who did what to which entity, with the changed fields', () => {
    expect(
      describeAudit(
        row({
          action: 'test_case.start_execution',
          summary: { from: 'draft', to: 'red_executing', comment: '' },
        }),
      ),
    ).toEqual({ sentence: "Alice moved 'Kerberoasting test' from draft to red executing", details: [] });
    expect(
      describeAudit(row({ action: 'test_case.update', summary: { fields: ['title', 'platform'] } })).sentence,
    ).toBe("Alice changed title, platform of 'Kerberoasting test'");
    expect(
      describeAudit(
        row({
          action: 'user.update',
          entityType: 'user',
          entityLabel: 'Bob',
          summary: { username: 'bob', changes: { role: { from: 'viewer', to: 'red_lead' } } },
        }),
      ),
    ).toEqual({ sentence: "Alice changed role of 'Bob'", details: ['role: viewer → red_lead'] });
    expect(
      describeAudit(
        row({
          action: 'test_case.vote',
          summary: { side: 'blue', decision: 'approve', comment: 'ok', result: 'validated' },
        }),
      ),
    ).toEqual({
      sentence: "Alice approved 'Kerberoasting test' for the blue side: validated",
      details: ['comment: ok'],
    });
  });

  it('falls back to the entity type and a short id, and to the username or "system" for the actor', () => {
    const log = row({
      actorName: null,
      entityLabel: null,
      action: 'test_case.update',
      summary: { fields: ['title'] },
    });
    expect(describeAudit(log).sentence).toBe('Alice changed title of test case 00000000');
    expect(describeAudit(row({ actorName: null, actorUsername: null, action: 'auth.logout' })).sentence).toBe(
      'System signed out',
    );
  });

  it('lists the fields of an action it does not know, never as JSON', () => {
    const out = describeAudit(
      row({
        action: 'test_case.escalate',
        summary: { side: 'red', assigneeId: 'x', extra: { a: 1 }, list: ['a', 'b'] },
      }),
    );
    expect(out.sentence).toBe("Alice: escalate 'Kerberoasting test' (side, assignee id, extra, list)");
    expect(out.details).toEqual(['side: red', 'assigneeId: x', 'extra: a', 'list: a, b']);
  });
});
