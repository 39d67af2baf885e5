import { compact, searchEnum, searchPage, searchTechnique, searchText } from '../catalog/search';

/** D3FEND's seven tactics in its matrix order (the tactic filter lists the synced ones in this order). */
export const D3FEND_TACTICS = [
  'Model',
  'Harden',
  'Detect',
  'Isolate',
  'Deceive',
  'Evict',
  'Restore',
] as const;
export const IMPLEMENTATION_FILTERS = ['implemented', 'partial', 'none', 'unset'] as const;

export interface DefensesSearch {
  q?: string;
  tactic?: string;
  implementation?: (typeof IMPLEMENTATION_FILTERS)[number];
  technique?: string;
  page?: number;
}

export function parseDefensesSearch(search: Record<string, unknown>): DefensesSearch {
  return compact({
    q: searchText(search.q),
    tactic: searchText(search.tactic, 64),
    implementation: searchEnum(search.implementation, IMPLEMENTATION_FILTERS),
    technique: searchTechnique(search.technique),
    page: searchPage(search.page),
  });
}
