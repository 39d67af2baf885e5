import { type Role, roles } from '@aegis/contracts';
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../test/app';
import { type Session, signedInAs } from '../test/factories';
import { testDbKind } from '../test/support';

/**
 * Who may call what, written out by hand from the seed's role table (admin: everything; leads and
 * techs: their team's work; viewer: read). Every route the app registers must appear here: adding
 * a route without deciding its roles fails this test.
 */
type Expected = 'public' | 'any' | readonly Role[];
const ADMIN_ONLY: readonly Role[] = ['admin'];
const LEADS: readonly Role[] = ['admin', 'red_lead', 'blue_lead'];
const RED: readonly Role[] = ['admin', 'red_tech', 'red_lead'];
const BLUE_LEADS: readonly Role[] = ['admin', 'blue_lead'];
const BLUE: readonly Role[] = ['admin', 'blue_tech', 'blue_lead'];
const WORKERS: readonly Role[] = ['admin', 'red_tech', 'red_lead', 'blue_tech', 'blue_lead'];
const EXPECTED: Record<string, Expected> = {
  'GET /api/v1/health': 'public',
  'GET /api/v1/system/scheduler': ADMIN_ONLY,
  'POST /api/v1/auth/login': 'public',
  'POST /api/v1/auth/logout': 'public',
  'GET /api/v1/auth/me': 'any',
  'POST /api/v1/auth/change-password': 'any',
  'GET /api/v1/auth/tokens': 'any',
  'POST /api/v1/auth/tokens': 'any',
  'DELETE /api/v1/auth/tokens/:id': 'any',
  'GET /api/v1/users': ADMIN_ONLY,
  'POST /api/v1/users': ADMIN_ONLY,
  'GET /api/v1/users/:id': ADMIN_ONLY,
  'GET /api/v1/users/assignable': WORKERS,
  'PATCH /api/v1/users/:id': ADMIN_ONLY,
  'POST /api/v1/users/:id/deactivate': ADMIN_ONLY,
  'POST /api/v1/users/:id/reset-password': ADMIN_ONLY,
  'GET /api/v1/audit-logs': ADMIN_ONLY,
  'GET /api/v1/techniques': 'any',
  'GET /api/v1/techniques/:id': 'any',
  'PATCH /api/v1/techniques/:id': LEADS,
  'POST /api/v1/techniques/:id/review': LEADS,
  'GET /api/v1/tactics': 'any',
  'GET /api/v1/platforms': 'any',
  'GET /api/v1/coverage': 'any',
  'GET /api/v1/scores/techniques': 'any',
  'GET /api/v1/scores/techniques/:attackId': 'any',
  'GET /api/v1/scores/tactics': 'any',
  'GET /api/v1/scores/tactics/:shortname': 'any',
  'GET /api/v1/scores/actors': 'any',
  'GET /api/v1/scores/actors/:id': 'any',
  'GET /api/v1/scores/organization': 'any',
  'GET /api/v1/scores/config': LEADS,
  'PUT /api/v1/scores/config': ADMIN_ONLY,
  'POST /api/v1/scores/recompute': LEADS,
  'GET /api/v1/metrics/operational': 'any',
  'GET /api/v1/metrics/:metric/trend': 'any',
  'GET /api/v1/metrics/data-integrity': LEADS,
  'GET /api/v1/metrics/executive': LEADS,
  'GET /api/v1/metrics/pipeline': 'any',
  'GET /api/v1/metrics/summary': 'any',
  'GET /api/v1/metrics/by-tactic': 'any',
  'GET /api/v1/metrics/team-activity': 'any',
  'GET /api/v1/metrics/validation-rates': 'any',
  'GET /api/v1/heatmap': 'any',
  'GET /api/v1/heatmap/layers': 'any',
  'GET /api/v1/heatmap/export/navigator': 'any',
  'GET /api/v1/layers': 'any',
  'GET /api/v1/layers/:id': 'any',
  'DELETE /api/v1/layers/:id': LEADS,
  'POST /api/v1/layers/:id/reresolve': LEADS,
  'POST /api/v1/layers/import': LEADS,
  'GET /api/v1/snapshots': LEADS,
  'POST /api/v1/snapshots': LEADS,
  'GET /api/v1/snapshots/compare': LEADS,
  'GET /api/v1/snapshots/compare/export/navigator': LEADS,
  'GET /api/v1/snapshots/trend': LEADS,
  'GET /api/v1/snapshots/:id': LEADS,
  'DELETE /api/v1/snapshots/:id': ADMIN_ONLY,
  'GET /api/v1/attack/release': 'any',
  'GET /api/v1/threat-actors': 'any',
  'GET /api/v1/threat-actors/:id': 'any',
  'GET /api/v1/software': 'any',
  'GET /api/v1/software/:id': 'any',
  'GET /api/v1/campaigns': 'any',
  'GET /api/v1/campaigns/:id': 'any',
  'POST /api/v1/system/sync-mitre': ADMIN_ONLY,
  'GET /api/v1/system/import-runs': ADMIN_ONLY,
  'GET /api/v1/system/import-runs/:id': ADMIN_ONLY,
  'POST /api/v1/system/import-runs': ADMIN_ONLY,
  'GET /api/v1/tests': 'any',
  'GET /api/v1/tests/pending': 'any',
  'POST /api/v1/tests': RED,
  'POST /api/v1/tests/bulk': LEADS,
  'POST /api/v1/tests/:id/take': WORKERS,
  'GET /api/v1/tests/:id': 'any',
  'PATCH /api/v1/tests/:id': WORKERS,
  'PUT /api/v1/tests/:id/red': RED,
  'PUT /api/v1/tests/:id/blue': BLUE,
  'POST /api/v1/tests/:id/transitions': WORKERS,
  'POST /api/v1/tests/:id/votes': LEADS,
  'GET /api/v1/tests/:id/remediation': 'any',
  'POST /api/v1/tests/:id/remediation': LEADS,
  'PATCH /api/v1/tests/:id/remediation/:stepId': WORKERS,
  'GET /api/v1/tests/:id/evidence': 'any',
  'POST /api/v1/tests/:id/evidence': WORKERS,
  'GET /api/v1/tests/:id/evidence/:evidenceId/download': 'any',
  'GET /api/v1/tests/:id/evidence/:evidenceId/url': 'any',
  'DELETE /api/v1/tests/:id/evidence/:evidenceId': WORKERS,
  'GET /api/v1/notifications': 'any',
  'GET /api/v1/notifications/unread-count': 'any',
  'POST /api/v1/notifications/:id/read': 'any',
  'POST /api/v1/notifications/read-all': 'any',
  // An open event stream: checked for anonymous callers only (an allowed caller's stream never ends).
  'GET /api/v1/notifications/stream': 'any',
  'GET /api/v1/data-sources': ADMIN_ONLY,
  'GET /api/v1/data-sources/:id': ADMIN_ONLY,
  'PATCH /api/v1/data-sources/:id': ADMIN_ONLY,
  'POST /api/v1/data-sources/sync-all': ADMIN_ONLY,
  'POST /api/v1/data-sources/:id/sync': ADMIN_ONLY,
  'GET /api/v1/data-sources/:id/runs': ADMIN_ONLY,
  'POST /api/v1/data-sources/:id/upload': ADMIN_ONLY,
  'GET /api/v1/test-templates': 'any',
  'GET /api/v1/test-templates/stats': 'any',
  'GET /api/v1/test-templates/:id': 'any',
  'POST /api/v1/test-templates': RED,
  'PATCH /api/v1/test-templates/:id': RED,
  'POST /api/v1/test-templates/:id/toggle': RED,
  'POST /api/v1/test-templates/bulk': RED,
  'POST /api/v1/test-templates/:id/tests': RED,
  'GET /api/v1/detection-rules': 'any',
  'GET /api/v1/detection-rules/:id': 'any',
  'PATCH /api/v1/detection-rules/:id': BLUE_LEADS,
  'GET /api/v1/d3fend': 'any',
  'GET /api/v1/d3fend/tactics': 'any',
  'GET /api/v1/d3fend/:id': 'any',
  'PATCH /api/v1/d3fend/:id': BLUE_LEADS,
  'GET /api/v1/compliance/frameworks': 'any',
  'GET /api/v1/compliance/families': 'any',
  'GET /api/v1/compliance/controls': 'any',
  'GET /api/v1/compliance/controls/:id': 'any',
};
const STREAMS = new Set(['GET /api/v1/notifications/stream']);

