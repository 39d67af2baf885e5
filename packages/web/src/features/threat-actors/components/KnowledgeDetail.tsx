import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { Markdown } from '../../../components/Markdown';
import { Card } from '../../test-cases/components/ui';

export interface KnowledgeObject {
  attackId: string | null;
  name: string;
  aliases: string[];
  description: string;
  url: string | null;
}

/**
 * The page of a group, a piece of software or an intrusion campaign: breadcrumb back to its list,
 * ATT&CK id, name, aliases, a line of facts, the MITRE link, the description, then the page's own
 * sections (`children`, main column) and related objects (`aside`).
 */
export function KnowledgeDetail({
  section,
  object,
  facts,
  children,
  aside,
}: {
  section: { to: '/threat-actors' | '/software' | '/intrusions'; label: string };
  object: KnowledgeObject;
  facts?: ReactNode;
  children: ReactNode;
  aside: ReactNode;
}) {
  const aliases = object.aliases.filter((a) => a !== object.name);
  return (
    <article className="mx-auto max-w-6xl">
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-500">
        <Link to={section.to} className="text-sky-700 hover:underline">
          {section.label}
        </Link>
      </nav>
      <header className="mb-4 flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="font-mono text-sm text-slate-500">{object.attackId}</p>
          <h1 className="text-2xl font-semibold text-slate-900">{object.name}</h1>
          {aliases.length > 0 && (
            <p className="mt-1 text-sm text-slate-600">
              <span className="text-slate-500">Also known as </span>
              {aliases.join(', ')}
            </p>
          )}
          {facts && <div className="mt-1 text-sm text-slate-600">{facts}</div>}
        </div>
        {object.url && (
          <a
            href={object.url}
            target="_blank"
            rel="noreferrer noopener"
            className="rounded-md border border-slate-300 bg-white px-2 py-1 text-xs text-slate-700 hover:bg-slate-50"
          >
            MITRE page ↗<span className="sr-only"> (opens in a new tab)</span>
          </a>
        )}
      </header>
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="flex min-w-0 flex-col gap-4 lg:col-span-2">
          <Card title="Description">
            {object.description ? (
              <Markdown source={object.description} />
            ) : (
              <p className="text-sm text-slate-500">No description.</p>
            )}
          </Card>
          {children}
        </div>
        <aside className="flex min-w-0 flex-col gap-4">{aside}</aside>
      </div>
    </article>
  );
}
