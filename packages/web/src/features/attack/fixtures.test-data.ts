import type { Heatmap, HeatmapCell } from '@aegis/contracts';

let seq = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`;

export function cell(
  attackId: string,
  name: string,
  tactics: string[],
  overrides: Partial<HeatmapCell> = {},
): HeatmapCell {
  return {
    id: uuid(),
    attackId,
    name,
    isSubtechnique: attackId.includes('.'),
    parentId: null,
    tactics,
    platforms: ['Windows'],
    inScope: true,
    coverageStatus: 'untested',
    value: 1,
    category: 'untested',
    label: 'Untested',
    color: '#d9d9d9',
    detail: 'No test yet',
    ...overrides,
  };
}

/** A small matrix: three tactics, OS Credential Dumping with LSASS Memory under it. */
export function sampleHeatmap(): Pick<Heatmap, 'tactics' | 'techniques'> {
  const dumping = cell('T1003', 'OS Credential Dumping', ['credential-access'], {
    color: '#8ec843',
    label: 'Validated',
    detail: '2 validated tests',
  });
  const lsass = cell('T1003.001', 'LSASS Memory', ['credential-access'], { parentId: dumping.id });
  const sam = cell('T1003.002', 'Security Account Manager', ['credential-access'], { parentId: dumping.id });
  return {
    tactics: [
      { shortname: 'initial-access', attackId: 'TA0001', name: 'Initial Access' },
      { shortname: 'execution', attackId: 'TA0002', name: 'Execution' },
      { shortname: 'credential-access', attackId: 'TA0006', name: 'Credential Access' },
    ],
    techniques: [
      cell('T1566', 'Phishing', ['initial-access']),
      cell('T1078', 'Valid Accounts', ['initial-access', 'execution'], {
        inScope: false,
        color: null,
        label: 'Out of scope',
      }),
      cell('T1059', 'Command and Scripting Interpreter', ['execution'], {
        color: null,
        value: null,
        label: 'Empty',
      }),
      cell('T1203', 'Exploitation for Client Execution', ['execution']),
      dumping,
      sam,
      lsass,
      cell('T1110', 'Brute Force', ['credential-access']),
    ],
  };
}
