import { and, asc, eq, inArray, type Placeholder, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../infra/db';

import { testCases, testToolResults, testTransitions, testVotes } from './test-cases.schema';

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

/** The votes of a test's current review round. */
export async function votesOf(db: Conn, id: string): Promise<VoteRow[]> {
  return db
    .select()
    .from(testVotes)
    .where(
      and(
        eq(testVotes.testCaseId, id),
        eq(testVotes.round, sql`(select review_round from test_cases where id = ${id}::uuid)`),
      ),
    );
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
          'toState', x.to_state, 'action', x.action, 'actorId', x.actor_id, 'comment', x.comment, 'reviewRound', x.review_round, 'at', x.at)
          order by x.at), '[]')
        from test_transitions x where x.test_case_id = ${id}::uuid),
      'votes', (select coalesce(json_agg(json_build_object('round', v.round, 'side', v.side, 'voterId', v.voter_id,
          'decision', v.decision, 'comment', v.comment, 'votedAt', v.voted_at)), '[]')
        from test_votes v where v.test_case_id = ${id}::uuid
         and v.round = (select review_round from test_cases where id = ${id}::uuid)),
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
      reviewRound: t.reviewRound === null || t.reviewRound === undefined ? null : Number(t.reviewRound),
      at: new Date(t.at ?? 0),
    })),
    votes: raw.votes.map((v) => ({
      testCaseId: id,
      round: Number(v.round ?? 1),
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
      target: [testVotes.testCaseId, testVotes.round, testVotes.side],
      set: {
        voterId: vote.voterId,
        decision: vote.decision,
        comment: vote.comment ?? '',
        votedAt: sql`now()`,
      },
    });
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
