import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AdapterError, AdapterResult, D3fendTechniqueItem, SourceFile } from '../types';

/**
 * MITRE D3FEND (https://d3fend.mitre.org, MIT), as published on the d3fend/d3fend gh-pages site (0.14.0).
 * Of the site's files, two are read:
 * - `matrix.json`: the only file with every technique together with its tactic and definition (tactic →
 *   technique → sub-techniques, any depth). `d3fend.csv` lacks the whole Restore tactic and
 *   `technique-all.json` has ids and labels only, so neither is needed.
 * - `attack/T*.json` (packed upstream-side as `offensive-technique-attack.tar.gz`): one SPARQL result per
 *   ATT&CK technique, each binding pairing that technique (`off_tech_id`) with a countermeasure (`def_tech`,
 *   an ontology IRI) through a shared digital artifact. This is the ATT&CK ↔ D3FEND mapping.
 * `attack-mitigations.json` relates ATT&CK *mitigations* (M-ids), not techniques, so it is not used;
 * `offensive-technique-all.json` only lists the ATT&CK techniques D3FEND knows.
 */

const ATTACK_ID = /^T\d{4}(\.\d{3})?$/;
const MATRIX_FILE = /(^|\/)matrix\.json$/;
const ATTACK_FILE = /(^|\/)attack\/[^/]+\.json$/;
const ONTOLOGY_PREFIX = 'http://d3fend.mitre.org/ontologies/d3fend.owl#';

const tacticSchema = z.object({
  '@id': z.string(),
  'rdfs:label': z.string(),
  children: z.array(z.unknown()).default([]),
});

const techniqueSchema = z.object({
  '@id': z.string(),
  'd3f:d3fend-id': z.string().regex(/^D3-[A-Z0-9]+$/),
  'rdfs:label': z.string().min(1),
  // JSON-LD: a property with two values becomes an array (Passive Certificate Analysis has two definitions).
  'd3f:definition': z.union([z.string(), z.array(z.string())]).optional(),
  children: z.array(z.unknown()).default([]),
});

const sparqlTermSchema = z.object({ value: z.string() });
const offensiveFileSchema = z.object({
  off_to_def: z.object({
    results: z.object({
      bindings: z.array(
        // Bindings without `def_tech` list the technique's artifacts that no countermeasure touches.
        z.object({ off_tech_id: sparqlTermSchema, def_tech: sparqlTermSchema.optional() }),
      ),
    }),
  }),
});

const issuesOf = (error: z.ZodError) =>
  error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');

interface MatrixTechnique {
  node: z.infer<typeof techniqueSchema>;
  tactic: string;
}

/** Walks the matrix tree; a malformed node is reported and its subtree skipped, the rest continues. */
function readMatrix(file: SourceFile, errors: AdapterError[]): MatrixTechnique[] {
  let tree: unknown;
  try {
    tree = JSON.parse(file.content.toString('utf8'));
  } catch (err) {
    errors.push({ path: file.path, message: `invalid JSON: ${(err as Error).message}` });
    return [];
  }
  if (!Array.isArray(tree)) {
    errors.push({ path: file.path, message: 'expected an array of tactics' });
    return [];
  }

  const found: MatrixTechnique[] = [];
  const visit = (children: unknown[], tactic: string, at: string) => {
    children.forEach((child, i) => {
      const parsed = techniqueSchema.safeParse(child);
      if (!parsed.success) {
        errors.push({ path: `${file.path}#${at}/${i}`, message: issuesOf(parsed.error) });
        return;
      }
      found.push({ node: parsed.data, tactic });
      visit(parsed.data.children, tactic, `${at}/${i}/children`);
    });
  };
  tree.forEach((entry, i) => {
    const parsed = tacticSchema.safeParse(entry);
    if (!parsed.success) {
      errors.push({ path: `${file.path}#/${i}`, message: issuesOf(parsed.error) });
      return;
    }
    visit(parsed.data.children, parsed.data['rdfs:label'], `/${i}/children`);
  });
  return found;
}

