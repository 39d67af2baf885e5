export { recomputeCoverage } from './coverage.service';
export { testCaseNamers } from './names.queries';
export { remediationRoutes } from './remediation.routes';
export { createRemediationService, type RemediationService } from './remediation.service';
export { moveTests } from './test-cases.movers';
export { findTestCase, lockTestCase, type TestCaseRow } from './test-cases.queries';
export { callerOf, testCaseRoutes } from './test-cases.routes';
export { testCases } from './test-cases.schema';
export {
  type Caller,
  createTestCaseService,
  type Notify,
  type Resolve,
  type TestCaseService,
} from './test-cases.service';
export { hiddenSides, teamOf, visibleSides } from './visibility';
