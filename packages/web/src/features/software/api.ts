import type { Software, SoftwareSummary } from '@aegis/contracts';
import type { Query } from '../../app/api';
import { useAttackList, useAttackObject } from '../threat-actors/api';

export const kindLabel = { malware: 'Malware', tool: 'Tool' } as const;

export const useSoftwareList = (query: Query) => useAttackList<SoftwareSummary>('/software', query);
export const useSoftware = (id: string) => useAttackObject<Software>('/software', id);
