import { asc, eq, inArray, type Placeholder, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../infra/db';
import type { CoverageStatus } from './coverage';

import { coverageHistory, testCases, testToolResults, testTransitions, testVotes } from './test-cases.schema';

type Conn = Db | Tx;
export type TestCaseRow = typeof testCases.$inferSelect;
export type ToolResultRow = typeof testToolResults.$inferSelect;
export type TransitionRow = typeof testTransitions.$inferSelect;
export type VoteRow = typeof testVotes.$inferSelect;

export async function findTestCase(db: Conn, id: string): Promise<TestCaseRow | undefined> {
  const [row] = await db.select().from(testCases).where(eq(testCases.id, id));
  return row;
}

/** Some tests by id, in one query (unknown ids are absent). */
export async function findTestCases(db: Conn, ids: readonly string[]): Promise<TestCaseRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(testCases)
    .where(inArray(testCases.id, [...ids]));
}

/** Locks the test row for the rest of the transaction: transitions and votes on one test are serial. */
export async function lockTestCase(tx: Tx, id: string): Promise<TestCaseRow | undefined> {
  const [row] = await tx.select().from(testCases).where(eq(testCases.id, id)).for('update');
  return row;
}

/**
 * Inserts a test with its first transition, in one statement: the transition is a CTE of the test's
 * insert (its foreign key is checked at the end of the statement, when the test exists).
 */
export async function insertTestCase(
  tx: Conn,
  values: typeof testCases.$inferInsert & { id: string },
  first: Omit<typeof testTransitions.$inferInsert, 'testCaseId'>,
): Promise<TestCaseRow> {
  const transition = tx.$with('first_transition', {}).as(
    tx
      .insert(testTransitions)
      .values({ ...first, testCaseId: values.id })
      .getSQL(),
  );
  const [row] = await tx.with(transition).insert(testCases).values(values).returning();
  if (!row) throw new Error('test case insert returned no row');
  return row;
}

export async function updateTestCase(
  tx: Conn,
  id: string,
  patch: Partial<typeof testCases.$inferInsert>,
): Promise<TestCaseRow> {
  const [row] = await tx
    .update(testCases)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(testCases.id, id))
    .returning();
  if (!row) throw new Error('test case update returned no row');
  return row;
}

export async function insertTransition(tx: Conn, values: typeof testTransitions.$inferInsert): Promise<void> {
  await tx.insert(testTransitions).values(values);
}

export async function toolResultsOf(db: Conn, id: string): Promise<ToolResultRow[]> {
  return db
    .select()
    .from(testToolResults)
    .where(eq(testToolResults.testCaseId, id))
    .orderBy(asc(testToolResults.tool));
}

export async function replaceToolResults(
  tx: Conn,
  id: string,
  rows: Array<Omit<typeof testToolResults.$inferInsert, 'testCaseId'>>,
): Promise<void> {
  await tx.delete(testToolResults).where(eq(testToolResults.testCaseId, id));
  if (rows.length > 0) await tx.insert(testToolResults).values(rows.map((r) => ({ ...r, testCaseId: id })));
}

export async function votesOf(db: Conn, id: string): Promise<VoteRow[]> {
  return db.select().from(testVotes).where(eq(testVotes.testCaseId, id));
}

/** The people named on a test's record (author, transition actors, voters). */
export interface RecordPerson {
  id: string;
  username: string;
  displayName: string;
}

const at = (v: string | null): Date | null => (v === null ? null : new Date(v));

/** What `recordLists` reads, as the database returns it (JSON). */
export interface RawRecordLists {
  tools: Array<Record<string, string | null>>;
  transitions: Array<Record<string, string | null>>;
  votes: Array<Record<string, string>>;
  people: RecordPerson[];
}

export interface RecordLists {
  tools: ToolResultRow[];
  transitions: TransitionRow[];
  votes: VoteRow[];
  people: RecordPerson[];
}

