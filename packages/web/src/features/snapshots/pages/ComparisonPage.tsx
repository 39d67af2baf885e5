import { ROLE_GROUPS } from '@aegis/contracts/roles';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useCallback } from 'react';
import { hasRole, useUser } from '../../../app/auth';
import { ErrorMessage, PageHeader } from '../../../components/Feedback';
import { compact } from '../../catalog/search';
import { Card } from '../../test-cases/components/ui';
import { ComparePanel } from '../components/ComparePanel';
import { ScoreTrend } from '../components/ScoreTrend';
import { SnapshotTable } from '../components/SnapshotTable';
import { TakeSnapshotForm } from '../components/TakeSnapshotForm';
import type { ComparisonSearch } from '../search';

/**
 * Snapshots and their comparison (analysis spec §4), leads and admins: the snapshots kept, taking
 * one, what moved between two of them (or one and now), and the organisation score over time.
 * Recharts comes with this page's chunk only (ADR 24).
 */
export function ComparisonPage() {
  const user = useUser();
  if (!hasRole(user, ROLE_GROUPS.leads))
    return (
      <div className="mx-auto max-w-7xl">
        <PageHeader title="Comparison" />
        <ErrorMessage message="Only leads and admins can open this page." />
      </div>
    );
  return <ComparisonContent canDelete={hasRole(user, ROLE_GROUPS.admins)} />;
}

function ComparisonContent({ canDelete }: { canDelete: boolean }) {
  const search = useSearch({ from: '/app/snapshots' });
  const navigate = useNavigate({ from: '/snapshots' });
  const onSearch = useCallback(
    (change: Partial<ComparisonSearch>) =>
      void navigate({ search: (prev: ComparisonSearch) => compact({ ...prev, ...change }), replace: true }),
    [navigate],
  );
  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-4">
      <PageHeader title="Comparison" />
      <p className="-mt-2 text-sm text-slate-600">
        A snapshot freezes every ATT&CK technique’s coverage and score, the tactic scores and the organisation
        score. Compare two of them, or one with now, to see what improved, what regressed and what moved
        between ATT&CK releases.
      </p>
      <Card title="Snapshots" labelId="snapshots-title">
        <div className="flex flex-col gap-3">
          <TakeSnapshotForm />
          <SnapshotTable
            page={search.page ?? 1}
            onPage={(page) => onSearch({ page })}
            canDelete={canDelete}
            onCompare={(id) => onSearch({ from: id, to: 'now' })}
            empty={
              <>
                <p className="font-medium text-slate-700">No snapshot yet.</p>
                <p className="mt-1">
                  Aegis takes one every day (a scheduled job, at 01:00 in the organisation’s time zone unless
                  the administrator set another time) and one before each ATT&CK upgrade. To compare from
                  today, take one now with “Take snapshot” above.
                </p>
              </>
            }
          />
        </div>
      </Card>
      <Card title="Compare" labelId="compare-title">
        <ComparePanel search={search} onSearch={onSearch} />
      </Card>
      <Card title="Organisation score over time" labelId="trend-title">
        <ScoreTrend />
      </Card>
    </div>
  );
}
