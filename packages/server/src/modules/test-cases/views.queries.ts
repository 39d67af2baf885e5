import type { ListTestCasesQuery } from '@aegis/contracts';
import { type SQL, sql } from 'drizzle-orm';
import { containsPattern, type Db, type Tx } from '../../infra/db';

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

const VIEW = sql`
  select t.id, t.title, t.state, t.tactic, t.platform, t.outcome, t.expected_outcome, t.retest_number,
         t.created_at, t.updated_at, t.validated_at,
         o.id as technique_id, o.attack_id as technique_attack_id, o.name as technique_name,
         coalesce(s.coverage_status, 'untested') as coverage_status,
         r.id as red_id, r.username as red_username, r.display_name as red_display,
         b.id as blue_id, b.username as blue_username, b.display_name as blue_display
    from test_cases t
    join attack_objects o on o.id = t.technique_id
    left join technique_states s on s.technique_id = t.technique_id
    left join users r on r.id = t.assigned_red_id
    left join users b on b.id = t.assigned_blue_id`;

const SORT: Record<ListTestCasesQuery['sort'], SQL> = {
  createdAt: sql`t.created_at`,
  updatedAt: sql`t.updated_at`,
  title: sql`t.title`,
  state: sql`t.state`,
  retestNumber: sql`t.retest_number`,
};

export async function listTestViews(
  db: Conn,
  q: ListTestCasesQuery,
  me: string,
): Promise<{ rows: TestViewRow[]; total: number }> {
  const where: SQL[] = [sql`true`];
  if (q.state) where.push(sql`t.state = ${q.state}`);
  if (q.technique)
    where.push(
      /^[0-9a-f-]{36}$/i.test(q.technique)
        ? sql`t.technique_id = ${q.technique}::uuid`
        : sql`upper(o.attack_id) = upper(${q.technique})`,
    );
  if (q.assignedTo) {
    const who = q.assignedTo === 'me' ? me : q.assignedTo;
    where.push(sql`(t.assigned_red_id = ${who}::uuid or t.assigned_blue_id = ${who}::uuid)`);
  }
  if (q.platform) where.push(sql`lower(t.platform) = lower(${q.platform})`);
  if (q.chain) where.push(sql`(t.id = ${q.chain}::uuid or t.chain_root_id = ${q.chain}::uuid)`);
  if (q.q) {
    const p = containsPattern(q.q);
    where.push(sql`(t.title ilike ${p} or o.attack_id ilike ${p} or o.name ilike ${p})`);
  }
  const condition = sql.join(where, sql` and `);
  const order = sql`${SORT[q.sort]} ${sql.raw(q.order === 'asc' ? 'asc' : 'desc')}, t.id`;
  const [page, count] = await Promise.all([
    db.execute<TestViewRow>(
      sql`${VIEW} where ${condition} order by ${order} limit ${q.limit} offset ${q.offset}`,
    ),
    db.execute<{ n: number }>(
      sql`select count(*)::int as n from test_cases t join attack_objects o on o.id = t.technique_id where ${condition}`,
    ),
  ]);
  return { rows: page.rows, total: count.rows[0]?.n ?? 0 };
}

export async function findTestView(db: Conn, id: string): Promise<TestViewRow | undefined> {
  const r = await db.execute<TestViewRow>(sql`${VIEW} where t.id = ${id}::uuid`);
  return r.rows[0];
}

/** Tests waiting for someone with this role (and for this user, where assigned) — one query. */
export async function pendingViews(
  db: Conn,
  user: { id: string; role: string },
): Promise<Array<TestViewRow & { kind: 'execute' | 'evaluate' | 'vote' | 'rework' }>> {
  const { id, role } = user;
  const parts: Array<{ kind: string; when: SQL }> = [];
  if (['red_tech', 'red_lead', 'admin'].includes(role))
    parts.push({
      kind: 'execute',
      when: sql`t.state in ('draft', 'red_executing') and (t.assigned_red_id is null or t.assigned_red_id = ${id}::uuid)`,
    });
  if (['blue_tech', 'blue_lead', 'admin'].includes(role))
    parts.push({
      kind: 'evaluate',
      when: sql`t.state = 'blue_evaluating' and (t.assigned_blue_id is null or t.assigned_blue_id = ${id}::uuid)`,
    });
  const side =
    role === 'red_lead' ? 'red' : role === 'blue_lead' ? 'blue' : role === 'admin' ? null : undefined;
  if (side !== undefined) {
    parts.push({
      kind: 'vote',
      when: side
        ? sql`t.state = 'in_review' and not exists (select 1 from test_votes v where v.test_case_id = t.id and v.side = ${side})`
        : sql`t.state = 'in_review' and (select count(*) from test_votes v where v.test_case_id = t.id) < 2`,
    });
    parts.push({ kind: 'rework', when: sql`t.state = 'rejected'` });
  }
  if (parts.length === 0) return [];
  const query = sql.join(
    parts.map(
      (p) => sql`select * from (${VIEW} where ${p.when}) q cross join (select ${p.kind}::text as kind) k`,
    ),
    sql` union all `,
  );
  const r = await db.execute<TestViewRow & { kind: 'execute' | 'evaluate' | 'vote' | 'rework' }>(
    sql`select * from (${query}) x order by x.updated_at asc limit 500`,
  );
  return r.rows;
}
