import { useNavigate } from '@tanstack/react-router';
import { useCallback, useDeferredValue, useEffect, useMemo, useState } from 'react';
import { describeError } from '../../../app/api';
import { CoverageLegend } from '../../../components/coverage';
import { EmptyState, ErrorMessage, PageHeader, Spinner } from '../../../components/Feedback';
import { useSubtechniques, useTactics, useTechniques } from '../api';
import { Matrix } from '../components/Matrix';
import { MatrixFilterBar } from '../components/MatrixFilterBar';
import {
  buildColumns,
  isFiltered,
  type MatrixFilters,
  matchesFilters,
  noFilters,
  platformsOf,
} from '../matrix';

export function MatrixPage() {
  const navigate = useNavigate();
  const tactics = useTactics();
  const techniques = useTechniques();
  const [filters, setFilters] = useState<MatrixFilters>(noFilters);
  const deferredFilters = useDeferredValue(filters);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const subtechniques = useSubtechniques(expanded.size > 0);

  const columns = useMemo(
    () => (tactics.data && techniques.data ? buildColumns(tactics.data, techniques.data) : []),
    [tactics.data, techniques.data],
  );
  const platforms = useMemo(() => platformsOf(techniques.data ?? []), [techniques.data]);
  const visible = useMemo(
    () =>
      isFiltered(deferredFilters)
        ? (t: Parameters<typeof matchesFilters>[0]) => matchesFilters(t, deferredFilters)
        : undefined,
    [deferredFilters],
  );
  const shownCount = useMemo(
    () =>
      columns.reduce((n, c) => n + (visible ? c.techniques.filter(visible).length : c.techniques.length), 0),
    [columns, visible],
  );

  const onToggle = useCallback((id: string) => {
    setExpanded((prev) => {
      const next = new Set(prev);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  }, []);
  const onOpen = useCallback((id: string) => navigate({ to: '/techniques/$id', params: { id } }), [navigate]);

  const ready = columns.length > 0;
  useEffect(() => {
    // For the interactive-time script: the moment the full matrix is in the DOM.
    if (ready) performance.mark('aegis:matrix-rendered');
  }, [ready]);

  const error = tactics.error ?? techniques.error;
  return (
    <div className="flex h-full min-h-0 flex-col">
      <PageHeader title="ATT&CK Matrix">
        <CoverageLegend />
      </PageHeader>
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <MatrixFilterBar filters={filters} platforms={platforms} onChange={setFilters} />
        {ready && (
          <div className="flex items-center gap-3 text-sm text-slate-600">
            <span aria-live="polite">
              {visible ? `${shownCount} matching cells` : `${techniques.data?.length ?? 0} techniques`}
            </span>
            {expanded.size > 0 && (
              <button
                type="button"
                onClick={() => setExpanded(new Set())}
                className="rounded-md px-2 py-1 text-sky-700 hover:bg-sky-50"
              >
                Collapse all
              </button>
            )}
          </div>
        )}
      </div>
      {error ? (
        <ErrorMessage
          title="The matrix could not be loaded."
          message={describeError(error)}
          onRetry={() => {
            void tactics.refetch();
            void techniques.refetch();
          }}
        />
      ) : !ready ? (
        <Spinner label="Loading the matrix…" />
      ) : techniques.data?.length === 0 ? (
        <EmptyState>No ATT&CK data yet. An admin can import a release under System → Import runs.</EmptyState>
      ) : (
        <div data-testid="matrix" data-ready="true" className="min-h-0 flex-1 overflow-auto pb-4">
          {visible && shownCount === 0 && (
            <p className="mb-2 text-sm text-slate-600">No technique matches these filters.</p>
          )}
          <Matrix
            columns={columns}
            visible={visible}
            expanded={expanded}
            onToggle={onToggle}
            subtechniques={subtechniques.data}
            subtechniquesError={subtechniques.error ? describeError(subtechniques.error) : undefined}
            onOpen={onOpen}
          />
        </div>
      )}
    </div>
  );
}
