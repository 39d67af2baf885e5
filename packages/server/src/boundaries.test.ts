import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Module boundaries, checked on the source (ADR 19): a module reaches another only through its
 * `index.ts`, and no `index.ts` hands out a row-locking query. Exception: tables may be imported
 * from another module's `*.schema.ts` by schema files (foreign keys) and query files (joins).
 */
const modules = path.join(path.dirname(fileURLToPath(import.meta.url)), 'modules');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [full] : [];
  });
}

const specifiers = (text: string) =>
  [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1] ?? '');

/**
 * Coverage has one owner: outside `modules/coverage/`, no source names its tables; readers use
 * `coverageJoin` / `coverageStatus` / the coverage service (ADR 20).
 */
export function coverageTableReads(file: string, text: string): string[] {
  if (path.relative(modules, file).split(path.sep)[0] === 'coverage') return [];
  return [
    ...text.matchAll(/\b(technique_coverage|coverage_history|techniqueCoverage|coverageHistory)\b/g),
  ].map((m) => `${path.relative(modules, file)}: names ${m[1]} (read coverage through '../coverage')`);
}

/** The violations of one source file: `file: specifier (why)`. */
export function boundaryViolations(file: string, text: string): string[] {
  const own = path.relative(modules, file).split(path.sep)[0] ?? '';
  const out: string[] = [];
  for (const spec of specifiers(text)) {
    if (!spec.startsWith('.')) continue;
    const target = path.relative(modules, path.resolve(path.dirname(file), spec));
    if (target.startsWith('..')) continue; // infra, contracts, the app
    const [other, ...rest] = target.split(path.sep);
    if (!other || other === own) continue;
    const inner = rest.join('/');
    if (inner === '' || inner === 'index') continue;
    const tablesFor = /\.(schema|queries)\.ts$/.test(file) && /\.schema$/.test(inner);
    if (tablesFor) continue;
    out.push(
      `${path.relative(modules, file)}: '${spec}' reaches into ${other}/ (import it from '../${other}')`,
    );
  }
  return out;
}

describe('module boundaries', () => {
  it('every module reaches another only through its index.ts', () => {
    const violations = sourceFiles(modules).flatMap((f) => boundaryViolations(f, readFileSync(f, 'utf8')));
    expect(violations).toEqual([]);
  });

  it('only the coverage module names the coverage tables (ADR 20)', () => {
    const readers = sourceFiles(modules).flatMap((f) => coverageTableReads(f, readFileSync(f, 'utf8')));
    expect(readers).toEqual([]);
  });

  it('no index.ts exports a row-locking query', () => {
    const exported = readdirSync(modules).flatMap((m) => {
      let text = '';
      try {
        text = readFileSync(path.join(modules, m, 'index.ts'), 'utf8');
      } catch {
        return [];
      }
      return [...text.matchAll(/\b(lock[A-Z]\w*|\w*ForUpdate)\b/g)].map((x) => `${m}: ${x[1]}`);
    });
    expect(exported).toEqual([]);
  });

  it('catches a reach into another module, and allows what the rule allows', () => {
    const file = path.join(modules, 'evidence', 'evidence.service.ts');
    expect(
      boundaryViolations(file, "import { lockTestCase } from '../test-cases/test-cases.queries';"),
    ).toEqual([
      "evidence/evidence.service.ts: '../test-cases/test-cases.queries' reaches into test-cases/ (import it from '../test-cases')",
    ]);
    expect(
      boundaryViolations(file, "import { x } from '../test-cases';\nimport { y } from '../../infra/db';"),
    ).toEqual([]);
    expect(boundaryViolations(file, "import { users } from '../users/users.schema';")).toHaveLength(1);
    const knowledge = path.join(modules, 'attack', 'knowledge.queries.ts');
    expect(
      coverageTableReads(knowledge, 'left join technique_coverage c on c.technique_id = o.id'),
    ).toHaveLength(1);
    expect(coverageTableReads(knowledge, '${coverageJoin(sql`o.id`)}')).toEqual([]);
    expect(coverageTableReads(path.join(modules, 'coverage', 'x.queries.ts'), 'technique_coverage')).toEqual(
      [],
    );
    const queries = path.join(modules, 'auth', 'auth.queries.ts');
    expect(boundaryViolations(queries, "import { users } from '../users/users.schema';")).toEqual([]);
    expect(boundaryViolations(queries, "const m = await import('../users/users.service');")).toHaveLength(1);
  });
});
