/**
 * The pure half of a catalog sync: which upstream items are new, changed, unchanged or gone, given the
 * rows a source holds now. Keys are upstream ids; a row upstream brought back after a removal counts as
 * updated (it is restored).
 */

export interface Existing {
  key: string;
  contentHash: string;
  removed: boolean;
  unresolvedAttackIds: string[];
}

export interface Incoming {
  key: string;
  contentHash: string;
  unresolvedAttackIds: string[];
}

export interface SyncPlan<T extends Incoming> {
  added: T[];
  updated: T[];
  unchanged: number;
  /** Keys of live rows upstream no longer has. */
  removed: string[];
  /** Items whose key another item of the same run already claimed (first one wins). */
  duplicates: T[];
}

const sameIds = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function planSync<T extends Incoming>(existing: Existing[], incoming: T[]): SyncPlan<T> {
  const current = new Map(existing.map((e) => [e.key, e]));
  const seen = new Set<string>();
  const plan: SyncPlan<T> = { added: [], updated: [], unchanged: 0, removed: [], duplicates: [] };
  for (const item of incoming) {
    if (seen.has(item.key)) {
      plan.duplicates.push(item);
      continue;
    }
    seen.add(item.key);
    const row = current.get(item.key);
    if (!row) plan.added.push(item);
    else if (
      row.removed ||
      row.contentHash !== item.contentHash ||
      // Same upstream text, but the ATT&CK release now knows an id it did not (or the reverse).
      !sameIds(row.unresolvedAttackIds, item.unresolvedAttackIds)
    )
      plan.updated.push(item);
    else plan.unchanged++;
  }
  for (const row of existing) if (!row.removed && !seen.has(row.key)) plan.removed.push(row.key);
  return plan;
}
