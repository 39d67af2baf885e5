import { compact, searchPage, searchTechnique, searchText } from '../catalog/search';

export interface ComplianceSearch {
  /** A compliance data source's key (`nist-800-53-r5`); the first framework with controls when absent. */
  framework?: string;
  /** A control family of the framework (`AC`, `CIS 13`). */
  family?: string;
  q?: string;
  technique?: string;
  page?: number;
}

export function parseComplianceSearch(search: Record<string, unknown>): ComplianceSearch {
  return compact({
    framework: searchText(search.framework, 64),
    family: searchText(search.family, 64),
    q: searchText(search.q),
    technique: searchTechnique(search.technique),
    page: searchPage(search.page),
  });
}
