import { ROLE_GROUPS, type Role } from '@aegis/contracts/roles';
import { hasRole } from './auth';

export interface NavItem {
  label: string;
  to: string;
  /** Who sees it; absent = every signed-in user (admins see everything). */
  roles?: readonly Role[];
  children?: NavItem[];
}

/** The sidebar, following the seed's navigation (sections that later slices will add are left out). */
export const navigation: NavItem[] = [
  { label: 'Dashboard', to: '/' },
  { label: 'Metrics', to: '/metrics' },
  { label: 'Executive Dashboard', to: '/executive', roles: ROLE_GROUPS.leads },
  {
    label: 'ATT&CK',
    to: '/matrix',
    children: [
      { label: 'ATT&CK Matrix', to: '/matrix' },
      { label: 'Claimed layers', to: '/layers' },
    ],
  },
  { label: 'Scores', to: '/scores' },
  {
    label: 'Tests',
    to: '/tests',
    children: [
      { label: 'All Tests', to: '/tests' },
      { label: 'My Pending Tasks', to: '/tests/pending', roles: ROLE_GROUPS.workers },
      { label: 'Test Catalog', to: '/catalog' },
      { label: 'Detection Rules', to: '/detection-rules' },
    ],
  },
  {
    label: 'Threat Actors',
    to: '/threat-actors',
    children: [
      { label: 'Groups', to: '/threat-actors' },
      { label: 'Software', to: '/software' },
      { label: 'Intrusion campaigns', to: '/intrusions' },
    ],
  },
  {
    label: 'Compliance',
    to: '/compliance',
    children: [
      { label: 'Controls', to: '/compliance' },
      { label: 'D3FEND defenses', to: '/defenses' },
    ],
  },
  { label: 'Comparison', to: '/snapshots', roles: ROLE_GROUPS.leads },
  {
    label: 'System',
    to: '/system',
    // Leads see the section for the scoring configuration (read-only); the rest is admins'.
    roles: ROLE_GROUPS.leads,
    children: [
      { label: 'Import runs', to: '/system/import-runs', roles: ROLE_GROUPS.admins },
      { label: 'Users', to: '/system/users', roles: ROLE_GROUPS.admins },
      { label: 'Audit log', to: '/system/audit-log', roles: ROLE_GROUPS.admins },
      { label: 'Data sources', to: '/system/data-sources', roles: ROLE_GROUPS.admins },
      { label: 'Status', to: '/system/status', roles: ROLE_GROUPS.admins },
      { label: 'Scoring', to: '/system/scoring', roles: ROLE_GROUPS.leads },
    ],
  },
  { label: 'Notifications', to: '/notifications' },
  { label: 'API tokens', to: '/settings/tokens' },
];

/** The navigation a role may use: hidden items are not rendered at all. */
export function navigationFor(user: { role: Role }, items: NavItem[] = navigation): NavItem[] {
  return items
    .filter((item) => hasRole(user, item.roles))
    .map((item) => (item.children ? { ...item, children: navigationFor(user, item.children) } : item));
}
