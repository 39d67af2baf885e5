export {
  ImportFailedError,
  type ImportSource,
  importAttack,
  moveNotes,
  type ReleaseFollower,
  type ReleasePreparer,
  reapInterruptedImports,
  type TechniqueMove,
  type TechniqueWorkMover,
} from './attack.import';
export { attackJobs } from './attack.jobs';
export { importRoutes } from './import.routes';
export { ATTACK_SYNC_JOB, createImportService, type ImportService, toImportRun } from './import.service';
export {
  findTechniqueBrief,
  loadedRelease,
  type TechniqueBrief,
  techniqueShapeFilters,
} from './knowledge.queries';
export { knowledgeRoutes } from './knowledge.routes';
export { createKnowledgeService, type KnowledgeService } from './knowledge.service';
export { techniqueNamer } from './names.queries';
export { fetchBundle } from './sources/http-bundle';
export { readBundle, StixFormatError } from './stix';
