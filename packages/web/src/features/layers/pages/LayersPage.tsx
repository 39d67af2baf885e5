import { ROLE_GROUPS } from '@aegis/contracts/roles';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { hasRole, useUser } from '../../../app/auth';
import { PageHeader } from '../../../components/Feedback';
import { Card } from '../../test-cases/components/ui';
import { ImportLayerForm } from '../components/ImportLayerForm';
import { LayerTable } from '../components/LayerTable';

/**
 * Navigator layers imported as claimed coverage (analysis spec §3.4): what someone says is covered,
 * kept apart from what tests validated. Everyone reads the list; leads and admins import (a preview
 * first), re-resolve and delete.
 */
export function LayersPage() {
  const user = useUser();
  const canManage = hasRole(user, ROLE_GROUPS.leads);
  const search = useSearch({ from: '/app/layers' });
  const navigate = useNavigate({ from: '/layers' });
  const [status, setStatus] = useState('');
  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-4">
      <PageHeader title="Claimed layers" />
      <p className="-mt-2 text-sm text-slate-600">
        A claimed layer is an ATT&CK Navigator layer someone made of what they say is covered. Aegis reads
        each entry against the ATT&CK release loaded here — revoked ids followed to what replaced them,
        deprecated and unknown ids kept aside — and shows the claims on the matrix beside what tests
        validated. Claims never change tests, coverage or scores.
      </p>
      {canManage && (
        <Card title="Import a layer file" labelId="import-title">
          <ImportLayerForm />
        </Card>
      )}
      <Card title="Imported layers" labelId="layers-title">
        <div className="flex flex-col gap-2">
          <p role="status" data-testid="layers-status" className="text-sm text-slate-700 empty:hidden">
            {status}
          </p>
          <LayerTable
            page={search.page ?? 1}
            onPage={(page) => void navigate({ search: page ? { page } : {}, replace: true })}
            canManage={canManage}
            onDone={setStatus}
          />
        </div>
      </Card>
    </div>
  );
}
