import { createHash } from 'node:crypto';
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { z } from 'zod';
import type { AdapterError, SourceFile } from '../types';

/**
 * What the template adapters (Atomic Red Team, CALDERA, LOLBAS, GTFOBins) share when they read upstream
 * entries: safe YAML, readable schema errors, content hashes, ATT&CK id checks.
 */

export const ATTACK_ID = /^T\d{4}(\.\d{3})?$/;

/** An ATT&CK technique id as upstream writes it; stray spaces (CALDERA has `' T1564.001'`) are dropped. */
export const attackIdSchema = z
  .string()
  .trim()
  .regex(ATTACK_ID, 'not an ATT&CK technique id (T1234 or T1234.001)');

export type YamlResult = { ok: true; documents: unknown[] } | { ok: false; error: AdapterError };

/**
 * Parses every YAML document of a file with the core schema: plain data only, no tag can construct an
 * object or run code. Aliases are refused unless asked for: none of the entry files use them, and
 * hashing a "billion laughs" document would expand every alias.
 */
export function parseYaml(file: SourceFile, maxAliases = 0): YamlResult {
  try {
    const documents = loadAll(file.content.toString('utf8'), {
      schema: CORE_SCHEMA,
      filename: file.path,
      maxAliases,
    });
    return { ok: true, documents };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, error: { path: file.path, message: `invalid YAML: ${message}` } };
  }
}

/** `atomic_tests.2.executor.name: Invalid input…; …`, prefixed with where the entry sits in the file. */
export function schemaError(path: string, error: z.ZodError, where?: string): AdapterError {
  const issues = error.issues.map((i) => {
    const at = [...(where ? [where] : []), ...i.path.map(String)].join('.');
    return `${at || '(root)'}: ${i.message}`;
  });
  return { path, message: issues.join('; ') };
}

/** JSON with object keys sorted at every level, so the same upstream entry always hashes the same. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => stableJson(v ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export const contentHash = (value: unknown): string =>
  createHash('sha256').update(stableJson(value)).digest('hex');

export const uniqueSorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/** Keeps the first item per `sourceId`: a second one would make re-syncs flip between the two. */
export class SourceIds {
  private readonly seen = new Map<string, string>();

  /** Returns an error for a `sourceId` already taken, else records it. */
  claim(sourceId: string, path: string): AdapterError | null {
    const first = this.seen.get(sourceId);
    if (first !== undefined) return { path, message: `duplicate id ${sourceId} (first in ${first})` };
    this.seen.set(sourceId, path);
    return null;
  }
}

/** The path from a known folder on (`…/atomics/T1003/T1003.yaml` → `atomics/T1003/T1003.yaml`), for URLs. */
export function fromFolder(path: string, folder: string): string {
  const at = path.startsWith(`${folder}/`) ? 0 : path.indexOf(`/${folder}/`) + 1;
  return path.slice(at);
}
