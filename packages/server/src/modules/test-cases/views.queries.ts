import { type ListTestCasesQuery, ROLE_GROUPS, type Role } from '@aegis/contracts';
import { eq, type SQL, sql } from 'drizzle-orm';
import {
  boundedCount,
  containsPattern,
  type Db,
  type ListTotal,
  preparedOnFirstUse,
  type Tx,
} from '../../infra/db';
import { coverageJoin, coverageStatus } from '../coverage';
import {
  type RawRecordLists,
  type RecordLists,
  recordLists,
  type TestCaseRow,
  toRecordLists,
} from './test-cases.queries';
import { testCases } from './test-cases.schema';

type Conn = Db | Tx;

/** A test with the names it shows (technique, users, coverage) — one row per test. */
export type TestViewRow = {
  id: string;
  title: string;
  state: string;
  tactic: string | null;
  platform: string | null;
  outcome: string | null;
  expected_outcome: string | null;
  retest_number: number;
  created_at: string | Date;
  updated_at: string | Date;
  validated_at: string | Date | null;
  technique_id: string;
  technique_attack_id: string | null;
  technique_name: string;
  coverage_status: string;
  red_id: string | null;
  red_username: string | null;
  red_display: string | null;
  blue_id: string | null;
  blue_username: string | null;
  blue_display: string | null;
};

/** The view's columns (and `extra` ones of `tests`) over `t`, a set of test rows (a page, or one test). */
const viewOf = (tests: SQL, extra = sql``) => sql`
  select ${extra} t.id, t.title, t.state, t.tactic, t.platform, t.outcome, t.expected_outcome, t.retest_number,
         t.created_at, t.updated_at, t.validated_at,
         o.id as technique_id, o.attack_id as technique_attack_id, o.name as technique_name,
         ${coverageStatus()} as coverage_status,
         r.id as red_id, r.username as red_username, r.display_name as red_display,
         b.id as blue_id, b.username as blue_username, b.display_name as blue_display
    from ${tests} t
    join attack_objects o on o.id = t.technique_id
    ${coverageJoin(sql`t.technique_id`)}
    left join users r on r.id = t.assigned_red_id
    left join users b on b.id = t.assigned_blue_id`;

const SORT: Record<ListTestCasesQuery['sort'], SQL> = {
  createdAt: sql`t.created_at`,
  updatedAt: sql`t.updated_at`,
  title: sql`t.title`,
  state: sql`t.state`,
  retestNumber: sql`t.retest_number`,
};

/**
 * Tests of the techniques a filter names (an ATT&CK id) or a search matches (ATT&CK id or name). The
 * ids are read first, so the planner sees a short list it can estimate rather than a subquery; a
 * search that matches most techniques keeps the subquery (hundreds of parameters cost more to plan).
 */
async function ofTechniquesWhere(db: Conn, condition: SQL): Promise<SQL> {
  const matching = sql`select o.id from attack_objects o where o.type = 'attack-pattern' and ${condition}`;
  const r = await db.execute<{ id: string }>(sql`${matching} limit ${MAX_LISTED_TECHNIQUES + 1}`);
  if (r.rows.length === 0) return sql`false`;
  if (r.rows.length > MAX_LISTED_TECHNIQUES) return sql`t.technique_id = any(array(${matching}))`;
  return sql`t.technique_id in (${sql.join(
    r.rows.map((x) => sql`${x.id}::uuid`),
    sql`, `,
  )})`;
}
const MAX_LISTED_TECHNIQUES = 50;

/** Every filter is a condition on `test_cases` alone: the page is found and counted on its indexes. */
async function testFilters(db: Conn, q: ListTestCasesQuery, me: string): Promise<SQL> {
  const where: SQL[] = [sql`true`];
  if (q.state) where.push(sql`t.state = ${q.state}`);
  if (q.technique)
    where.push(
      /^[0-9a-f-]{36}$/i.test(q.technique)
        ? sql`t.technique_id = ${q.technique}::uuid`
        : await ofTechniquesWhere(db, sql`upper(o.attack_id) = upper(${q.technique})`),
    );
  // Plain column tests (no coalesce): each side's (assignee, state) index serves `=` and `is null`.
  if (q.assignedTo === 'unassigned')
    where.push(sql`t.assigned_red_id is null and t.assigned_blue_id is null`);
  else if (q.assignedTo) {
    const who = q.assignedTo === 'me' ? me : q.assignedTo;
    where.push(sql`(t.assigned_red_id = ${who}::uuid or t.assigned_blue_id = ${who}::uuid)`);
  }
  if (q.platform) where.push(sql`lower(t.platform) = lower(${q.platform})`);
  if (q.chain) where.push(sql`(t.id = ${q.chain}::uuid or t.chain_root_id = ${q.chain}::uuid)`);
  if (q.q) {
    const p = containsPattern(q.q);
    const byTechnique = await ofTechniquesWhere(db, sql`(o.attack_id ilike ${p} or o.name ilike ${p})`);
    where.push(sql`(t.title ilike ${p} or ${byTechnique})`);
  }
  return sql.join(where, sql` and `);
}

/**
 * One page of tests with their names. Filtered lists are counted first (bounded): when few tests
 * match, they are read through the filters' indexes and sorted (the planner cannot tell how many
 * titles contain a substring, or whom a test is assigned to); when many match, walking the sort
 * order's index finds a page at once. Either way only the page is joined to names (ADR 15).
 */
