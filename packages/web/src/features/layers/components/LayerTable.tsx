import type { ClaimedLayerSummary, ListEnvelope } from '@aegis/contracts';
import type { UseQueryResult } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import type { Column } from '../../../components/DataTable';
import { PagedTable } from '../../../components/PagedTable';
import { formatDateTime } from '../../test-cases/components/ui';
import { useLayers } from '../api';
import { COUNT_LABELS, fileText } from '../format';
import { LayerActions } from './LayerActions';
import { MatrixLinks } from './MatrixLinks';

export const LAYER_PAGE_SIZE = 20;

/** A layer as listed: stored, so it has an id (only a preview's is null). */
type StoredLayer = ClaimedLayerSummary & { id: string };

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * The imported layers, newest first: how each resolved (one column per count), who imported it,
 * links to open it and to see it on the matrix, and for leads re-resolve and delete.
 */
export function LayerTable({
  page,
  onPage,
  canManage,
  onDone,
}: {
  page: number;
  onPage: (page: number | undefined) => void;
  canManage: boolean;
  onDone: (message: string) => void;
}) {
  const list = useLayers({ limit: LAYER_PAGE_SIZE, offset: (page - 1) * LAYER_PAGE_SIZE });
  const columns: Column<StoredLayer>[] = [
    {
      header: 'Layer',
      className: 'min-w-72',
      cell: (l) => (
        <div className="flex flex-col gap-0.5">
          <Link
            to="/layers/$id"
            params={{ id: l.id }}
            className="font-medium text-sky-700 hover:underline"
            data-testid="layer-name"
          >
            {fileText(l.name)}
          </Link>
          <span className="text-xs text-slate-600" data-testid="layer-file">
            {l.sourceFilename}
            {l.sourceIndex > 0 && ` (layer ${l.sourceIndex + 1})`}
          </span>
          <span className="text-xs text-slate-600" data-testid="layer-release">
            {l.resolvedRelease ? `Resolved against ATT&CK ${l.resolvedRelease}` : 'Not resolved'} ({l.domain})
          </span>
          <span className="text-xs text-slate-600">
            Imported {formatDateTime(l.importedAt)} by{' '}
            {l.importedBy ? l.importedBy.displayName || l.importedBy.username : '—'}
          </span>
          <MatrixLinks id={l.id} name={l.name} />
        </div>
      ),
    },
    ...[...COUNT_LABELS, { key: 'warnings' as const, label: 'warnings' }].map(
      ({ key, label }): Column<StoredLayer> => ({
        header: capital(label),
        className: 'w-16 text-right tabular-nums',
        cell: (l) => (
          <span data-testid={`layer-count-${key}`}>
            {key === 'warnings' ? l.warningCount : l.counts[key]}
          </span>
        ),
      }),
    ),
  ];
  if (canManage)
    columns.push({
      header: <span className="sr-only">Actions</span>,
      className: 'w-28 whitespace-nowrap text-right',
      cell: (l) => <LayerActions layer={l} stacked onDone={(message) => onDone(message)} />,
    });

  return (
    <PagedTable
      query={list as UseQueryResult<ListEnvelope<StoredLayer>>}
      loading="Loading the layers…"
      failed="The layers could not be loaded."
      empty={
        <>
          <p className="font-medium text-slate-700">No layer imported yet.</p>
          <p className="mt-1">
            A lead imports a Navigator layer file above; what it claims then shows here and on the matrix.
          </p>
        </>
      }
      columns={columns}
      rowTestId="layer-row"
      page={page}
      pageSize={LAYER_PAGE_SIZE}
      onPage={onPage}
    />
  );
}
