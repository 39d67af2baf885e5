import type { Software } from '@aegis/contracts';
import { useParams } from '@tanstack/react-router';
import { QueryView } from '../../../components/QueryView';
import { useGroupCoverage } from '../../coverage/api';
import { CountedNote } from '../../coverage/components/CountedNote';
import { KnowledgeDetail } from '../../threat-actors/components/KnowledgeDetail';
import { RelatedList } from '../../threat-actors/components/RelatedList';
import { TechniqueCoverage } from '../../threat-actors/components/TechniqueCoverage';
import { kindLabel, useSoftware } from '../api';

export function SoftwarePage() {
  const { id } = useParams({ from: '/app/software/$id' });
  return (
    <QueryView
      query={useSoftware(id)}
      loading="Loading the software…"
      failed="The software could not be loaded."
    >
      {(software) => <SoftwareView software={software} />}
    </QueryView>
  );
}

function SoftwareView({ software }: { software: Software }) {
  const coverage = useGroupCoverage('software', software.id);
  return (
    <KnowledgeDetail
      section={{ to: '/software', label: 'Software' }}
      object={software}
      facts={
        <>
          {kindLabel[software.kind]} · {software.platforms.join(', ') || 'no platform listed'}
        </>
      }
      aside={
        <>
          <RelatedList
            title="Groups using it"
            kind="group"
            items={software.groups}
            empty="No group is known to use it."
          />
          <RelatedList
            title="Intrusion campaigns"
            kind="campaign"
            items={software.campaigns}
            empty="No intrusion campaign is known to use it."
          />
        </>
      }
    >
      <TechniqueCoverage
        techniques={software.techniques}
        coverage={coverage.data}
        countsNote={<CountedNote group={coverage} listed={software.techniques.length} />}
        subject="this software"
      />
    </KnowledgeDetail>
  );
}
