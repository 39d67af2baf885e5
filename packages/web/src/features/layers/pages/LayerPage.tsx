import type { ClaimedLayerDetail } from '@aegis/contracts';
import { ROLE_GROUPS } from '@aegis/contracts/roles';
import { Link, useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { useId, useState } from 'react';
import { hasRole, useUser } from '../../../app/auth';
import { PageHeader } from '../../../components/Feedback';
import { QueryView } from '../../../components/QueryView';
import { inputClass } from '../../../components/SearchField';
import { Card } from '../../test-cases/components/ui';
import { useLayer } from '../api';
import { CountsList } from '../components/CountsList';
import { ItemTable } from '../components/ItemTable';
import { LayerActions } from '../components/LayerActions';
import { LayerMeta } from '../components/LayerMeta';
import { MatrixLinks } from '../components/MatrixLinks';
import { WarningGroups } from '../components/WarningGroups';
import { fileText, filterItems, RESOLUTION_LABELS } from '../format';
import { type LayerSearch, parseLayerSearch, RESOLUTIONS } from '../search';

/** One imported layer: how it was read, its counts, its warnings by code and every entry (filterable). */
export function LayerPage() {
  const { id } = useParams({ from: '/app/layers/$id' });
  const layer = useLayer(id);
  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-4">
      <Link to="/layers" className="text-sm text-sky-700 hover:underline">
        ← Claimed layers
      </Link>
      <QueryView query={layer} loading="Loading the layer…" failed="The layer could not be loaded.">
        {(data) => <LayerContent layer={data} />}
      </QueryView>
    </div>
  );
}

function LayerContent({ layer }: { layer: ClaimedLayerDetail }) {
  const user = useUser();
  const navigate = useNavigate({ from: '/layers/$id' });
  const search = useSearch({ from: '/app/layers/$id' });
  const [status, setStatus] = useState('');
  const filterId = useId();
  const items = filterItems(layer.items, search);
  const onFilter = (change: Partial<LayerSearch>) =>
    void navigate({ search: parseLayerSearch({ ...search, ...change }), replace: true });

  return (
    <>
      <PageHeader title={fileText(layer.name)}>
        {hasRole(user, ROLE_GROUPS.leads) && layer.id && (
          <LayerActions
            layer={layer}
            onDone={(message, deleted) =>
              deleted ? void navigate({ to: '/layers', search: {} }) : setStatus(message)
            }
          />
        )}
      </PageHeader>
      <p role="status" className="text-sm text-slate-700 empty:hidden">
        {status}
      </p>
      {layer.id && <MatrixLinks id={layer.id} name={layer.name} />}
      <Card title="Layer" labelId="layer-meta-title">
        <div className="flex flex-col gap-3">
          <LayerMeta layer={layer} full />
          <CountsList counts={layer.counts} testId="layer-counts" />
        </div>
      </Card>
      <Card title={`Warnings (${layer.warnings.length})`} labelId="layer-warnings-title">
        <WarningGroups layer={layer} />
      </Card>
      <Card title={`Entries (${items.length} of ${layer.items.length})`} labelId="layer-items-title">
        <div className="flex flex-col gap-3">
          <fieldset className="flex flex-wrap gap-4">
            <legend className="sr-only">Filter the entries</legend>
            <div className="flex w-56 flex-col gap-1">
              <label htmlFor={`${filterId}-resolution`} className="text-sm font-medium text-slate-700">
                Resolution
              </label>
              <select
                id={`${filterId}-resolution`}
                className={inputClass}
                value={search.resolution ?? ''}
                onChange={(e) =>
                  onFilter({ resolution: (e.target.value || undefined) as LayerSearch['resolution'] })
                }
              >
                <option value="">Any</option>
                {RESOLUTIONS.map((r) => (
                  <option key={r} value={r}>
                    {RESOLUTION_LABELS[r]}
                  </option>
                ))}
              </select>
            </div>
            <div className="flex w-56 flex-col gap-1">
              <label htmlFor={`${filterId}-claimed`} className="text-sm font-medium text-slate-700">
                Claimed
              </label>
              <select
                id={`${filterId}-claimed`}
                className={inputClass}
                value={search.claimed === undefined ? '' : String(search.claimed)}
                onChange={(e) =>
                  onFilter({ claimed: e.target.value === '' ? undefined : e.target.value === 'true' })
                }
              >
                <option value="">Claimed or not</option>
                <option value="true">Claimed</option>
                <option value="false">Not claimed</option>
              </select>
            </div>
          </fieldset>
          {items.length === 0 ? (
            <p className="text-sm text-slate-600">No entry matches these filters.</p>
          ) : (
            <ItemTable items={items} label={`Entries of ${layer.name}`} virtual />
          )}
        </div>
      </Card>
    </>
  );
}
