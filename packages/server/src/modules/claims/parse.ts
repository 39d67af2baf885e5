import tinycolor from 'tinycolor2';

/**
 * Reading ATT&CK Navigator layer files (analysis spec §3.1, §3.4 step 1): one layer object or an
 * array of them, format 3.0 (`version`, `mitre-enterprise`) and 4.0–4.5 (`versions`). Lenient where
 * the Navigator is (a bad field is dropped with a warning), strict where a layer cannot mean anything
 * without it (name, domain: a 400 naming the field). Pure.
 */

export const LIMITS = { bytes: 10 * 1024 * 1024, layers: 20, entries: 10_000 } as const;

export type WarningCode =
  | 'LAYER_VERSION_UNKNOWN'
  | 'LAYER_NEWER_THAN_KNOWLEDGE_BASE'
  | 'SCORE_COERCED'
  | 'SCORE_INVALID'
  | 'COLOR_INVALID'
  | 'TECHNIQUE_ID_LOWERCASE'
  | 'TECHNIQUE_ID_INVALID'
  | 'TECHNIQUE_DEPRECATED'
  | 'TECHNIQUE_UNKNOWN'
  | 'TACTIC_NOT_APPLICABLE'
  | 'DUPLICATE_AFTER_RESOLUTION'
  | 'FIELD_IGNORED';

export interface Warning {
  code: WarningCode;
  message: string;
  /** The entry's position in the layer's `techniques` (none: about the layer). */
  entry?: number;
}

export interface ParsedItem {
  position: number;
  techniqueId: string;
  tactic: string | null;
  score: number | null;
  color: string | null;
  comment: string;
  enabled: boolean;
  metadata: Array<{ name: string; value: string }>;
  links: Array<{ label: string; url: string }>;
}

export interface ParsedLayer {
  name: string;
  description: string;
  domain: 'enterprise-attack' | 'mobile-attack' | 'ics-attack';
  layerVersion: string | null;
  attackVersion: string | null;
  gradient: { min: number; max: number };
  items: ParsedItem[];
  warnings: Warning[];
}

export class LayerFileError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

const DOMAINS: Record<string, ParsedLayer['domain']> = {
  'enterprise-attack': 'enterprise-attack',
  'mobile-attack': 'mobile-attack',
  'ics-attack': 'ics-attack',
  'mitre-enterprise': 'enterprise-attack',
  'mitre-mobile': 'mobile-attack',
};
const KNOWN_LAYER_VERSIONS = /^(3\.0|4\.[0-5])$/;
const TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/;
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' ? v : null);

/** A colour the Navigator accepts (tinycolor), as #rrggbb; null and a warning otherwise. */
function colorOf(v: unknown, warn: (m: string) => void): string | null {
  if (v === undefined || v === null || v === '') return null;
  const c = typeof v === 'string' ? tinycolor(v) : null;
  // tinycolor accepts "#defa217" (7 digits) as garbage-tolerant input; the Navigator's own check
  // rejects it as a hex of the wrong length, and so do we.
  if (!c?.isValid() || (typeof v === 'string' && v.startsWith('#') && ![4, 7, 9].includes(v.length))) {
    warn(`colour ${JSON.stringify(v)} is not a colour; dropped`);
    return null;
  }
  return c.toHexString();
}

