/**
 * Coverage, owned here (ADR 20): the rule, the recompute, the history and the only read path.
 * Other modules read a technique's status through `coverageJoin` + `coverageStatus` (SQL fragments)
 * and counts through the service; the outcomes analyses stand on come from `currentResults` (CR(t)).
 */
export {
  type CountDimension,
  type CurrentResultRow,
  computedResultDigests,
  coverageJoin,
  coverageMovers,
  coverageMoves,
  coverageStatus,
  currentResultDigests,
  currentResults,
  currentResultsFrom,
  firedRulesSql,
  inScopeSql,
  lastCoverageChangeSql,
} from './coverage.queries';
export { coverageRoutes } from './coverage.routes';
export { coverageHistory, techniqueCoverage } from './coverage.schema';
export {
  type CoverageService,
  coverageAfterNewDraft,
  createCoverageService,
  recomputeCoverage,
} from './coverage.service';
export type { CoverageStatus } from './rule';
