import type {
  AttackPlatforms,
  AttackRelease,
  ClaimedLayerList,
  Heatmap,
  HeatmapLayerCatalog,
  ListEnvelope,
  Tactic,
  Technique,
  TechniqueSummary,
} from '@aegis/contracts';
import { MAX_PAGE_SIZE } from '@aegis/contracts/paging';
import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api, type Query } from '../../app/api';
import type { Option } from '../../components/FilterBar';
import type { HeatmapParams } from './search';

/** Every page of a list endpoint, `MAX_PAGE_SIZE` at a time, until `total`. */
export async function fetchAll<T>(path: string, query: Query, signal?: AbortSignal): Promise<T[]> {
  const items: T[] = [];
  for (let offset = 0; ; offset += MAX_PAGE_SIZE) {
    const page = await api<ListEnvelope<T>>(path, {
      query: { ...query, limit: MAX_PAGE_SIZE, offset },
      signal,
    });
    items.push(...page.items);
    if (page.items.length === 0 || items.length >= page.total) return items;
  }
}

export const attackKeys = {
  tactics: ['attack', 'tactics'] as const,
  release: ['attack', 'release'] as const,
  techniques: ['attack', 'techniques', 'top-level'] as const,
  subtechniques: ['attack', 'techniques', 'sub'] as const,
  technique: (id: string) => ['attack', 'technique', id] as const,
  techniqueSearch: (text: string) => ['attack', 'technique-search', text] as const,
  platforms: ['attack', 'platforms'] as const,
  // Under `attack`: a coverage change invalidates `['attack']`, and the heatmap shows coverage.
  heatmap: (params: HeatmapParams) => ['attack', 'heatmap', params] as const,
  heatmapLayers: ['attack', 'heatmap-layers'] as const,
};

/** The whole matrix of a domain on one layer (`GET /heatmap`); the previous one stays shown while the next loads. */
export const heatmapQuery = (params: HeatmapParams) =>
  queryOptions({
    queryKey: attackKeys.heatmap(params),
    queryFn: ({ signal }) => api<Heatmap>('/heatmap', { query: params, signal }),
    placeholderData: keepPreviousData,
  });

export const heatmapLayersQuery = queryOptions({
  queryKey: attackKeys.heatmapLayers,
  queryFn: ({ signal }) => api<HeatmapLayerCatalog>('/heatmap/layers', { signal }).then((r) => r.layers),
  staleTime: 60 * 60_000,
});

export const useHeatmap = (params: HeatmapParams) => useQuery(heatmapQuery(params));
export const useHeatmapLayers = () => useQuery(heatmapLayersQuery);

/** Imported Navigator layers, for the claimed layers' picker. */
export function useClaimedLayerChoices(enabled: boolean) {
  return useQuery({
    queryKey: ['claimed-layers', 'picker'],
    enabled,
    queryFn: ({ signal }) => api<ClaimedLayerList>('/layers', { query: { limit: 100 }, signal }),
  });
}

export const tacticsQuery = queryOptions({
  queryKey: attackKeys.tactics,
  queryFn: ({ signal }) => api<{ items: Tactic[] }>('/tactics', { signal }).then((r) => r.items),
  staleTime: 5 * 60_000,
});

/** Every top-level technique with its coverage (the matrix and the dashboard). */
export const techniquesQuery = queryOptions({
  queryKey: attackKeys.techniques,
  queryFn: ({ signal }) => fetchAll<TechniqueSummary>('/techniques', { subtechniques: 'exclude' }, signal),
});

export function useTactics() {
  return useQuery(tacticsQuery);
}

/** Tactic shortname → its name in the loaded release (one cached `/tactics` request); unknown ones as they are. */
export function useTacticNames(): (shortname: string) => string {
  const tactics = useTactics();
  return useMemo(() => {
    const names = new Map((tactics.data ?? []).map((t) => [t.shortname ?? t.name, t.name]));
    return (shortname: string) => names.get(shortname) ?? shortname;
  }, [tactics.data]);
}