function parseLayer(raw: unknown, index: number, many: boolean): ParsedLayer {
  const at = (field: string) => (many ? `file[${index}].${field}` : field);
  if (!isObject(raw)) throw new LayerFileError(`${at('layer')} must be a JSON object`, at('layer'));
  const name = str(raw.name)?.trim();
  if (!name) throw new LayerFileError(`${at('name')} is required: a layer has a name`, at('name'));
  const domain = DOMAINS[str(raw.domain) ?? ''];
  if (!domain)
    throw new LayerFileError(
      `${at('domain')} must be enterprise-attack, mobile-attack or ics-attack (or 3.x mitre-enterprise, mitre-mobile); got ${JSON.stringify(raw.domain ?? null)}`,
      at('domain'),
    );
  const warnings: Warning[] = [];
  const versions = isObject(raw.versions) ? raw.versions : {};
  const layerVersion = str(versions.layer) ?? str(raw.version);
  const attackVersion = str(versions.attack);
  if (!layerVersion || !KNOWN_LAYER_VERSIONS.test(layerVersion))
    warnings.push({
      code: 'LAYER_VERSION_UNKNOWN',
      message: `layer format ${layerVersion ?? '(none)'} is not one this reads (3.0, 4.0–4.5); read as 4.5`,
    });
  const g = isObject(raw.gradient) ? raw.gradient : {};
  let min = typeof g.minValue === 'number' ? g.minValue : 0;
  let max = typeof g.maxValue === 'number' ? g.maxValue : 100;
  if (!(max > min)) {
    warnings.push({ code: 'FIELD_IGNORED', message: 'gradient maxValue must be above minValue; 0–100 used' });
    min = 0;
    max = 100;
  }
  const techniques = Array.isArray(raw.techniques) ? raw.techniques : [];
  if (raw.techniques !== undefined && !Array.isArray(raw.techniques))
    warnings.push({ code: 'FIELD_IGNORED', message: 'techniques is not a list; no entries read' });
  if (techniques.length > LIMITS.entries)
    throw new LayerFileError(
      `${at('techniques')} has ${techniques.length} entries; at most ${LIMITS.entries} per layer`,
      at('techniques'),
    );
  const items: ParsedItem[] = [];
  for (const [position, t] of techniques.entries()) {
    const warn = (code: WarningCode, message: string) => {
      warnings.push({ code, message, entry: position });
    };
    if (!isObject(t)) {
      warn('FIELD_IGNORED', 'an entry that is not an object was skipped');
      continue;
    }
    const rawId = str(t.techniqueID)?.trim() ?? '';
    const techniqueId = rawId.toUpperCase();
    if (!TECHNIQUE_ID.test(techniqueId)) {
      warn(
        'TECHNIQUE_ID_INVALID',
        `techniqueID ${JSON.stringify(t.techniqueID ?? null)} is not T#### or T####.###; skipped`,
      );
      continue;
    }
    if (rawId !== techniqueId) warn('TECHNIQUE_ID_LOWERCASE', `techniqueID ${rawId} read as ${techniqueId}`);
    let score: number | null = null;
    if (typeof t.score === 'number' && Number.isFinite(t.score)) score = t.score;
    else if (typeof t.score === 'string' && t.score.trim() !== '' && Number.isFinite(Number(t.score))) {
      score = Number(t.score);
      warn(
        'SCORE_COERCED',
        `score "${t.score}" is text; read as the number ${score} (the Navigator drops it)`,
      );
    } else if (t.score !== undefined && t.score !== null && t.score !== '')
      warn('SCORE_INVALID', `score ${JSON.stringify(t.score)} is not a number; dropped`);
    const metadata = (Array.isArray(t.metadata) ? t.metadata : []).flatMap((m) =>
      isObject(m) && str(m.name) && str(m.value)
        ? [{ name: str(m.name) as string, value: str(m.value) as string }]
        : [],
    );
    const links = (Array.isArray(t.links) ? t.links : []).flatMap((l) =>
      isObject(l) && str(l.label) && /^https?:\/\//.test(str(l.url) ?? '')
        ? [{ label: str(l.label) as string, url: str(l.url) as string }]
        : [],
    );
    items.push({
      position,
      techniqueId,
      tactic: str(t.tactic)?.trim() || null,
      score,
      color: colorOf(t.color, (m) => warn('COLOR_INVALID', m)),
      comment: (str(t.comment) ?? '').slice(0, 2000),
      enabled: t.enabled !== false,
      metadata,
      links,
    });
  }
  return {
    name: name.slice(0, 200),
    description: (str(raw.description) ?? '').slice(0, 4000),
    domain,
    layerVersion,
    attackVersion,
    gradient: { min, max },
    items,
    warnings,
  };
}

/** A file's bytes → its layers. Throws `LayerFileError` naming what is wrong. */
export function parseLayerFile(bytes: Buffer): ParsedLayer[] {
  if (bytes.length > LIMITS.bytes)
    throw new LayerFileError(`the file is ${bytes.length} bytes; at most ${LIMITS.bytes} (10 MB)`, 'file');
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new LayerFileError(`the file is not JSON (${(err as Error).message})`, 'file');
  }
  const many = Array.isArray(json);
  const list = many ? (json as unknown[]) : [json];
  if (list.length === 0) throw new LayerFileError('the file holds an empty list: no layer', 'file');
  if (list.length > LIMITS.layers)
    throw new LayerFileError(`the file holds ${list.length} layers; at most ${LIMITS.layers}`, 'file');
  return list.map((raw, i) => parseLayer(raw, i, many));
}

/** normalisedScore = clamp((score − min) / (max − min) × 100, 0, 100) (spec §3.4 step 5). */
export const normalise = (score: number, min: number, max: number): number =>
  Math.min(100, Math.max(0, ((score - min) * 100) / (max - min)));
