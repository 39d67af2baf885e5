import type { Campaign, CampaignSummary } from '@aegis/contracts';
import type { Query } from '../../app/api';
import { useAttackList, useAttackObject } from '../threat-actors/api';

/**
 * ATT&CK's intrusion campaigns (STIX `campaign` objects, `GET /campaigns`), not the organisation's
 * own assessment campaigns.
 */
export const useIntrusions = (query: Query) => useAttackList<CampaignSummary>('/campaigns', query);
export const useIntrusion = (id: string) => useAttackObject<Campaign>('/campaigns', id);
