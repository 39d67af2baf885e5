import type {
  AdapterResult,
  ComplianceControlItem,
  D3fendTechniqueItem,
  DetectionRuleItem,
  SourceFile,
  TestTemplateItem,
} from '../sources';
import {
  parseAtomicRedTeam,
  parseCaldera,
  parseCisV8,
  parseD3fend,
  parseElastic,
  parseGtfobins,
  parseLolbas,
  parseNist80053,
  parseSigma,
} from '../sources';

/** What an adapter yields, tagged by the table it fills. */
export type AdapterOutput =
  | { kind: 'templates'; result: AdapterResult<TestTemplateItem> }
  | { kind: 'rules'; result: AdapterResult<DetectionRuleItem> }
  | { kind: 'd3fend'; result: AdapterResult<D3fendTechniqueItem> }
  | { kind: 'compliance'; result: AdapterResult<ComplianceControlItem> };

export interface SourceDefinition {
  key: string;
  name: string;
  kind: AdapterOutput['kind'];
  adapter: string;
  /** Public archive of the upstream repository (GitHub codeload, so one request, no API token). */
  url: string;
  /** Files worth keeping in memory; everything else in a repository snapshot is skipped unread. */
  include: (path: string) => boolean;
  /**
   * The folder of a whole-repository archive that holds this source (SigmaHQ ships three rule sets in
   * one repository). Archives that hold only that folder (or are already stripped of it) are used as they are.
   */
  subtree?: string;
  /** Archives inside a folder source to read as part of it (D3FEND ships its ATT&CK mapping packed). */
  nested?: (path: string) => boolean;
}

const codeload = (repo: string, branch: string) =>
  `https://codeload.github.com/${repo}/tar.gz/refs/heads/${branch}`;
const yaml = (p: string) => /\.ya?ml$/i.test(p);

const ADAPTERS: Record<string, (files: SourceFile[]) => AdapterOutput> = {
  'atomic-red-team': (f) => ({ kind: 'templates', result: parseAtomicRedTeam(f) }),
  caldera: (f) => ({ kind: 'templates', result: parseCaldera(f) }),
  lolbas: (f) => ({ kind: 'templates', result: parseLolbas(f) }),
  gtfobins: (f) => ({ kind: 'templates', result: parseGtfobins(f) }),
  sigma: (f) => ({ kind: 'rules', result: parseSigma(f) }),
  elastic: (f) => ({ kind: 'rules', result: parseElastic(f) }),
  d3fend: (f) => ({ kind: 'd3fend', result: parseD3fend(f) }),
  'nist-800-53': (f) => ({ kind: 'compliance', result: parseNist80053(f) }),
  'cis-v8': (f) => ({ kind: 'compliance', result: parseCisV8(f) }),
};

export function runAdapter(adapter: string, files: SourceFile[]): AdapterOutput {
  const run = ADAPTERS[adapter];
  if (!run) throw new Error(`no adapter named ${adapter}`);
  return run(files);
}

/** The sources every installation starts with (seeded enabled, unscheduled: air-gapped installs sync by hand). */
export const SOURCE_DEFINITIONS: readonly SourceDefinition[] = [
  {
    key: 'atomic-red-team',
    name: 'Atomic Red Team',
    kind: 'templates',
    adapter: 'atomic-red-team',
    url: codeload('redcanaryco/atomic-red-team', 'master'),
    include: (p) => /(^|\/)atomics\/T[^/]+\/T[^/]+\.ya?ml$/.test(p) || /(^|\/)index\.csv$/.test(p),
  },
  {
    key: 'caldera',
    name: 'MITRE CALDERA abilities',
    kind: 'templates',
    adapter: 'caldera',
    url: codeload('mitre/stockpile', 'master'),
    include: (p) => /(^|\/)abilities\//.test(p) && yaml(p),
  },
  {
    key: 'lolbas',
    name: 'LOLBAS',
    kind: 'templates',
    adapter: 'lolbas',
    url: codeload('LOLBAS-Project/LOLBAS', 'master'),
    include: (p) => /(^|\/)yml\//.test(p) && yaml(p),
  },
  {
    key: 'gtfobins',
    name: 'GTFOBins',
    kind: 'templates',
    adapter: 'gtfobins',
    url: codeload('GTFOBins/GTFOBins.github.io', 'master'),
    include: (p) => /(^|\/)(_gtfobins|_data)\//.test(p),
  },
  ...(
    [
      ['sigma', 'Sigma rules (core)', 'rules'],
      ['sigma-emerging-threats', 'Sigma rules (emerging threats)', 'rules-emerging-threats'],
      ['sigma-threat-hunting', 'Sigma rules (threat hunting)', 'rules-threat-hunting'],
    ] as const
  ).map(
    ([key, name, subtree]): SourceDefinition => ({
      key,
      name,
      kind: 'rules',
      adapter: 'sigma',
      url: codeload('SigmaHQ/sigma', 'master'),
      include: yaml,
      subtree,
    }),
  ),
  {
    key: 'elastic',
    name: 'Elastic detection rules',
    kind: 'rules',
    adapter: 'elastic',
    url: codeload('elastic/detection-rules', 'main'),
    // `rules_building_block/` beside `rules/` holds building blocks, not rules.
    include: (p) => /(^|\/)rules\/.*\.toml$/.test(p),
  },
  {
    key: 'd3fend',
    name: 'MITRE D3FEND',
    kind: 'd3fend',
    adapter: 'd3fend',
    url: codeload('d3fend/d3fend', 'gh-pages'),
    include: (p) => /(^|\/)matrix\.json$/.test(p) || /(^|\/)attack\/T[^/]+\.json$/.test(p),
    nested: (p) => /(^|\/)offensive-technique-attack\.tar\.gz$/.test(p),
  },
  {
    key: 'nist-800-53-r5',
    name: 'NIST SP 800-53 Rev. 5 (Mappings Explorer)',
    kind: 'compliance',
    adapter: 'nist-800-53',
    url: codeload('center-for-threat-informed-defense/mappings-explorer', 'main'),
    include: (p) => /(^|\/)nist_800_53-rev5[^/]*enterprise[^/]*\.json$/.test(p),
  },
  {
    key: 'cis-v8',
    name: 'CIS Controls v8 (CTID Top ATT&CK Techniques)',
    kind: 'compliance',
    adapter: 'cis-v8',
    url: codeload('center-for-threat-informed-defense/top-attack-techniques', 'main'),
    include: (p) => /(^|\/)([^/]*-)?Techniques\.json$/.test(p),
  },
];

/** A seeded source's definition; a source added by hand borrows the file filter of its adapter's first source. */
export function definitionOf(source: { key: string; adapter: string }): SourceDefinition | undefined {
  return (
    SOURCE_DEFINITIONS.find((s) => s.key === source.key) ??
    SOURCE_DEFINITIONS.find((s) => s.adapter === source.adapter)
  );
}