const allows = (expected: Expected, role: Role) =>
  expected === 'public' || expected === 'any' || expected.includes(role);

describe(`role × route matrix on ${testDbKind}`, async () => {
  const { platform, app } = await startTestApp({ LOGIN_RATE_LIMIT: '1000' });
  const sessions = {} as Record<Role, Session>;
  for (const role of roles) sessions[role] = await signedInAs(platform, app, role);

  it('covers every registered API route, and nothing else', () => {
    const registered = app.guardedRoutes.map((r) => `${r.method} ${r.url}`).sort();
    expect(registered).toEqual(Object.keys(EXPECTED).sort());
  });

  // Requests use a random id and an empty body: authorization is decided before validation and lookup,
  // so an allowed caller gets 2xx/400/404 and a refused one 401/403.
  const request = (key: string, headers: Record<string, string>) => {
    const [method, template] = key.split(' ') as [string, string];
    const url = template
      .replace(':id', crypto.randomUUID())
      .replace(':stepId', crypto.randomUUID())
      .replace(':evidenceId', crypto.randomUUID());
    const body = ['POST', 'PATCH', 'PUT'].includes(method) ? { payload: {} } : {};
    return app.inject({ method: method as 'GET', url, headers, remoteAddress: '10.200.0.1', ...body });
  };

  const cases = Object.entries(EXPECTED).filter(([key]) => key !== 'POST /api/v1/auth/logout');

  it.each(cases)('%s refuses anonymous callers unless public', async (key, expected) => {
    const res = await request(key, {});
    if (expected === 'public') expect([401, 403]).not.toContain(res.statusCode);
    else {
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('unauthorized');
    }
  });

  it.each(cases.filter(([key]) => !STREAMS.has(key)))(
    '%s gives each role exactly what the role table allows',
    async (key, expected) => {
      for (const role of roles) {
        const res = await request(key, sessions[role].bearer);
        const verdict = `${role} → ${res.statusCode}`;
        if (allows(expected, role)) expect([401, 403], verdict).not.toContain(res.statusCode);
        else {
          expect(res.statusCode, verdict).toBe(403);
          expect(res.json().error.code).toBe('forbidden');
        }
      }
    },
  );

  it('lets every role sign out (its own session only)', async () => {
    for (const role of roles) {
      const s = await signedInAs(platform, app, role);
      expect(
        (await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: s.bearer })).statusCode,
      ).toBe(204);
      expect((await app.inject({ url: '/api/v1/auth/me', headers: s.bearer })).statusCode).toBe(401);
      expect((await app.inject({ url: '/api/v1/auth/me', headers: sessions[role].bearer })).statusCode).toBe(
        200,
      );
    }
  });
});
