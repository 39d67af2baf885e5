import type { Tx } from '../../infra/db';
import { lockTestCase } from './test-cases.queries';
import type { TestState } from './workflow';

/**
 * A test's state, held for the rest of the caller's transaction: the test cannot move on (no
 * transition, vote or edit commits) until that transaction ends. Undefined when there is no such test.
 * What other modules use instead of locking `test_cases` rows themselves.
 */
export async function holdTestState(tx: Tx, id: string): Promise<{ state: TestState } | undefined> {
  const row = await lockTestCase(tx, id);
  return row ? { state: row.state as TestState } : undefined;
}
