import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { roles } from '@aegis/contracts';
import { describe, expect, it } from 'vitest';

/**
 * Who may do what is written once, in `contracts/src/roles.ts` (`ROLE_GROUPS`, `NOTIFIED_ROLES`).
 * This reads the server's, the web's and the contracts' sources for a role list written by hand
 * anywhere else: an array, a union type or an SQL `in (…)` naming roles, or a chain of role
 * comparisons. Comparing with one role (`role === 'admin'`) is not a list and stays allowed.
 * Exceptions: the roles themselves (`roles.ts`), the column's enum and check constraint
 * (`users.schema.ts`, which the migrations mirror) and the dev seed, which counts users per role.
 */
const packages = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const trees = ['server/src', 'web/src', 'contracts/src'].map((t) => path.join(packages, t));
const exempt = [
  'contracts/src/roles.ts',
  'server/src/modules/users/users.schema.ts',
  'server/src/modules/dev-seed/',
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [full] : [];
  });
}

const role = `['"\`](?:${roles.join('|')})['"\`]`;
const listPatterns = [
  // An array (or tuple type) holding a role; `x['admin']` is an element access, not a list.
  new RegExp(`(?<![\\w)\\].])\\[[^\\[\\]]*${role}[^\\[\\]]*\\]`, 'g'),
  // Two roles in a union type.
  new RegExp(`${role}\\s*\\|(?!\\|)\\s*${role}`, 'g'),
  // An SQL list.
  new RegExp(`\\bin\\s*\\(\\s*${role}`, 'gi'),
  // role === 'a' || role === 'b' (or !== … &&).
  new RegExp(`[=!]==\\s*${role}\\s*(?:\\|\\||&&)\\s*[\\w.?]+\\s*[=!]==\\s*${role}`, 'g'),
];

/** The hand-written role lists in one source text: `line: text`. */
export function roleLists(text: string): string[] {
  return listPatterns
    .flatMap((p) => [...text.matchAll(p)])
    .sort((a, b) => (a.index ?? 0) - (b.index ?? 0))
    .map((m) => `${text.slice(0, m.index).split('\n').length}: ${m[0].replace(/\s+/g, ' ')}`);
}

describe('role groups', () => {
  it('no source outside roles.ts lists roles by hand (use ROLE_GROUPS or NOTIFIED_ROLES)', () => {
    const found = trees.flatMap((tree) =>
      sourceFiles(tree)
        .map((f) => path.relative(packages, f).split(path.sep).join('/'))
        .filter((f) => !exempt.some((e) => f.startsWith(e)))
        .flatMap((f) => roleLists(readFileSync(path.join(packages, f), 'utf8')).map((l) => `${f}:${l}`)),
    );
    expect(found).toEqual([]);
  });

  it('reads every tree it is meant to guard', () => {
    for (const tree of trees) expect(sourceFiles(tree).length).toBeGreaterThan(10);
  });

  it('catches the lists that were written by hand, wherever they sit', () => {
    expect(roleLists("const blueLeads = { auth: { roles: ['admin', 'blue_lead'] } } as const;")).toEqual([
      "1: ['admin', 'blue_lead']",
    ]);
    expect(roleLists("if (['red_tech', 'red_lead', 'admin'].includes(role))")).toHaveLength(1);
    expect(roleLists("byRoles(['red_tech'])")).toHaveLength(1);
    expect(roleLists('export const CREATOR_ROLES = [\n  "red_tech",\n  "red_lead",\n] as const;')).toEqual([
      '1: [ "red_tech", "red_lead", ]',
    ]);
    expect(roleLists("const a = 1;\nif (role === 'admin' || role === 'red_lead') return BOTH;")).toEqual([
      "2: === 'admin' || role === 'red_lead'",
    ]);
    expect(roleLists("if (user.role !== 'viewer' && user.role !== 'blue_tech') no();")).toHaveLength(1);
    expect(
      roleLists("sql`select id from users where active and role in ('red_lead', 'blue_lead')`"),
    ).toHaveLength(1);
    expect(roleLists("type Lead = 'red_lead' | 'blue_lead';")).toHaveLength(1);
  });

  it('leaves alone one role, the groups, and lists of other things', () => {
    expect(
      roleLists(
        [
          'const blueLeads = { auth: { roles: ROLE_GROUPS.blueLeads } } as const;',
          "if (caller.role === 'admin') return requested;",
          "const other = side === 'red' ? 'blue_lead' : 'red_lead';",
          "const allowed = UPLOAD_STATES[role === 'admin' ? 'admin' : side];",
          "const states = UPLOAD_STATES['admin'];",
          "const open = ['draft', 'red_executing'].includes(state);",
          "return role === 'admin' || teamOf(role) === side;",
          "current.role === 'admin' && ((patch.role !== undefined && patch.role !== 'admin') || off);",
          "const uploadStates: Record<Team | 'admin', readonly TestState[]> = {};",
          "const [role, setRole] = useState<Role>('viewer');",
          "sql`select id from users where role = 'admin'`",
        ].join('\n'),
      ),
    ).toEqual([]);
  });
});
