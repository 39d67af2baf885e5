import type { ClaimedLayerDetail, ClaimedLayerList, LayerImportResult } from '@aegis/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Query } from '../../app/api';
import { upload } from '../../app/upload';

/** Every claimed-layer query starts with `layers`: importing, deleting or re-resolving refreshes them all. */
export const layerKeys = {
  all: ['layers'] as const,
  list: (query: Query) => ['layers', 'list', query] as const,
  detail: (id: string) => ['layers', 'detail', id] as const,
};

/** What one import call sends: the file as the raw body, and the claim rule chosen for it. */
export interface LayerImport {
  file: File;
  claimThreshold: number;
  dryRun: boolean;
}

export function useLayers(query: { limit: number; offset: number }) {
  return useQuery({
    queryKey: layerKeys.list(query),
    queryFn: ({ signal }) => api<ClaimedLayerList>('/layers', { query, signal }),
    placeholderData: (previous) => previous,
  });
}

export function useLayer(id: string) {
  return useQuery({
    queryKey: layerKeys.detail(id),
    queryFn: ({ signal }) => api<ClaimedLayerDetail>(`/layers/${encodeURIComponent(id)}`, { signal }),
  });
}

function useInvalidateLayers() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: layerKeys.all });
}

/**
 * `POST /layers/import` with the layer file as the body (as ATT&CK bundles are sent): a dry run
 * answers the preview and writes nothing; the real one answers the layers with their ids.
 */
export function useImportLayers() {
  const invalidate = useInvalidateLayers();
  return useMutation({
    mutationFn: ({ file, claimThreshold, dryRun }: LayerImport) =>
      upload<LayerImportResult>('/layers/import', file, {
        query: { filename: file.name, dryRun, claimThreshold },
        // The server reads the bytes itself and names what is wrong (a file that is not JSON included).
        contentType: 'application/json',
      }),
    onSuccess: (result) => {
      if (!result.dryRun) void invalidate();
    },
  });
}

export function useDeleteLayer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/layers/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: (_, id) => {
      // Dropped, not refetched: the layer's own page is being left, and asking again would answer 404.
      queryClient.removeQueries({ queryKey: layerKeys.detail(id) });
      void queryClient.invalidateQueries({ queryKey: ['layers', 'list'] });
    },
  });
}

export function useReresolveLayer() {
  const invalidate = useInvalidateLayers();
  return useMutation({
    mutationFn: (id: string) =>
      api<ClaimedLayerDetail>(`/layers/${encodeURIComponent(id)}/reresolve`, { method: 'POST' }),
    onSuccess: invalidate,
  });
}
