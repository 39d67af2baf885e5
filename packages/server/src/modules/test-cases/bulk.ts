import type { BulkTestRequest, BulkTestResponse, BulkTestResult } from '@aegis/contracts';
import { AppError } from '../../infra/http';
import { ASSIGNEE_FIELD, assigneeChanges, SIDES } from './assignment';
import { type People, personLabel } from './assignment.service';
import type { TestCaseRow } from './test-cases.queries';
import type { Work } from './test-cases.service';

/** The bulk request's work marked as such in each test's audit row. */
const inBulk =
  (work: Work): Work =>
  async (tx, test) => {
    const done = await work(tx, test);
    return done && { ...done, summary: { ...done.summary, bulk: true } };
  };

/**
 * One action over many tests. What can be told from one set-based read of the tests is decided
 * first: an unknown test fails, one already as asked is skipped. Every other test gets the same work
 * as the single-test route, in its own transaction, one after the other: its refusal (403, 409)
 * becomes that test's failure and leaves the others alone.
 */
export async function runBulk(deps: {
  /** The requested tests that exist (one query). */
  tests: readonly TestCaseRow[];
  request: BulkTestRequest;
  /** The assignees named by an `assign` request, already checked. */
  people: People;
  /** Runs `work` on the locked test in one transaction; false when it found nothing to change. */
  apply: (id: string, work: Work) => Promise<boolean>;
  assign: Work;
  startExecution: Work;
}): Promise<BulkTestResponse> {
  const { request, people } = deps;
  const byId = new Map(deps.tests.map((t) => [t.id, t]));
  const asked = SIDES.filter((side) => request[ASSIGNEE_FIELD[side]] !== undefined)
    .map((side) => `${side}: ${personLabel(people, request[ASSIGNEE_FIELD[side]] ?? null)}`)
    .join('; ');

  async function one(id: string): Promise<BulkTestResult> {
    const test = byId.get(id);
    if (!test) return { id, status: 'failed', message: 'No such test' };
    const skip = (message: string): BulkTestResult => ({ id, status: 'skipped', message });
    if (request.action === 'assign' && assigneeChanges(test, request).length === 0)
      return skip(`Already assigned (${asked})`);
    if (request.action === 'start_execution' && test.state === 'red_executing')
      return skip('Already red executing');
    try {
      const work = request.action === 'assign' ? deps.assign : deps.startExecution;
      // Someone may have made the same change since the read: the work then finds nothing to do.
      if (!(await deps.apply(id, inBulk(work))))
        return skip(request.action === 'assign' ? `Already assigned (${asked})` : 'Already red executing');
      return {
        id,
        status: 'done',
        message: request.action === 'assign' ? `Assigned (${asked})` : 'Now red executing',
      };
    } catch (err) {
      if (err instanceof AppError && err.statusCode < 500)
        return { id, status: 'failed', message: err.message };
      throw err;
    }
  }

  const results: BulkTestResult[] = [];
  for (const id of request.ids) results.push(await one(id));
  const count = (status: BulkTestResult['status']) => results.filter((r) => r.status === status).length;
  return { results, done: count('done'), skipped: count('skipped'), failed: count('failed') };
}
