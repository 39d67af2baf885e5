import type { CreateTestFromTemplate } from '@aegis/contracts';
import type { Db } from '../../infra/db';
import type { Logger } from '../../infra/logger';
import type { BlobStore } from '../../infra/storage';
import type { Caller, TestCaseService } from '../test-cases';
import { createDataSourceService, type DataSourceDeps } from './data-sources.service';
import { createDefenseService } from './defenses.service';
import { createRuleService } from './rules.service';
import { createTemplateService, createTestFromTemplate } from './templates.service';

export interface CatalogDeps {
  db: Db;
  storage: BlobStore;
  logger: Logger;
  jobs: DataSourceDeps['jobs'];
  /** AEGIS_TIMEZONE: the zone data-source cron schedules are read in. */
  timezone: string;
  tests: TestCaseService;
}

/** The catalog's services, wired once (HTTP routes, jobs and the CLI share them). */
export function createCatalogService(deps: CatalogDeps) {
  return {
    sources: createDataSourceService(deps),
    templates: createTemplateService(deps),
    rules: createRuleService(deps),
    defenses: createDefenseService(deps),
    fromTemplate: (caller: Caller, templateId: string, overrides: CreateTestFromTemplate) =>
      createTestFromTemplate(deps, caller, templateId, overrides),
  };
}
export type CatalogService = ReturnType<typeof createCatalogService>;
