import { z } from 'zod';
import { AttackRef, CoverageStatus } from './attack';
import { PageQuery } from './envelopes';
import { BULK_TESTS_MAX } from './paging';

export const TestState = z.enum([
  'draft',
  'red_executing',
  'blue_evaluating',
  'in_review',
  'validated',
  'rejected',
]);
export type TestState = z.infer<typeof TestState>;
export const Outcome = z.enum(['prevented', 'detected', 'logged', 'not_detected']);
export type Outcome = z.infer<typeof Outcome>;
export const TestAction = z.enum(['start_execution', 'submit_to_blue', 'submit_for_review', 'reopen']);
export type TestAction = z.infer<typeof TestAction>;

const when = z.iso.datetime({ offset: true });
export const UserRef = z.object({ id: z.uuid(), username: z.string(), displayName: z.string() });

export const ToolResult = z.object({
  tool: z.string().trim().min(1).max(100),
  outcome: Outcome,
  firstLoggedAt: when.nullable().optional(),
  detectedAt: when.nullable().optional(),
  preventedAt: when.nullable().optional(),
  notes: z.string().max(5000).default(''),
});
export type ToolResult = z.infer<typeof ToolResult>;

export const FiredRule = z.object({ ruleId: z.uuid().optional(), name: z.string().trim().min(1).max(300) });

export const CreateTestCase = z.object({
  /** Our technique id or an ATT&CK id (`T1059.001`). */
  technique: z.string().trim().min(1).max(64),
  tactic: z.string().max(64).optional(),
  templateId: z.uuid().optional(),
  title: z.string().trim().min(1, 'required').max(300),
  description: z.string().max(20_000).default(''),
  platform: z.string().max(64).optional(),
  expectedOutcome: Outcome.optional(),
  assignedRedId: z.uuid().optional(),
  assignedBlueId: z.uuid().optional(),
});
export type CreateTestCase = z.infer<typeof CreateTestCase>;

export const UpdateTestCase = z
  .object({
    title: z.string().trim().min(1).max(300).optional(),
    description: z.string().max(20_000).optional(),
    platform: z.string().max(64).nullable().optional(),
    tactic: z.string().max(64).nullable().optional(),
    expectedOutcome: Outcome.nullable().optional(),
    assignedRedId: z.uuid().nullable().optional(),
    assignedBlueId: z.uuid().nullable().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: 'nothing to update' });

export const RedRecord = z.object({
  procedure: z.string().max(50_000).optional(),
  commands: z.string().max(50_000).optional(),
  targetHost: z.string().max(255).nullable().optional(),
  platform: z.string().max(64).optional(),
  executionStartedAt: when.nullable().optional(),
  executionEndedAt: when.nullable().optional(),
});

export const BlueRecord = z.object({
  /** Set to override the best per-tool outcome; null to derive it again. */
  outcome: Outcome.nullable().optional(),
  toolResults: z.array(ToolResult).max(50).optional(),
  detectedAt: when.nullable().optional(),
  firedRules: z.array(FiredRule).max(200).optional(),
  notes: z.string().max(50_000).optional(),
});

export const TransitionRequest = z.object({ action: TestAction, comment: z.string().max(5000).default('') });
export const VoteRequest = z.object({
  decision: z.enum(['approve', 'reject']),
  comment: z.string().max(5000).default(''),
  /** Only admins choose the side they vote for; leads vote for their own team. */
  side: z.enum(['red', 'blue']).optional(),
});

export const Transition = z.object({
  from: TestState.nullable(),
  to: TestState,
  action: z.string(),
  actor: UserRef.nullable(),
  comment: z.string(),
  at: z.iso.datetime(),
});
export const Vote = z.object({
  side: z.enum(['red', 'blue']),
  decision: z.enum(['approve', 'reject']),
  comment: z.string(),
  voter: UserRef,
  votedAt: z.iso.datetime(),
});

export const TestSide = z.enum(['red', 'blue']);
export type TestSide = z.infer<typeof TestSide>;

export const TestCaseSummary = z.object({
  id: z.uuid(),
  title: z.string(),
  state: TestState,
  technique: AttackRef,
  tactic: z.string().nullable(),
  platform: z.string().nullable(),
  outcome: Outcome.nullable(),
  expectedOutcome: Outcome.nullable(),
  assignedRed: UserRef.nullable(),
  assignedBlue: UserRef.nullable(),
  retestNumber: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  validatedAt: z.iso.datetime().nullable(),
  /**
   * The sides whose record the caller may not see yet (each team works blind to the other until
   * the review; viewers see neither): their fields are empty and `outcome` is null when blue is hidden.
   */
  hidden: z.array(TestSide),
});
export type TestCaseSummary = z.infer<typeof TestCaseSummary>;

