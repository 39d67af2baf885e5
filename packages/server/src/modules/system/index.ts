export { systemJobs } from './system.jobs';
export { systemRoutes } from './system.routes';
export { createSystemService, type SystemService } from './system.service';
