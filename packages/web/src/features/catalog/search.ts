/**
 * The list pages keep their filters in the URL (`/catalog?technique=T1059.001&platform=windows`), so
 * a filtered list can be linked and survives a reload. These parse what the router hands over: its
 * default parser turns `?active=true` into a boolean and `?q=123` into a number, so every value is
 * read loosely and anything unexpected is dropped rather than failing the page.
 */

/** A trimmed, non-empty string (numbers and booleans as their text), at most `max` characters. */
export function searchText(value: unknown, max = 200): string | undefined {
  const text =
    typeof value === 'string'
      ? value.trim()
      : typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : '';
  return text ? text.slice(0, max) : undefined;
}

/** One of `values`, else nothing. */
export function searchEnum<V extends string>(value: unknown, values: readonly V[]): V | undefined {
  const text = searchText(value, 64);
  return values.find((v) => v === text);
}

/** A 1-based page number; page 1 is left out of the URL. */
export function searchPage(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : Number(searchText(value, 10));
  return Number.isInteger(n) && n > 1 && n < 100_000 ? n : undefined;
}

const ATTACK_ID = /^t\d{4}(\.\d{3})?$/i;

/** An ATT&CK id (`t1059.001` → `T1059.001`) or our technique id, as the list endpoints accept. */
export function searchTechnique(value: unknown): string | undefined {
  const text = searchText(value, 64);
  return text && ATTACK_ID.test(text) ? text.toUpperCase() : text;
}

/** Drops the keys whose value is `undefined` or `''`, so the URL carries only the filters in use. */
export function compact<T extends object>(search: T): T {
  return Object.fromEntries(Object.entries(search).filter(([, v]) => v !== undefined && v !== '')) as T;
}

export interface TemplatesSearch {
  q?: string;
  source?: string;
  platform?: string;
  tactic?: string;
  active?: 'true' | 'false';
  technique?: string;
  page?: number;
}

export function parseTemplatesSearch(search: Record<string, unknown>): TemplatesSearch {
  return compact({
    q: searchText(search.q),
    source: searchText(search.source, 64),
    platform: searchText(search.platform, 64),
    tactic: searchText(search.tactic, 64),
    active: searchEnum(search.active, ['true', 'false'] as const),
    technique: searchTechnique(search.technique),
    page: searchPage(search.page),
  });
}

export interface RulesSearch {
  q?: string;
  source?: string;
  level?: string;
  status?: string;
  deployed?: 'true' | 'false';
  technique?: string;
  page?: number;
}

export function parseRulesSearch(search: Record<string, unknown>): RulesSearch {
  return compact({
    q: searchText(search.q),
    source: searchText(search.source, 64),
    level: searchText(search.level, 32),
    status: searchText(search.status, 32),
    deployed: searchEnum(search.deployed, ['true', 'false'] as const),
    technique: searchTechnique(search.technique),
    page: searchPage(search.page),
  });
}

/** `/catalog/new?from=<template id>` starts the form from a copy of that template. */
export function parseNewTemplateSearch(search: Record<string, unknown>): {
  from?: string;
  technique?: string;
} {
  return compact({ from: searchText(search.from, 64), technique: searchTechnique(search.technique) });
}
