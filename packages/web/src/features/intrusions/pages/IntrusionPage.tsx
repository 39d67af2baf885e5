import type { Campaign } from '@aegis/contracts';
import { useParams } from '@tanstack/react-router';
import { QueryView } from '../../../components/QueryView';
import { KnowledgeDetail } from '../../threat-actors/components/KnowledgeDetail';
import { RelatedList } from '../../threat-actors/components/RelatedList';
import { TechniqueCoverage } from '../../threat-actors/components/TechniqueCoverage';
import { useIntrusion } from '../api';
import { SeenDate } from '../components/SeenDate';

export function IntrusionPage() {
  const { id } = useParams({ from: '/app/intrusions/$id' });
  return (
    <QueryView
      query={useIntrusion(id)}
      loading="Loading the intrusion campaign…"
      failed="The intrusion campaign could not be loaded."
    >
      {(campaign) => <IntrusionView campaign={campaign} />}
    </QueryView>
  );
}

function IntrusionView({ campaign }: { campaign: Campaign }) {
  return (
    <KnowledgeDetail
      section={{ to: '/intrusions', label: 'Intrusion campaigns' }}
      object={campaign}
      facts={
        <>
          First seen <SeenDate value={campaign.firstSeen} /> · last seen{' '}
          <SeenDate value={campaign.lastSeen} />
        </>
      }
      aside={
        <>
          <RelatedList
            title="Attributed to"
            kind="group"
            items={campaign.groups}
            empty="ATT&CK attributes it to no group."
          />
          <RelatedList
            title="Software used"
            kind="software"
            items={campaign.software}
            empty="No software is known to have been used."
          />
        </>
      }
    >
      {/* `GET /coverage` has no campaign grouping: the detail's own counts, over all its techniques. */}
      <TechniqueCoverage
        techniques={campaign.techniques}
        coverage={{ counts: campaign.coverage, total: campaign.techniqueCount }}
        subject="this campaign"
      />
    </KnowledgeDetail>
  );
}
