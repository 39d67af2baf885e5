export { deleteFinishedJobRunsBefore, listJobRuns } from './job-runs.queries';
export { jobRuns } from './job-runs.schema';
export { type JobContext, type JobDefinition, JobRegistry } from './registry';
export { JobScheduler, type SchedulerOptions } from './scheduler';