/**
 * Everything a test's record lists beside its row — tool results, transitions, votes and the people
 * they name — as one JSON value (`RawRecordLists`), to be read with the row in one statement.
 */
export const recordLists = (id: string | Placeholder) => sql`
    json_build_object(
      'tools', (select coalesce(json_agg(json_build_object('id', r.id, 'tool', r.tool, 'outcome', r.outcome,
          'firstLoggedAt', r.first_logged_at, 'detectedAt', r.detected_at, 'preventedAt', r.prevented_at,
          'notes', r.notes) order by r.tool), '[]')
        from test_tool_results r where r.test_case_id = ${id}::uuid),
      'transitions', (select coalesce(json_agg(json_build_object('id', x.id, 'fromState', x.from_state,
          'toState', x.to_state, 'action', x.action, 'actorId', x.actor_id, 'comment', x.comment, 'at', x.at)
          order by x.at), '[]')
        from test_transitions x where x.test_case_id = ${id}::uuid),
      'votes', (select coalesce(json_agg(json_build_object('side', v.side, 'voterId', v.voter_id,
          'decision', v.decision, 'comment', v.comment, 'votedAt', v.voted_at)), '[]')
        from test_votes v where v.test_case_id = ${id}::uuid),
      'people', (select coalesce(json_agg(json_build_object('id', u.id, 'username', u.username,
          'displayName', u.display_name)), '[]')
        from users u where u.id in (
          select created_by from test_cases where id = ${id}::uuid
          union select actor_id from test_transitions where test_case_id = ${id}::uuid
          union select voter_id from test_votes where test_case_id = ${id}::uuid)))`;

/** `recordLists` as rows. */
export function toRecordLists(raw: RawRecordLists, id: string): RecordLists {
  return {
    tools: raw.tools.map((t) => ({
      id: t.id ?? '',
      testCaseId: id,
      tool: t.tool ?? '',
      outcome: t.outcome as ToolResultRow['outcome'],
      firstLoggedAt: at(t.firstLoggedAt ?? null),
      detectedAt: at(t.detectedAt ?? null),
      preventedAt: at(t.preventedAt ?? null),
      notes: t.notes ?? '',
    })),
    transitions: raw.transitions.map((t) => ({
      id: t.id ?? '',
      testCaseId: id,
      fromState: t.fromState ?? null,
      toState: t.toState ?? '',
      action: t.action ?? '',
      actorId: t.actorId ?? null,
      comment: t.comment ?? '',
      at: new Date(t.at ?? 0),
    })),
    votes: raw.votes.map((v) => ({
      testCaseId: id,
      side: v.side as VoteRow['side'],
      voterId: v.voterId ?? '',
      decision: v.decision as VoteRow['decision'],
      comment: v.comment ?? '',
      votedAt: new Date(v.votedAt ?? 0),
    })),
    people: raw.people,
  };
}

export async function upsertVote(tx: Conn, vote: typeof testVotes.$inferInsert): Promise<void> {
  await tx
    .insert(testVotes)
    .values(vote)
    .onConflictDoUpdate({
      target: [testVotes.testCaseId, testVotes.side],
      set: {
        voterId: vote.voterId,
        decision: vote.decision,
        comment: vote.comment ?? '',
        votedAt: sql`now()`,
      },
    });
}

export async function clearVotes(tx: Conn, id: string): Promise<void> {
  await tx.delete(testVotes).where(eq(testVotes.testCaseId, id));
}

/** The tests of some techniques, with what the coverage rule needs (one query). */
export async function testsForCoverage(db: Conn, techniqueIds: string[]) {
  if (techniqueIds.length === 0) return [];
  return db
    .select({
      techniqueId: testCases.techniqueId,
      chainRootId: testCases.chainRootId,
      id: testCases.id,
      state: testCases.state,
      outcome: testCases.outcome,
      validatedAt: testCases.validatedAt,
    })
    .from(testCases)
    .where(inArray(testCases.techniqueId, techniqueIds));
}

