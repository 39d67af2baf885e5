import type { SoftwareSummary } from '@aegis/contracts';
import { useState } from 'react';
import type { Column } from '../../../components/DataTable';
import { type Option, SelectField } from '../../../components/FilterBar';
import { KnowledgeListPage } from '../../threat-actors/components/KnowledgeListPage';
import { KnowledgeLink } from '../../threat-actors/components/RelatedList';
import { kindLabel, useSoftwareList } from '../api';

const columns: Column<SoftwareSummary>[] = [
  { header: 'Software', cell: (s) => <KnowledgeLink kind="software" item={s} /> },
  { header: 'Type', className: 'text-slate-600', cell: (s) => kindLabel[s.kind] },
  { header: 'Platforms', className: 'max-w-xs text-slate-600', cell: (s) => s.platforms.join(', ') || '—' },
  {
    header: 'Aliases',
    className: 'max-w-xs text-slate-600',
    cell: (s) => s.aliases.filter((alias) => alias !== s.name).join(', ') || '—',
  },
  { header: 'Techniques', className: 'text-right tabular-nums', cell: (s) => s.techniqueCount },
];

const kindOptions: Option<'' | SoftwareSummary['kind']>[] = [
  { value: '', label: 'Malware and tools' },
  { value: 'malware', label: 'Malware' },
  { value: 'tool', label: 'Tools' },
];

export function SoftwareListPage() {
  const [kind, setKind] = useState<'' | SoftwareSummary['kind']>('');
  return (
    <KnowledgeListPage
      filters={{
        controls: <SelectField label="Type" value={kind} options={kindOptions} onChange={setKind} />,
        query: { kind: kind || undefined },
      }}
      title="Software"
      intro="Malware and tools that ATT&CK documents, with the techniques they use."
      searchPlaceholder="Name, alias or ATT&CK id (S0002)"
      useList={useSoftwareList}
      columns={columns}
      rowTestId="software-row"
      noun={{ one: 'software', many: 'software' }}
    />
  );
}
