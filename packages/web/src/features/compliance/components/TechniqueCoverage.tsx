import type { TechniqueUse } from '@aegis/contracts';
import { Link } from '@tanstack/react-router';
import { CoverageBadge } from '../../../components/coverage';
import { type Column, DataTable } from '../../../components/DataTable';

/** The techniques as a table: ATT&CK id and name linking to the technique, and its coverage. */
export function TechniqueCoverageTable({ techniques }: { techniques: readonly TechniqueUse[] }) {
  const columns: Column<TechniqueUse>[] = [
    {
      header: 'ATT&CK id',
      className: 'w-28 font-mono text-xs',
      cell: (t) => (
        <Link
          to="/techniques/$id"
          params={{ id: t.attackId ?? t.id }}
          className="text-sky-700 hover:underline"
        >
          {t.attackId ?? '—'}
        </Link>
      ),
    },
    { header: 'Technique', cell: (t) => t.name },
    {
      header: 'Coverage',
      className: 'w-36',
      cell: (t) => <CoverageBadge status={t.coverageStatus} />,
    },
  ];
  const rows = [...techniques].sort((a, b) => (a.attackId ?? '').localeCompare(b.attackId ?? ''));
  return <DataTable columns={columns} rows={rows} rowKey={(t) => t.id} rowTestId="technique-row" />;
}
