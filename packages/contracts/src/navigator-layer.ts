/**
 * ATT&CK Navigator layer format 4.5 as JSON Schema (draft 2020-12), written from the format's
 * definition (shared/data/navigator/spec/v4.5/layerformat.md) and the Navigator's own deserializer
 * checks (analysis spec §3.1). `NAVIGATOR_EXPORT_SCHEMA` is stricter: what Aegis' own exports must
 * be (§3.5) — a tactic on every entry, #rrggbb colours, scores in [0, 100], metadata and links never
 * empty, absolute http(s) links, layer 4.5 for Navigator ≥ 4.9.0, a real gradient.
 */

const COLOR = '^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$';

const divider = {
  type: 'object',
  required: ['divider'],
  properties: { divider: { type: 'boolean' } },
  additionalProperties: false,
} as const;

const metadataItem = {
  oneOf: [
    {
      type: 'object',
      required: ['name', 'value'],
      properties: { name: { type: 'string', minLength: 1 }, value: { type: 'string', minLength: 1 } },
      additionalProperties: false,
    },
    divider,
  ],
} as const;

const linkItem = {
  oneOf: [
    {
      type: 'object',
      required: ['label', 'url'],
      properties: {
        label: { type: 'string', minLength: 1 },
        url: { type: 'string', pattern: '^https?://' },
      },
      additionalProperties: false,
    },
    divider,
  ],
} as const;

const technique = {
  type: 'object',
  required: ['techniqueID', 'tactic'],
  properties: {
    techniqueID: { type: 'string', pattern: '^T[0-9]{4}(\\.[0-9]{3})?$' },
    tactic: { type: 'string', pattern: '^[a-z]+(-[a-z]+)*$' },
    comment: { type: 'string', maxLength: 500 },
    enabled: { type: 'boolean' },
    score: { type: 'number', minimum: 0, maximum: 100 },
    color: { type: 'string', pattern: COLOR },
    metadata: { type: 'array', items: metadataItem },
    links: { type: 'array', items: linkItem },
    showSubtechniques: { type: 'boolean' },
  },
  additionalProperties: false,
} as const;

/** The stricter schema Aegis' exports are held to (a layer object; an export of several is an array of them). */
export const NAVIGATOR_EXPORT_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://aegis.local/schemas/navigator-layer-4.5-export.json',
  title: 'ATT&CK Navigator layer 4.5, as Aegis exports it',
  type: 'object',
  required: ['name', 'versions', 'domain', 'techniques'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    versions: {
      type: 'object',
      required: ['attack', 'navigator', 'layer'],
      properties: {
        attack: { type: 'string', pattern: '^[0-9]+$' },
        // "Must be at least 4.9.0": 4.9.x, 4.10+, 5+.
        navigator: {
          type: 'string',
          pattern: '^(4\\.(9|[1-9][0-9])|[5-9]|[1-9][0-9]+)\\.[0-9]+(\\.[0-9]+)?$',
        },
        layer: { const: '4.5' },
      },
      additionalProperties: false,
    },
    domain: { enum: ['enterprise-attack', 'mobile-attack', 'ics-attack'] },
    description: { type: 'string' },
    filters: {
      type: 'object',
      properties: {
        platforms: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
      },
      additionalProperties: false,
    },
    sorting: { enum: [0, 1, 2, 3] },
    layout: {
      type: 'object',
      properties: {
        layout: { enum: ['side', 'flat', 'mini'] },
        showID: { type: 'boolean' },
        showName: { type: 'boolean' },
        showAggregateScores: { type: 'boolean' },
        countUnscored: { type: 'boolean' },
        aggregateFunction: { enum: ['average', 'min', 'max', 'sum'] },
        expandedSubtechniques: { enum: ['none', 'annotated', 'all'] },
      },
      additionalProperties: false,
    },
    hideDisabled: { type: 'boolean' },
    techniques: { type: 'array', items: technique },
    gradient: {
      type: 'object',
      required: ['colors', 'minValue', 'maxValue'],
      properties: {
        colors: { type: 'array', minItems: 2, items: { type: 'string', pattern: COLOR } },
        minValue: { type: 'number' },
        maxValue: { type: 'number' },
      },
      additionalProperties: false,
    },
    legendItems: {
      type: 'array',
      items: {
        type: 'object',
        required: ['label', 'color'],
        properties: { label: { type: 'string', minLength: 1 }, color: { type: 'string', pattern: COLOR } },
        additionalProperties: false,
      },
    },
    showTacticRowBackground: { type: 'boolean' },
    tacticRowBackground: { type: 'string', pattern: COLOR },
    selectTechniquesAcrossTactics: { type: 'boolean' },
    selectSubtechniquesWithParent: { type: 'boolean' },
    selectVisibleTechniques: { type: 'boolean' },
    metadata: { type: 'array', items: metadataItem },
    links: { type: 'array', items: linkItem },
  },
  // The Navigator's "maxValue must be > minValue" is checked beside the schema (JSON Schema cannot compare fields).
  additionalProperties: false,
} as const;

/** A layer as the Navigator writes it (the fields Aegis reads and writes; import parses with its own checks). */
export type NavigatorLayer = {
  name: string;
  versions: { attack: string; navigator: string; layer: string };
  domain: 'enterprise-attack' | 'mobile-attack' | 'ics-attack';
  description: string;
  filters: { platforms: string[] };
  sorting: 0 | 1 | 2 | 3;
  layout: {
    layout: 'side' | 'flat' | 'mini';
    showID: boolean;
    showName: boolean;
    showAggregateScores: boolean;
    countUnscored: boolean;
    aggregateFunction: 'average' | 'min' | 'max' | 'sum';
    expandedSubtechniques: 'none' | 'annotated' | 'all';
  };
  hideDisabled: boolean;
  techniques: Array<{
    techniqueID: string;
    tactic: string;
    score?: number;
    color?: string;
    comment?: string;
    enabled: boolean;
    metadata: Array<{ name: string; value: string } | { divider: true }>;
    links: Array<{ label: string; url: string }>;
    showSubtechniques?: boolean;
  }>;
  gradient: { colors: string[]; minValue: number; maxValue: number };
  legendItems: Array<{ label: string; color: string }>;
  showTacticRowBackground: boolean;
  tacticRowBackground: string;
  selectTechniquesAcrossTactics: boolean;
  selectSubtechniquesWithParent: boolean;
  selectVisibleTechniques: boolean;
  metadata: Array<{ name: string; value: string } | { divider: true }>;
  links: Array<{ label: string; url: string }>;
};
