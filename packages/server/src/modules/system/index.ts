export { REAP_INTERRUPTED_RUNS_JOB, systemJobs } from './system.jobs';
export { systemRoutes } from './system.routes';
export { createSystemService, type SystemService } from './system.service';