/** ATT&CK ids per countermeasure IRI (`d3f:ProcessTermination`), from the per-technique API answers. */
function readAttackMappings(files: SourceFile[], errors: AdapterError[]): Map<string, Set<string>> {
  const byIri = new Map<string, Set<string>>();
  for (const file of files) {
    let parsed: z.infer<typeof offensiveFileSchema>;
    try {
      const result = offensiveFileSchema.safeParse(JSON.parse(file.content.toString('utf8')));
      if (!result.success) {
        errors.push({ path: file.path, message: issuesOf(result.error) });
        continue;
      }
      parsed = result.data;
    } catch (err) {
      errors.push({ path: file.path, message: `invalid JSON: ${(err as Error).message}` });
      continue;
    }

    const bad = new Set<string>();
    const pairs: Array<[string, string]> = [];
    for (const binding of parsed.off_to_def.results.bindings) {
      const attackId = binding.off_tech_id.value;
      if (!ATTACK_ID.test(attackId)) bad.add(attackId);
      else if (binding.def_tech) pairs.push([compactIri(binding.def_tech.value), attackId]);
    }
    if (bad.size > 0) {
      errors.push({ path: file.path, message: `not ATT&CK technique ids: ${[...bad].join(', ')}` });
      continue;
    }
    for (const [iri, attackId] of pairs) {
      const ids = byIri.get(iri) ?? new Set<string>();
      ids.add(attackId);
      byIri.set(iri, ids);
    }
  }
  return byIri;
}

const compactIri = (iri: string) =>
  iri.startsWith(ONTOLOGY_PREFIX) ? `d3f:${iri.slice(ONTOLOGY_PREFIX.length)}` : iri;

export function parseD3fend(files: SourceFile[]): AdapterResult<D3fendTechniqueItem> {
  const errors: AdapterError[] = [];
  const matrixFile = files.find((f) => MATRIX_FILE.test(f.path));
  if (!matrixFile) {
    return {
      items: [],
      errors: [{ path: 'matrix.json', message: 'missing from the source' }],
      attackIds: [],
    };
  }
  const techniques = readMatrix(matrixFile, errors);

  const attackFiles = files.filter((f) => ATTACK_FILE.test(f.path));
  if (attackFiles.length === 0) {
    // Techniques without their mapping would look like "no ATT&CK coverage"; say why instead.
    errors.push({ path: 'attack/', message: 'no ATT&CK mapping files (attack/T*.json) in the source' });
  }
  const mappings = readAttackMappings(attackFiles, errors);

  const items: D3fendTechniqueItem[] = [];
  const seen = new Set<string>();
  for (const { node, tactic } of techniques) {
    const d3fendId = node['d3f:d3fend-id'];
    const iri = node['@id'];
    // The IRI is the key: D3FEND ids are not unique (0.14.0 gives D3-RC to both Restore Configuration
    // and Reissue Credential), so both are kept, each with its own mappings.
    if (seen.has(iri)) {
      errors.push({ path: `${matrixFile.path}#${iri}`, message: `${iri} is listed twice, skipped` });
      continue;
    }
    seen.add(iri);

    const definitions = node['d3f:definition'] ?? [];
    const attackIds = [...(mappings.get(iri) ?? [])].sort();
    items.push({
      iri,
      d3fendId,
      name: node['rdfs:label'],
      tactic,
      definition: (typeof definitions === 'string' ? [definitions] : definitions).join('\n\n'),
      attackIds,
      contentHash: createHash('sha256')
        .update(JSON.stringify({ iri, d3fendId, label: node['rdfs:label'], definitions, tactic, attackIds }))
        .digest('hex'),
    });
  }

  const known = new Set(techniques.map((t) => t.node['@id']));
  const unknown = [...mappings.keys()].filter((iri) => !known.has(iri));
  if (unknown.length > 0) {
    errors.push({
      path: 'attack/',
      message: `mapped countermeasures missing from matrix.json: ${unknown.join(', ')}`,
    });
  }

  return { items, errors, attackIds: [...new Set(items.flatMap((i) => i.attackIds))].sort() };
}
