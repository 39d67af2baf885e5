import type { ThreatActor } from '@aegis/contracts';
import { useParams } from '@tanstack/react-router';
import { QueryView } from '../../../components/QueryView';
import { useGroupCoverage } from '../../coverage/api';
import { CountedNote } from '../../coverage/components/CountedNote';
import { ActorScorePanel } from '../../scores/components/ActorScorePanel';
import { useThreatActor } from '../api';
import { KnowledgeDetail } from '../components/KnowledgeDetail';
import { RelatedList } from '../components/RelatedList';
import { TechniqueCoverage } from '../components/TechniqueCoverage';

export function ThreatActorPage() {
  const { id } = useParams({ from: '/app/threat-actors/$id' });
  return (
    <QueryView
      query={useThreatActor(id)}
      loading="Loading the threat actor…"
      failed="The threat actor could not be loaded."
    >
      {(actor) => <ThreatActorView actor={actor} />}
    </QueryView>
  );
}

function ThreatActorView({ actor }: { actor: ThreatActor }) {
  const coverage = useGroupCoverage('actor', actor.id);
  return (
    <KnowledgeDetail
      section={{ to: '/threat-actors', label: 'Threat actors' }}
      object={actor}
      aside={
        <>
          <RelatedList
            title="Software"
            kind="software"
            items={actor.software}
            empty="No software is attributed to this group."
          />
          <RelatedList
            title="Intrusion campaigns"
            kind="campaign"
            items={actor.campaigns}
            empty="No intrusion campaign is attributed to this group."
          />
        </>
      }
    >
      <ActorScorePanel actorId={actor.attackId ?? actor.id} />
      <TechniqueCoverage
        techniques={actor.techniques}
        coverage={coverage.data}
        countsNote={<CountedNote group={coverage} listed={actor.techniques.length} />}
        subject="this group"
        rowTestId="actor-technique"
      />
    </KnowledgeDetail>
  );
}
