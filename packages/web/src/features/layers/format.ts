import type { ClaimedItem, ClaimedLayerDetail, ClaimedLayerSummary } from '@aegis/contracts';
import { ApiError, describeError, fieldErrors } from '../../app/api';
import type { LayerSearch } from './search';

type Counts = ClaimedLayerSummary['counts'];
type Warning = ClaimedLayerDetail['warnings'][number];

/**
 * Text from a layer file as it should read: the Navigator's samples carry vertical tabs where a line
 * break was meant, and other control characters show as boxes. (React renders it as text either way.)
 */
export const fileText = (s: string): string =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes.
  s.replace(/[\v\f]/g, '\n').replace(/[\u0000-\u0008\u000E-\u001F\u007F]/g, '');

/** The resolution counts in the order the import explains them (analysis spec §3.4), with their labels. */
export const COUNT_LABELS: readonly { key: keyof Counts; label: string; one?: string }[] = [
  { key: 'entries', label: 'entries', one: 'entry' },
  { key: 'active', label: 'active' },
  { key: 'revoked', label: 'revoked → resolved' },
  { key: 'deprecated', label: 'deprecated' },
  { key: 'unknown', label: 'unknown' },
  { key: 'tacticDropped', label: 'tactic dropped' },
  { key: 'collisions', label: 'collisions', one: 'collision' },
  { key: 'claimed', label: 'claimed' },
];

/** "24 entries, 13 active, …" — what the live region reads out for a layer. */
export function countsPhrase(counts: Counts): string {
  return COUNT_LABELS.map(
    ({ key, label, one }) => `${counts[key]} ${counts[key] === 1 && one ? one : label}`,
  ).join(', ');
}

export const RESOLUTION_LABELS: Record<ClaimedItem['resolution'], string> = {
  active: 'Active',
  revoked: 'Revoked → resolved',
  deprecated: 'Deprecated',
  unknown: 'Unknown',
};

/** What each warning code means, as the heading of its group; the codes the import names first. */
const WARNING_TITLES: Record<string, string> = {
  LAYER_VERSION_UNKNOWN: 'Layer format not known (read as 4.5)',
  LAYER_NEWER_THAN_KNOWLEDGE_BASE: 'Layer made for a newer ATT&CK than the one loaded',
  TECHNIQUE_DEPRECATED: 'Deprecated techniques (kept, not resolved)',
  TECHNIQUE_UNKNOWN: 'Unknown technique ids (kept, not resolved)',
  TACTIC_NOT_APPLICABLE: 'Tactic dropped (applied to every tactic of the technique)',
  DUPLICATE_AFTER_RESOLUTION: 'Collisions (two ids landing on one technique and tactic)',
  SCORE_COERCED: 'Score given as text (read as a number)',
  SCORE_INVALID: 'Score not a number (ignored)',
  COLOR_INVALID: 'Colour not valid (dropped)',
  TECHNIQUE_ID_LOWERCASE: 'Technique id in lower case (upper-cased)',
  TECHNIQUE_ID_INVALID: 'Technique id not valid',
  FIELD_IGNORED: 'Fields ignored',
};
const CODE_ORDER = Object.keys(WARNING_TITLES);

export const warningTitle = (code: string): string => WARNING_TITLES[code] ?? code;

/** The ids an entry went through: itself, then each revocation step to where it landed. */
export function resolutionSteps(
  item: Pick<ClaimedItem, 'originalTechniqueId' | 'attackId' | 'via'>,
): string[] {
  if (item.via.length > 0) return item.via;
  if (item.attackId && item.attackId !== item.originalTechniqueId)
    return [item.originalTechniqueId, item.attackId];
  return [item.originalTechniqueId];
}

/** How an entry's id resolved: "T1073 → T1574.002 → T1574.001" for a revocation chain. */
export const resolutionChain = (
  item: Pick<ClaimedItem, 'originalTechniqueId' | 'attackId' | 'via'>,
): string => resolutionSteps(item).join(' → ');

/** "execution → all tactics" when the tactic was dropped; the tactic itself otherwise. */
export function tacticPhrase(item: Pick<ClaimedItem, 'originalTactic' | 'tactic' | 'attackId'>): string {
  if (item.originalTactic && !item.tactic && item.attackId) return `${item.originalTactic} → all tactics`;
  return item.tactic ?? item.originalTactic ?? 'all tactics';
}

export interface WarningGroup {
  code: string;
  title: string;
  warnings: { warning: Warning; item: ClaimedItem | null }[];
}

/** The layer's warnings grouped by code (known codes in a fixed order), each with the entry it names. */
export function groupWarnings(layer: Pick<ClaimedLayerDetail, 'warnings' | 'items'>): WarningGroup[] {
  const byPosition = new Map(layer.items.map((i) => [i.position, i]));
  const groups = new Map<string, WarningGroup>();
  for (const warning of layer.warnings) {
    const group = groups.get(warning.code) ?? {
      code: warning.code,
      title: warningTitle(warning.code),
      warnings: [],
    };
    group.warnings.push({
      warning,
      item: warning.entry === undefined ? null : (byPosition.get(warning.entry) ?? null),
    });
    groups.set(warning.code, group);
  }
  const rank = (code: string) => {
    const i = CODE_ORDER.indexOf(code);
    return i === -1 ? CODE_ORDER.length : i;
  };
  return [...groups.values()].sort((a, b) => rank(a.code) - rank(b.code) || a.code.localeCompare(b.code));
}

/** Entries that landed on no technique: deprecated and unknown ids, kept but never claimed. */
export const unresolvedItems = (items: readonly ClaimedItem[]): ClaimedItem[] =>
  items.filter((i) => i.resolution === 'deprecated' || i.resolution === 'unknown');

/** A message as a sentence; one that starts with a field's path (`file[1].name`) keeps it as written. */
const sentence = (s: string) => {
  const t = /^[a-z]\w*[.[]/.test(s) ? s : s.charAt(0).toUpperCase() + s.slice(1);
  return /[.!?)]$/.test(t) ? t : `${t}.`;
};

/** Why an import was refused, in words: the field the server named, not the envelope's wording. */
export function describeImportError(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 413) return 'The file is larger than 10 MB, the most a layer import takes.';
    const fields = Object.values(fieldErrors(err));
    if (fields.length > 0) return fields.map(sentence).join(' ');
    if (err.status === 400) return sentence(err.message);
  }
  return describeError(err);
}

/** The entries a detail page shows for its filters (absent: any). */
export function filterItems(items: readonly ClaimedItem[], filter: LayerSearch): ClaimedItem[] {
  return items.filter(
    (i) =>
      (filter.resolution === undefined || i.resolution === filter.resolution) &&
      (filter.claimed === undefined || i.claimed === filter.claimed),
  );
}

/** The matrix's heatmap layers for an imported layer (the matrix takes them as `?layer=`). */
export const matrixLayers = (id: string) => ({
  claimed: `claimed:${id}`,
  versusValidated: `claimed-vs-validated:${id}`,
});
