import { ROLE_GROUPS, roles } from '@aegis/contracts';
import { describe, expect, it } from 'vitest';
import { type NavItem, navigationFor } from './navigation';

const paths = (items: NavItem[]): string[] => items.flatMap((i) => [i.to, ...paths(i.children ?? [])]);

describe('role-aware navigation', () => {
  it.each(roles)('offers pending tasks to %s exactly when the role works on tests', (role) => {
    const shown = paths(navigationFor({ role }));
    expect(shown.includes('/tests/pending')).toBe((ROLE_GROUPS.workers as readonly string[]).includes(role));
  });

  it('gives a viewer what it may read, and no admin pages', () => {
    const shown = paths(navigationFor({ role: 'viewer' }));
    expect(shown).toEqual(
      expect.arrayContaining(['/', '/matrix', '/layers', '/tests', '/catalog', '/notifications']),
    );
    expect(shown.filter((p) => p.startsWith('/system'))).toEqual([]);
    expect(shown).not.toContain('/tests/pending');
  });

  it.each(['red_lead', 'blue_lead'] as const)(
    'gives a %s the scoring page and no other system page',
    (role) => {
      const shown = paths(navigationFor({ role }));
      expect(shown.filter((p) => p.startsWith('/system/'))).toEqual(['/system/scoring']);
      expect(shown).toContain('/scores');
    },
  );

  it.each(roles)('offers the metrics page to %s', (role) => {
    expect(paths(navigationFor({ role }))).toContain('/metrics');
  });

  it.each(roles)('offers the executive dashboard to %s exactly when the role is a lead or admin', (role) => {
    const shown = paths(navigationFor({ role }));
    expect(shown.includes('/executive')).toBe((ROLE_GROUPS.leads as readonly string[]).includes(role));
  });

  it.each(roles)('offers the comparison page to %s exactly when the role is a lead or admin', (role) => {
    const shown = paths(navigationFor({ role }));
    expect(shown.includes('/snapshots')).toBe((ROLE_GROUPS.leads as readonly string[]).includes(role));
  });

  it('gives admins everything', () => {
    const all = paths(navigationFor({ role: 'admin' }));
    expect(all).toEqual(
      expect.arrayContaining(['/tests/pending', '/system/audit-log', '/system/users', '/system/scoring']),
    );
  });
});
