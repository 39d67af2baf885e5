export { catalogJobs } from './catalog.jobs';
export { followRelease, moveCatalogMappings } from './catalog.movers';
export { catalogRoutes } from './catalog.routes';
export { type CatalogDeps, type CatalogService, createCatalogService } from './catalog.service';
export {
  type DataSourceService,
  ensureDataSources,
  SOURCES_SYNC_ALL_JOB,
  SOURCES_SYNC_JOB,
  SOURCES_SYNC_SCHEDULED_JOB,
} from './data-sources.service';
export { catalogNamers } from './names.queries';
export { SOURCE_DEFINITIONS } from './registry';
export { reapInterruptedSyncs, SyncFailedError, syncSource } from './sync';
export { findSourceByKey, insertRun, updateSource } from './sync.queries';
export { createTestFromTemplate } from './templates.service';
