/**
 * What every source adapter produces: our shapes, independent of the upstream format. Adapters are
 * pure (files in, items out); the sync service diffs and stores them. Each item carries the
 * upstream id (`sourceId`) that makes re-syncs idempotent and a `contentHash` of the upstream entry.
 */

/** One file of a source tree (from a folder or an archive), path relative to the source root with `/`. */
export interface SourceFile {
  path: string;
  content: Buffer;
}

/** A file that could not be read or did not match the upstream format: reported, then skipped. */
export interface AdapterError {
  path: string;
  message: string;
}

export interface AdapterResult<T> {
  items: T[];
  errors: AdapterError[];
  /** ATT&CK ids referenced by the items, for resolution against the current release. */
  attackIds: string[];
}

export type TemplateSource = 'atomic-red-team' | 'caldera' | 'lolbas' | 'gtfobins' | 'custom';

export interface TestTemplateItem {
  source: TemplateSource;
  /** Stable upstream id: ART auto_generated_guid, CALDERA ability id, `lolbas:<name>:<index>`, `gtfobins:<name>:<function>:<index>`. */
  sourceId: string;
  name: string;
  description: string;
  /** ATT&CK ids as upstream wrote them (`T1059.001`), before revocation resolution. */
  attackIds: string[];
  /** Tactic shortnames when upstream names them (CALDERA, ART index), else empty. */
  tactics: string[];
  platforms: string[];
  /** How to run it: `powershell`, `command_prompt`, `sh`, `bash`, `manual`, … */
  executor: string | null;
  command: string | null;
  cleanupCommand: string | null;
  /** Named inputs with description, type and default (ART input_arguments, CALDERA facts). */
  inputArguments: Array<{ name: string; description: string; type: string; default: string | null }>;
  dependencies: Array<{ description: string; prereqCommand: string | null; getPrereqCommand: string | null }>;
  elevationRequired: boolean;
  /**
   * Every way upstream gives to run it, when there is more than one (CALDERA: one per platform and
   * executor; GTFOBins: one per context such as `suid` with its own command). The first is the one in
   * `executor`/`command`/`cleanupCommand`. Absent when those fields say it all.
   */
  variants?: TemplateVariant[];
  /** Where it came from (file path in the source tree) and upstream URL when known. */
  path: string;
  url: string | null;
  contentHash: string;
}

export interface TemplateVariant {
  /** `windows/powershell`, `linux/sh`; GTFOBins: the context (`sudo`, `suid`, `capabilities`, `unprivileged`). */
  label: string;
  platforms: string[];
  executor: string | null;
  command: string | null;
  cleanupCommand: string | null;
}

export type RuleSource = 'sigma' | 'elastic';

export interface DetectionRuleItem {
  source: RuleSource;
  /** Sigma `id`, Elastic `rule.rule_id`. */
  sourceId: string;
  title: string;
  description: string;
  /** Catalog status: Sigma stable|test|experimental|deprecated|unsupported; Elastic maturity (production|development|deprecated). */
  status: string | null;
  /** informational|low|medium|high|critical (Elastic severity mapped onto the same scale). */
  level: string | null;
  /** Sigma logsource {product, category, service}; Elastic index patterns / integration. */
  logSource: Record<string, string>;
  /** Author attribution (Sigma's licence requires it wherever rules are shown). */
  author: string | null;
  attackIds: string[];
  tags: string[];
  references: string[];
  /** The rule as upstream wrote it (YAML or TOML text). */
  raw: string;
  rawFormat: 'yaml' | 'toml';
  path: string;
  modified: string | null;
  contentHash: string;
}

export interface D3fendTechniqueItem {
  /** Compact ontology IRI (`d3f:AccessModeling`): the key, as D3FEND ids are not unique upstream. */
  iri: string;
  /** D3FEND id, e.g. `D3-AL` (data, not a key: two techniques may share one). */
  d3fendId: string;
  name: string;
  tactic: string | null;
  definition: string;
  /** ATT&CK ids this countermeasure addresses (from the D3FEND ↔ ATT&CK mapping). */
  attackIds: string[];
  contentHash: string;
}

export interface ComplianceControlItem {
  framework: 'nist-800-53-r5' | 'cis-v8';
  /** Control id as the framework writes it: `AC-2`, `CIS 4.1`. */
  controlId: string;
  name: string;
  family: string | null;
  description: string;
  attackIds: string[];
  contentHash: string;
}
