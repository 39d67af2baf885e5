export {
  HEARTBEAT_INTERVAL_MS,
  type Heartbeat,
  type InterruptedRunReaper,
  interruptedMessage,
  isStale,
  type ReapedRun,
  reapInterruptedRuns,
  type Staleness,
  startHeartbeat,
} from './heartbeat';
export { deleteFinishedJobRunsBefore, listJobRuns } from './job-runs.queries';
export { jobRuns } from './job-runs.schema';
export {
  isPermanentFailure,
  type JobContext,
  type JobDefinition,
  JobRegistry,
  type PermanentFailure,
} from './registry';
export { JobScheduler, type SchedulerOptions } from './scheduler';