export const TestCase = TestCaseSummary.extend({
  description: z.string(),
  templateId: z.uuid().nullable(),
  createdBy: UserRef.nullable(),
  red: z.object({
    procedure: z.string(),
    commands: z.string(),
    targetHost: z.string().nullable(),
    executionStartedAt: z.iso.datetime().nullable(),
    executionEndedAt: z.iso.datetime().nullable(),
  }),
  blue: z.object({
    outcome: Outcome.nullable(),
    outcomeExplicit: z.boolean(),
    toolResults: z.array(ToolResult.extend({ notes: z.string() })),
    /** The first alert: the earliest tool `detectedAt`, unless blue set it (`detectedAtExplicit`). */
    detectedAt: z.iso.datetime().nullable(),
    detectedAtExplicit: z.boolean(),
    firedRules: z.array(FiredRule),
    notes: z.string(),
  }),
  votes: z.array(Vote),
  transitions: z.array(Transition),
  chain: z.object({ rootId: z.uuid(), retestOfId: z.uuid().nullable(), retestNumber: z.number().int() }),
  rejectedAt: z.iso.datetime().nullable(),
  coverageStatus: CoverageStatus,
  /** What the caller may do now (drives the UI's buttons). */
  allowedActions: z.array(TestAction),
  canVote: z.boolean(),
  canEditRed: z.boolean(),
  canEditBlue: z.boolean(),
});
export type TestCase = z.infer<typeof TestCase>;

export const testSortFields = ['createdAt', 'updatedAt', 'title', 'state', 'retestNumber'] as const;
export const ListTestCasesQuery = PageQuery.extend({
  state: TestState.optional(),
  technique: z.string().max(64).optional(),
  /** `me`, a user's id (either side), or `unassigned` (nobody on either side). */
  assignedTo: z.union([z.literal('me'), z.literal('unassigned'), z.uuid()]).optional(),
  platform: z.string().max(64).optional(),
  q: z.string().trim().max(200).optional(),
  /** The tests of one re-test chain: the chain's first test (its `chain.rootId`) and its re-tests. */
  chain: z.uuid().optional(),
  sort: z.enum(testSortFields).default('updatedAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
});
export type ListTestCasesQuery = z.infer<typeof ListTestCasesQuery>;

/** A tech (or lead, or admin) takes an unassigned side of a test for itself. */
export const TakeTestRequest = z.object({ side: TestSide });
export type TakeTestRequest = z.infer<typeof TakeTestRequest>;

export { BULK_TESTS_MAX };
export const BulkTestAction = z.enum(['assign', 'start_execution']);
export type BulkTestAction = z.infer<typeof BulkTestAction>;

/**
 * One action on many tests, each following the single-test rules. `assign` sets the red and/or blue
 * assignee (null unassigns); `start_execution` moves drafts to red executing.
 */
export const BulkTestRequest = z
  .object({
    ids: z
      .array(z.uuid())
      .min(1)
      .max(BULK_TESTS_MAX)
      .refine((ids) => new Set(ids).size === ids.length, 'lists a test twice'),
    action: BulkTestAction,
    assignedRedId: z.uuid().nullable().optional(),
    assignedBlueId: z.uuid().nullable().optional(),
  })
  .superRefine((v, ctx) => {
    const assigns = v.assignedRedId !== undefined || v.assignedBlueId !== undefined;
    if (v.action === 'assign' && !assigns)
      ctx.addIssue({
        code: 'custom',
        path: ['assignedRedId'],
        message: 'assign needs assignedRedId or assignedBlueId',
      });
    if (v.action !== 'assign')
      for (const field of ['assignedRedId', 'assignedBlueId'] as const)
        if (v[field] !== undefined)
          ctx.addIssue({ code: 'custom', path: [field], message: 'only with action assign' });
  });
export type BulkTestRequest = z.infer<typeof BulkTestRequest>;

export const BulkTestResult = z.object({
  id: z.uuid(),
  /** `skipped`: already as asked; `failed`: the rules refused it (`message` says why). */
  status: z.enum(['done', 'skipped', 'failed']),
  message: z.string(),
});
export type BulkTestResult = z.infer<typeof BulkTestResult>;
export const BulkTestResponse = z.object({
  results: z.array(BulkTestResult),
  done: z.number().int().min(0),
  skipped: z.number().int().min(0),
  failed: z.number().int().min(0),
});
export type BulkTestResponse = z.infer<typeof BulkTestResponse>;

export const PendingTask = z.object({
  kind: z.enum(['execute', 'evaluate', 'vote', 'rework', 'remediate']),
  test: TestCaseSummary,
  detail: z.string(),
});
export type PendingTask = z.infer<typeof PendingTask>;

export const RemediationStep = z.object({
  id: z.uuid(),
  title: z.string(),
  description: z.string(),
  assignee: UserRef.nullable(),
  dueDate: z.iso.datetime().nullable(),
  status: z.enum(['open', 'in_progress', 'done', 'wont_fix']),
  createdAt: z.iso.datetime(),
  completedAt: z.iso.datetime().nullable(),
});
export const CreateRemediationStep = z.object({
  title: z.string().trim().min(1).max(300),
  description: z.string().max(20_000).default(''),
  assigneeId: z.uuid().optional(),
  dueDate: when.optional(),
});
export const UpdateRemediationStep = z
  .object({
    title: z.string().trim().min(1).max(300).optional(),
    description: z.string().max(20_000).optional(),
    assigneeId: z.uuid().nullable().optional(),
    dueDate: when.nullable().optional(),
    status: z.enum(['open', 'in_progress', 'done', 'wont_fix']).optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: 'nothing to update' });
export const Remediation = z.object({
  steps: z.array(RemediationStep),
  retest: z.object({ id: z.uuid(), retestNumber: z.number().int() }).nullable(),
  retestsLeft: z.number().int(),
});