/** A technique, its parent and its sub-techniques: the set whose coverage a test change can move. */
export async function coverageFamily(
  db: Conn,
  techniqueIds: string[],
): Promise<
  Array<{ id: string; stixId: string; parentStixId: string | null; domain: string; status: string }>
> {
  if (techniqueIds.length === 0) return [];
  const ids = sql.join(
    techniqueIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const r = await db.execute<{
    id: string;
    stix_id: string;
    parent_stix_id: string | null;
    domain: string;
    status: string;
  }>(sql`
    with seed as (select id, stix_id, parent_stix_id, domain from attack_objects where id in (${ids})),
    parents as (
      select p.id, p.stix_id, p.parent_stix_id, p.domain from attack_objects p
        join seed s on s.domain = p.domain and p.stix_id = s.parent_stix_id),
    heads as (select * from seed union select * from parents)
    select o.id, o.stix_id, o.parent_stix_id, o.domain, coalesce(st.coverage_status, 'untested') as status
      from attack_objects o
      left join technique_states st on st.technique_id = o.id
     where o.type = 'attack-pattern'
       and (o.id in (select id from heads)
         or (not o.revoked and not o.deprecated
             and exists (select 1 from heads h where h.domain = o.domain and o.parent_stix_id = h.stix_id)))`);
  return r.rows.map((x) => ({
    id: x.id,
    stixId: x.stix_id,
    parentStixId: x.parent_stix_id,
    domain: x.domain,
    status: x.status,
  }));
}

/** A technique's coverage status and its parent's (for a sub-technique), in one query. */
export async function coverageWithParent(
  db: Conn,
  techniqueId: string,
): Promise<{ status: CoverageStatus; parent: { id: string; status: CoverageStatus } | null } | undefined> {
  const r = await db.execute<{
    status: CoverageStatus;
    parent_id: string | null;
    parent_status: CoverageStatus | null;
  }>(sql`
    select coalesce(s.coverage_status, 'untested') as status,
           p.id as parent_id, coalesce(ps.coverage_status, 'untested') as parent_status
      from attack_objects o
      left join technique_states s on s.technique_id = o.id
      left join attack_objects p on o.parent_stix_id is not null and p.domain = o.domain
       and p.stix_id = o.parent_stix_id and p.type = 'attack-pattern'
      left join technique_states ps on ps.technique_id = p.id
     where o.id = ${techniqueId}::uuid`);
  const row = r.rows[0];
  if (!row) return undefined;
  return {
    status: row.status,
    parent: row.parent_id ? { id: row.parent_id, status: row.parent_status ?? 'untested' } : null,
  };
}

/** Writes changed statuses and their history rows, set-based. */
export async function saveCoverage(
  tx: Conn,
  changes: Array<{ techniqueId: string; from: string; to: string }>,
  testCaseId: string | null,
): Promise<void> {
  if (changes.length === 0) return;
  const json = JSON.stringify(changes);
  await tx.execute(sql`
    insert into technique_states (technique_id, coverage_status)
    select x."techniqueId", x."to" from jsonb_to_recordset(${json}::jsonb) as x("techniqueId" uuid, "to" text)
    on conflict (technique_id) do update set coverage_status = excluded.coverage_status, updated_at = now()`);
  await tx
    .insert(coverageHistory)
    .values(
      changes.map((c) => ({ techniqueId: c.techniqueId, fromStatus: c.from, toStatus: c.to, testCaseId })),
    );
}

/** Moves tests off revoked techniques (release upgrade); returns how many moved. */
export async function moveTestsToTechniques(
  tx: Tx,
  moves: Array<{ fromId: string; toId: string }>,
): Promise<number> {
  if (moves.length === 0) return 0;
  const r = await tx.execute<{ id: string }>(sql`
    update test_cases t set technique_id = m."toId", updated_at = now()
      from jsonb_to_recordset(${JSON.stringify(moves)}::jsonb) as m("fromId" uuid, "toId" uuid)
     where t.technique_id = m."fromId"
    returning t.id`);
  return r.rows.length;
}
