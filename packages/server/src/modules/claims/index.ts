/** ATT&CK Navigator layers imported as claimed coverage (analysis spec §3.4): never tests, coverage or scores. */
export { claimMarks } from './claims.queries';
export { claimsRoutes } from './claims.routes';
export { type ClaimsService, createClaimsService, reresolveClaims } from './claims.service';
