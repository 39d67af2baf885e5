export { testCaseNamers } from './names.queries';
export { remediationRoutes } from './remediation.routes';
export { createRemediationService, type RemediationService } from './remediation.service';
export { holdTestState } from './state-hold';
export { moveTests } from './test-cases.movers';
export { findTestCase, type TestCaseRow } from './test-cases.queries';
export { callerOf, testCaseRoutes } from './test-cases.routes';
export { testCases } from './test-cases.schema';
export {
  type Caller,
  createTestCaseService,
  type Notify,
  type Resolve,
  type TestCaseService,
} from './test-cases.service';
export { hiddenSides, visibleSides } from './visibility';
