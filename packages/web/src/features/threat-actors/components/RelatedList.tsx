import type { AttackRef } from '@aegis/contracts';
import { Link } from '@tanstack/react-router';
import { Card } from '../../test-cases/components/ui';

const pages = {
  group: '/threat-actors/$id',
  software: '/software/$id',
  campaign: '/intrusions/$id',
} as const;
export type KnowledgeKind = keyof typeof pages;

/** An ATT&CK id, then the name as a link to the object's page. */
export function KnowledgeLink({ kind, item }: { kind: KnowledgeKind; item: AttackRef }) {
  return (
    <>
      <span className="inline-block w-14 shrink-0 font-mono text-xs text-slate-500">{item.attackId}</span>
      <Link
        to={pages[kind]}
        params={{ id: item.attackId ?? item.id }}
        className="min-w-0 font-medium text-sky-700 hover:underline"
      >
        {item.name}
      </Link>
    </>
  );
}

/** A card listing related groups, software or intrusion campaigns, each a link to its page. */
export function RelatedList({
  title,
  items,
  kind,
  empty,
}: {
  title: string;
  items: readonly AttackRef[];
  kind: KnowledgeKind;
  empty: string;
}) {
  return (
    <Card title={`${title} (${items.length})`}>
      {items.length === 0 ? (
        <p className="text-sm text-slate-500">{empty}</p>
      ) : (
        <ul className="flex max-h-72 flex-col gap-1 overflow-auto text-sm" data-testid={`related-${kind}`}>
          {items.map((item) => (
            <li key={item.id} className="flex items-baseline gap-2">
              <KnowledgeLink kind={kind} item={item} />
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
