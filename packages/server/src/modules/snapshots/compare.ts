import type { Classification, ComparedTechnique } from '@aegis/contracts';
import { type CoverageLevel, coverageRank, isTested } from '../analysis';
import type { ComparedRow } from './snapshots.queries';

/**
 * The comparison of two sets of technique rows (analysis spec §4.4), joined by STIX id: the join key
 * across ATT&CK releases. Pure: the rows come from two statements; this walks them once.
 *
 *   added        absent in `from` (new in the newer release)
 *   removed      absent in `to` and not revoked into a technique `to` holds (deprecated)
 *   moved        absent in `to`, revoked into one it holds: compared with that replacement
 *   regressed    rank fell, or same rank and Δ ≤ −threshold (and Δ < 0)
 *   improved     rank rose, or same rank and Δ ≥ +threshold (and Δ > 0)
 *   newly_tested same rank, |Δ| < threshold, untested → tested
 *   unchanged    otherwise
 */
export function classify(
  from: ComparedRow | null,
  to: ComparedRow | null,
  threshold: number,
): { classification: Classification; delta: number | null } {
  if (!from) return { classification: 'added', delta: null };
  if (!to) return { classification: 'removed', delta: null };
  const delta =
    from.aggregate_score === null || to.aggregate_score === null
      ? null
      : to.aggregate_score - from.aggregate_score;
  const rankFrom = coverageRank(from.status as CoverageLevel);
  const rankTo = coverageRank(to.status as CoverageLevel);
  const d = delta ?? 0;
  if (rankTo < rankFrom || (rankTo === rankFrom && d < 0 && d <= -threshold))
    return { classification: 'regressed', delta };
  if (rankTo > rankFrom || (rankTo === rankFrom && d > 0 && d >= threshold))
    return { classification: 'improved', delta };
  if (!isTested(from.status as CoverageLevel) && isTested(to.status as CoverageLevel))
    return { classification: 'newly_tested', delta };
  return { classification: 'unchanged', delta };
}

const side = (r: ComparedRow): NonNullable<ComparedTechnique['from']> => ({
  attackId: r.attack_id,
  name: r.name,
  status: r.status as NonNullable<ComparedTechnique['from']>['status'],
  inScope: r.in_scope,
  score: r.aggregate_score === null ? null : Number(r.aggregate_score),
  components: {
    tests: num(r.c_tests),
    rules: num(r.c_rules),
    d3fend: num(r.c_d3fend),
    freshness: num(r.c_fresh),
    platform: num(r.c_platform),
  },
});
const num = (v: number | string | null) => (v === null ? null : Number(v));

/**
 * Every technique of either end, classified. `revokedInto` maps a revoked STIX id to the live one
 * its revocation chain ends at (the current knowledge base's). Sorted by classification, then ATT&CK id.
 */
export function compareRows(
  fromRows: readonly ComparedRow[],
  toRows: readonly ComparedRow[],
  revokedInto: ReadonlyMap<string, string>,
  threshold: number,
): ComparedTechnique[] {
  const norm = (r: ComparedRow): ComparedRow => ({
    ...r,
    aggregate_score: r.aggregate_score === null ? null : Number(r.aggregate_score),
  });
  const to = new Map(toRows.map((r) => [r.stix_id, norm(r)]));
  const from = new Map(fromRows.map((r) => [r.stix_id, norm(r)]));
  const out: ComparedTechnique[] = [];
  const entry = (
    head: ComparedRow,
    a: ComparedRow | null,
    b: ComparedRow | null,
    classification: Classification,
    delta: number | null,
    movedTo: ComparedRow | null = null,
  ): ComparedTechnique => ({
    stixId: head.stix_id,
    attackId: head.attack_id,
    name: head.name,
    tactics: head.tactics,
    isSubtechnique: head.is_subtechnique,
    classification,
    movedTo: movedTo ? { stixId: movedTo.stix_id, attackId: movedTo.attack_id, name: movedTo.name } : null,
    from: a ? side(a) : null,
    to: b ? side(b) : null,
    delta,
  });
  for (const a of from.values()) {
    const b = to.get(a.stix_id) ?? null;
    if (b) {
      const c = classify(a, b, threshold);
      out.push(entry(b, a, b, c.classification, c.delta));
      continue;
    }
    const target = revokedInto.get(a.stix_id);
    const replacement = target ? (to.get(target) ?? null) : null;
    if (replacement) {
      const delta =
        a.aggregate_score === null || replacement.aggregate_score === null
          ? null
          : replacement.aggregate_score - a.aggregate_score;
      out.push(entry(a, a, replacement, 'moved', delta, replacement));
    } else out.push(entry(a, a, null, 'removed', null));
  }
  for (const b of to.values()) if (!from.has(b.stix_id)) out.push(entry(b, null, b, 'added', null));
  const order: Record<Classification, number> = {
    regressed: 0,
    improved: 1,
    newly_tested: 2,
    moved: 3,
    added: 4,
    removed: 5,
    unchanged: 6,
  };
  return out.sort(
    (x, y) =>
      order[x.classification] - order[y.classification] ||
      (x.attackId ?? '').localeCompare(y.attackId ?? '', 'en', { numeric: true }),
  );
}
