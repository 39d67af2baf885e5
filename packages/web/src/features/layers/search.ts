/**
 * The claimed-layer pages' state in the URL. Written without the contracts (the router reads this
 * file, and zod would come into the first paint).
 */
export interface LayersSearch {
  /** The list's page (1-based; absent: the first). */
  page?: number;
}

export const RESOLUTIONS = ['active', 'revoked', 'deprecated', 'unknown'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export interface LayerSearch {
  /** Only the entries that resolved this way. */
  resolution?: Resolution;
  /** Only the entries that claim (`true`) or do not (`false`). */
  claimed?: boolean;
}

export function parseLayersSearch(search: Record<string, unknown>): LayersSearch {
  const page = Number(search.page);
  return Number.isInteger(page) && page > 1 ? { page } : {};
}

export function parseLayerSearch(search: Record<string, unknown>): LayerSearch {
  const out: LayerSearch = {};
  if ((RESOLUTIONS as readonly unknown[]).includes(search.resolution))
    out.resolution = search.resolution as Resolution;
  // The router may hand booleans back already parsed, or as the text of the address.
  if (search.claimed === true || search.claimed === 'true') out.claimed = true;
  if (search.claimed === false || search.claimed === 'false') out.claimed = false;
  return out;
}