export async function listTestViews(
  db: Conn,
  q: ListTestCasesQuery,
  me: string,
): Promise<{ rows: TestViewRow[] } & ListTotal> {
  const condition = await testFilters(db, q, me);
  const filtered = Boolean(q.state || q.technique || q.assignedTo || q.platform || q.chain || q.q);
  // The tie-break runs the same way as the sort, so one index on (column, id) serves both orders.
  const dir = sql.raw(q.order === 'asc' ? 'asc' : 'desc');
  const order = sql`${SORT[q.sort]} ${dir}, t.id ${dir}`;
  const counting = boundedCount(db, sql`from test_cases t where ${condition}`);
  const total = filtered ? await counting : undefined;
  // One person's tests are read through the assignee indexes even past the count's bound: their
  // place in the sort order says nothing of where that person's tests lie (walking `updated_at` for a
  // red tech's 1,870 of 50,000 tests took 52 ms; reading and sorting them, 5 ms).
  const onePerson = q.assignedTo !== undefined && q.assignedTo !== 'unassigned';
  const matches =
    total && (!total.totalEstimated || onePerson)
      ? // Only the id and the sort columns: materialising whole rows of 1,870 tests took 35–89 ms, these 5.
        sql`(with m as materialized (select t.id, t.created_at, t.updated_at, t.title, t.state, t.retest_number
                                        from test_cases t where ${condition}) select * from m t)`
      : sql`(select * from test_cases t where ${condition})`;
  // Ids of the page first (an index-only walk for the sort orders), then the page's rows and names.
  const page = sql`(select * from test_cases t where t.id in (
    select t.id from ${matches} t order by ${order} limit ${q.limit} offset ${q.offset}))`;
  const [rows, counted] = await Promise.all([
    total?.total === 0 ? { rows: [] } : db.execute<TestViewRow>(sql`${viewOf(page)} order by ${order}`),
    total ?? counting,
  ]);
  return { rows: rows.rows, ...counted };
}

export interface TestRecord {
  row: TestCaseRow;
  view: TestViewRow;
  lists: RecordLists;
}

/**
 * Reads one test for its detail, in one statement: its row, its view (as a list shows it) and
 * everything its record lists (`recordLists`). The statement is prepared: on PostgreSQL each
 * connection parses it once and, after a few runs, plans it once (it is read after every change).
 */
export function testRecordReader(db: Db): (id: string) => Promise<TestRecord | undefined> {
  const id = sql.placeholder('id');
  const query = preparedOnFirstUse(() =>
    db
      .select({
        row: testCases,
        view: sql<TestViewRow>`(select row_to_json(v) from (${viewOf(sql`test_cases`)} where t.id = ${id}::uuid) v)`,
        lists: sql<RawRecordLists>`${recordLists(id)}`,
      })
      .from(testCases)
      .where(eq(testCases.id, id))
      .prepare('test_record'),
  );
  return async (testId) => {
    const [found] = await query().execute({ id: testId });
    return found && { row: found.row, view: found.view, lists: toRecordLists(found.lists, testId) };
  };
}

export type PendingKind = 'execute' | 'evaluate' | 'vote' | 'rework';

/**
 * Tests waiting for someone with this role (and for this user, where assigned), oldest first: one
 * branch per state, each read in `updated_at` order from (state, updated_at, id), merged, and only the
 * page joined to its names.
 */
export async function pendingViews(
  db: Conn,
  user: { id: string; role: Role },
  page: { limit: number; offset: number },
): Promise<{ rows: Array<TestViewRow & { kind: PendingKind }> } & ListTotal> {
  const { id, role } = user;
  const parts: Array<{ kind: PendingKind; when: SQL }> = [];
  // "Unassigned or mine" is two branches, each read from its own index in updated order: as one `or`,
  // a state whose tests were all someone else's was walked whole (250,000 tests: 25 ms).
  const openTo = (kind: PendingKind, state: string, column: SQL) =>
    parts.push(
      { kind, when: sql`t.state = ${state} and ${column} is null` },
      { kind, when: sql`t.state = ${state} and ${column} = ${id}::uuid` },
    );
  if (ROLE_GROUPS.red.includes(role))
    for (const state of ['draft', 'red_executing']) openTo('execute', state, sql`t.assigned_red_id`);
  if (ROLE_GROUPS.blue.includes(role)) openTo('evaluate', 'blue_evaluating', sql`t.assigned_blue_id`);
  const side =
    role === 'red_lead' ? 'red' : role === 'blue_lead' ? 'blue' : role === 'admin' ? null : undefined;
  if (side !== undefined) {
    parts.push({
      kind: 'vote',
      when: side
        ? sql`t.state = 'in_review' and not exists (select 1 from test_votes v where v.test_case_id = t.id and v.round = t.review_round and v.side = ${side})`
        : sql`t.state = 'in_review' and (select count(*) from test_votes v where v.test_case_id = t.id and v.round = t.review_round) < 2`,
    });
    parts.push({ kind: 'rework', when: sql`t.state = 'rejected'` });
  }
  if (parts.length === 0) return { rows: [], total: 0 };
  const order = sql`t.updated_at asc, t.id asc`;
  const branches = (perBranch?: number) =>
    sql.join(
      parts.map(
        (p) =>
          sql`(select t.*, ${p.kind}::text as kind from test_cases t where ${p.when}
                ${perBranch === undefined ? sql`` : sql`order by ${order} limit ${perBranch}`})`,
      ),
      sql` union all `,
    );
  // Each branch gives at most its first offset + limit rows in order: the page is among them.
  const pageOf = sql`(select * from (${branches(page.offset + page.limit)}) t
    order by ${order} limit ${page.limit} offset ${page.offset})`;
  const [rows, total] = await Promise.all([
    db.execute<TestViewRow & { kind: PendingKind }>(sql`${viewOf(pageOf, sql`t.kind,`)} order by ${order}`),
    boundedCount(db, sql`from (${branches()}) t`),
  ]);
  return { rows: rows.rows, ...total };
}
