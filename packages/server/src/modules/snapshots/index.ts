/** Snapshots of coverage and scores, their retention and comparison across ATT&CK releases (analysis spec §4). */
export { snapshotsJobs } from './snapshots.jobs';
export { snapshotsRoutes } from './snapshots.routes';
export {
  createSnapshotsService,
  SNAPSHOTS_TAKE_JOB,
  type SnapshotRetention,
  type SnapshotsService,
} from './snapshots.service';
