export {
  generateSyntheticOrg,
  SYNTHETIC_PASSWORD,
  type SyntheticOrgOptions,
  type SyntheticOrgResult,
  usersFor,
} from './synthetic-org';
export { contentHash as syntheticContentHash } from './synthetic-org.queries';
