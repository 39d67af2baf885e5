/** Scores 0–100 for techniques, tactics, threat actors and the organisation (analysis spec §1). */
export { scoresJobs } from './scores.jobs';
export { type ScoreColumns, scoreColumns, scoreJoin } from './scores.queries';
export { scoresRoutes } from './scores.routes';
export {
  createScoresService,
  type RecomputeResult,
  SCORES_RECOMPUTE_JOB,
  SCORES_REFRESH_JOB,
  type ScoresService,
} from './scores.service';