/** Which ATT&CK release is loaded (Enterprise), for hints about ids it lacks. */
export function useAttackRelease() {
  return useQuery({
    queryKey: attackKeys.release,
    queryFn: ({ signal }) => api<AttackRelease>('/attack/release', { signal }),
    staleTime: 5 * 60_000,
  });
}

export function useTechniques() {
  return useQuery(techniquesQuery);
}

/** Sub-techniques grouped by their parent's id; loaded only once something asks for them. */
export function useSubtechniques(enabled: boolean) {
  return useQuery({
    queryKey: attackKeys.subtechniques,
    enabled,
    queryFn: async ({ signal }) => {
      const subs = await fetchAll<TechniqueSummary>('/techniques', { subtechniques: 'only' }, signal);
      const byParent = new Map<string, TechniqueSummary[]>();
      for (const sub of subs) {
        if (!sub.parent) continue;
        const list = byParent.get(sub.parent.id) ?? [];
        list.push(sub);
        byParent.set(sub.parent.id, list);
      }
      return byParent;
    },
  });
}

export function useTechnique(id: string, options: { enabled?: boolean; staleTime?: number } = {}) {
  return useQuery({
    queryKey: attackKeys.technique(id),
    ...options,
    queryFn: ({ signal }) => api<Technique>(`/techniques/${encodeURIComponent(id)}`, { signal }),
  });
}

/** Text the technique search can answer: an ATT&CK id prefix (`T10`) or two characters of a name. */
export const searchableTechniqueText = (text: string): boolean => /^t\d/i.test(text) || text.length >= 2;

/**
 * Live enterprise techniques matching `text`, the best 25 first (`sort=relevance`: exact ATT&CK id,
 * id prefix, name prefix, name, then description matches).
 */
export function useTechniqueSearch(text: string) {
  return useQuery({
    queryKey: attackKeys.techniqueSearch(text),
    enabled: searchableTechniqueText(text),
    queryFn: ({ signal }) =>
      api<ListEnvelope<TechniqueSummary>>('/techniques', {
        query: { q: text, sort: 'relevance', limit: 25 },
        signal,
      }),
    staleTime: 5 * 60_000,
  });
}

/** The release's platforms, each marked in or out of the organisation's scope (`ORG_PLATFORM_SCOPE`). */
export function usePlatforms() {
  return useQuery({
    queryKey: attackKeys.platforms,
    queryFn: ({ signal }) => api<AttackPlatforms>('/platforms', { signal }).then((r) => r.items),
    staleTime: 5 * 60_000,
  });
}

/** The release's tactics in matrix order, as filter options (the value is the shortname). */
export function useTacticOptions(): Option[] {
  const tactics = useTactics();
  return useMemo(
    () =>
      [...(tactics.data ?? [])]
        .sort((a, b) => (a.matrixOrder ?? 999) - (b.matrixOrder ?? 999))
        .flatMap((t) => (t.shortname ? [{ value: t.shortname, label: t.name }] : [])),
    [tactics.data],
  );
}

/** The platforms in the organisation's scope, as filter options. */
export function usePlatformOptions(): Option[] {
  const platforms = usePlatforms();
  return useMemo(
    () => (platforms.data ?? []).filter((p) => p.inScope).map((p) => ({ value: p.name, label: p.name })),
    [platforms.data],
  );
}

export function useMarkReviewed(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      api<unknown>(`/techniques/${encodeURIComponent(id)}/review`, { method: 'POST', body: {} }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['attack'] }),
  });
}

/** Saves the organisation's notes; every cached copy of the technique shows the saved value at once. */
export function useUpdateTechniqueNotes(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (notes: string) =>
      api<Technique>(`/techniques/${encodeURIComponent(id)}`, { method: 'PATCH', body: { notes } }),
    onSuccess: (updated) =>
      queryClient.setQueriesData<Technique>({ queryKey: ['attack', 'technique'] }, (old) =>
        old?.id === updated.id ? updated : old,
      ),
  });
}
