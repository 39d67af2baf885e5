import type { ThreatActorSummary } from '@aegis/contracts';
import type { Column } from '../../../components/DataTable';
import { useThreatActors } from '../api';
import { KnowledgeListPage } from '../components/KnowledgeListPage';
import { KnowledgeLink } from '../components/RelatedList';
import { ValidatedBar } from '../components/ValidatedBar';

const columns: Column<ThreatActorSummary>[] = [
  { header: 'Group', cell: (a) => <KnowledgeLink kind="group" item={a} /> },
  {
    header: 'Aliases',
    className: 'max-w-md text-slate-600',
    cell: (a) => a.aliases.filter((alias) => alias !== a.name).join(', ') || '—',
  },
  {
    header: 'Validated techniques',
    className: 'w-48',
    cell: (a) => <ValidatedBar validated={a.validatedCount} total={a.techniqueCount} />,
  },
];

export function ThreatActorsPage() {
  return (
    <KnowledgeListPage
      title="Threat actors"
      searchPlaceholder="Name, alias or ATT&CK id (G0016)"
      useList={useThreatActors}
      columns={columns}
      rowTestId="actor-row"
      noun={{ one: 'threat actor', many: 'threat actors' }}
    />
  );
}
