import type { CampaignSummary } from '@aegis/contracts';
import type { Column } from '../../../components/DataTable';
import { KnowledgeListPage } from '../../threat-actors/components/KnowledgeListPage';
import { KnowledgeLink } from '../../threat-actors/components/RelatedList';
import { useIntrusions } from '../api';
import { SeenDate } from '../components/SeenDate';

const columns: Column<CampaignSummary>[] = [
  { header: 'Campaign', cell: (c) => <KnowledgeLink kind="campaign" item={c} /> },
  {
    header: 'First seen',
    className: 'whitespace-nowrap text-slate-600',
    cell: (c) => <SeenDate value={c.firstSeen} />,
  },
  {
    header: 'Last seen',
    className: 'whitespace-nowrap text-slate-600',
    cell: (c) => <SeenDate value={c.lastSeen} />,
  },
  { header: 'Techniques', className: 'text-right tabular-nums', cell: (c) => c.techniqueCount },
];

export function IntrusionsPage() {
  return (
    <KnowledgeListPage
      title="Intrusion campaigns"
      intro="Real intrusions that ATT&CK documents (its “campaigns”): when they were seen, the techniques used and the groups they are attributed to."
      searchPlaceholder="Name, alias or ATT&CK id (C0024)"
      useList={useIntrusions}
      columns={columns}
      rowTestId="intrusion-row"
      noun={{ one: 'intrusion campaign', many: 'intrusion campaigns' }}
    />
  );
}
