import { useNavigate, useSearch } from '@tanstack/react-router';
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { describeError } from '../../../app/api';
import { EmptyState, ErrorMessage, PageHeader, Spinner } from '../../../components/Feedback';
import { useHeatmap, useHeatmapLayers } from '../api';
import { CellPanel } from '../components/CellPanel';
import { HeatmapGrid, type SelectMode } from '../components/HeatmapGrid';
import { LayerLegend } from '../components/LayerLegend';
import { LayerSwitcher } from '../components/LayerSwitcher';
import { MatrixExports } from '../components/MatrixExports';
import { DOMAIN_NAMES, MatrixFilters } from '../components/MatrixFilters';
import { buildGrid, rangeKeys } from '../grid';
import { heatmapParams, type MatrixSearch } from '../search';

const small = 'rounded-md px-2 py-1 text-sm text-sky-700 hover:bg-sky-50';

/** The longest list of choices seen per domain: a filtered answer lists only what it kept. */
function useChoices(domain: string, fresh: string[] | undefined) {
  const known = useRef(new Map<string, string[]>());
  if (fresh && fresh.length > (known.current.get(domain)?.length ?? 0)) known.current.set(domain, fresh);
  return known.current.get(domain) ?? fresh ?? [];
}

export function MatrixPage() {
  const search = useSearch({ from: '/app/matrix' });
  const navigate = useNavigate({ from: '/matrix' });
  const params = heatmapParams(search);
  const heatmap = useHeatmap(params);
  const catalog = useHeatmapLayers();
  const data = heatmap.data;

  const update = useCallback(
    (patch: Partial<MatrixSearch>) =>
      navigate({ search: (prev: MatrixSearch) => ({ ...prev, ...patch }), replace: true }),
    [navigate],
  );

  const [text, setText] = useState(search.q ?? '');
  const query = useDeferredValue(text);
  useEffect(() => {
    const t = setTimeout(() => update({ q: text.trim() || undefined }), 300);
    return () => clearTimeout(t);
  }, [text, update]);

  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [expandAll, setExpandAll] = useState(false);
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const [openKey, setOpenKey] = useState<string | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const anchor = useRef<string | null>(null);
  const onlyMatches = search.only === true;

  const layout = useMemo(
    () => (data ? buildGrid(data, { expanded, expandAll, query, onlyMatches }) : null),
    [data, expanded, expandAll, query, onlyMatches],
  );

  const tacticChoices = useChoices(
    `${params.domain}:tactics`,
    data?.tactics.map((t) => `${t.shortname}\t${t.name}`),
  ).map((t) => {
    const [shortname = '', name = ''] = t.split('\t');
    return { shortname, name };
  });
  const platformChoices = useChoices(
    `${params.domain}:platforms`,
    useMemo(
      () => (data ? [...new Set(data.techniques.flatMap((t) => t.platforms))].sort() : undefined),
      [data],
    ),
  );

  // A new search scrolls its first match into view and puts the tab stop on it.
  const firstMatch = layout?.matches[0]?.key;
  useEffect(() => {
    if (!firstMatch) return;
    setActiveKey(firstMatch);
    document
      .querySelector(`[data-key="${CSS.escape(firstMatch)}"]`)
      ?.scrollIntoView({ block: 'center', inline: 'center' });
  }, [firstMatch]);

  const ready = Boolean(layout);
  useEffect(() => {
    // For the interactive-time measurements: the moment the full matrix is in the DOM.
    if (ready) performance.mark('aegis:matrix-rendered');
  }, [ready]);

  const onToggleExpand = useCallback((id: string) => {
    setExpanded((prev) => {
      const next = new Set(prev);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  }, []);
  const onSelect = useCallback(
    (key: string, mode: SelectMode) => {
      setSelected((prev) => {
        const next = new Set(prev);
        if (mode === 'range' && anchor.current && layout)
          for (const k of rangeKeys(layout, anchor.current, key)) next.add(k);
        else if (!next.delete(key)) next.add(key);
        return next;
      });
      if (mode === 'toggle') anchor.current = key;
    },
    [layout],
  );
  const onOpen = useCallback((key: string) => {
    anchor.current = key;
    setOpenKey(key);
  }, []);
  const closePanel = useCallback(() => {
    const key = openKey;
    setOpenKey(null);
    if (key) document.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`)?.focus();
  }, [openKey]);

  const openItem = openKey ? layout?.byKey.get(openKey) : undefined;
  const domainName = DOMAIN_NAMES[params.domain];
  const empty = data && (data.release === null || data.counts.total === 0);

  return (
    <div className="flex h-full min-h-0 flex-col">
      <PageHeader title="ATT&CK Matrix">
        {catalog.data && (
          <LayerSwitcher
            catalog={catalog.data}
            layer={params.layer}
            onChange={(layer) => update({ layer: layer === 'coverage' ? undefined : layer })}
          />
        )}
      </PageHeader>
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <MatrixFilters
          search={search}
          tactics={tacticChoices}
          platforms={platformChoices}
          onChange={update}
        />
        {data && <LayerLegend layer={data.layer} />}
      </div>
      <div className="mb-2 flex flex-wrap items-center gap-x-3 gap-y-2 text-sm text-slate-700">
        <input
          type="search"
          aria-label="Search techniques and sub-techniques"
          placeholder="Search ID or name (LSASS, T1003.001)…"
          value={text}
          onChange={(e) => setText(e.target.value)}
          className="w-64 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm shadow-sm"
        />
        {query.trim() && layout && (
          <span aria-live="polite" data-testid="match-count">
            {layout.matches.length === 1 ? '1 match' : `${layout.matches.length} matches`}
          </span>
        )}
        <label className="flex items-center gap-1.5">
          <input
            type="checkbox"
            checked={onlyMatches}
            onChange={(e) => update({ only: e.target.checked || undefined })}
            className="size-4 accent-sky-700"
          />
          Show only matches
        </label>
        <button
          type="button"
          className={small}
          onClick={() => {
            setExpandAll(!expandAll);
            setExpanded(new Set());
          }}
        >
          {expandAll ? 'Collapse all' : 'Expand all sub-techniques'}
        </button>
        <button
          type="button"
          className={small}
          aria-pressed={search.view !== 'wide'}
          onClick={() => update({ view: search.view === 'wide' ? undefined : 'wide' })}
        >
          Fit to screen
        </button>
        {selected.size > 0 && (
          <span className="flex items-center gap-1" data-testid="selection">
            {selected.size} selected
            <button type="button" className={small} onClick={() => setSelected(new Set())}>
              Clear
            </button>
          </span>
        )}
        {data && layout && !empty && (
          <span className="ml-auto flex items-center gap-3">
            <span aria-live="polite" className="text-slate-600">
              {data.counts.shown} of {data.counts.total} techniques · {data.counts.outOfScope} out of scope
              {heatmap.isFetching && ' · updating…'}
            </span>
            <MatrixExports heatmap={data} params={params} layout={layout} />
          </span>
        )}
      </div>
      {heatmap.error && !data ? (
        <ErrorMessage
          title="The matrix could not be loaded."
          message={describeError(heatmap.error)}
          onRetry={() => void heatmap.refetch()}
        />
      ) : !layout || !data ? (
        <Spinner label="Loading the matrix…" />
      ) : empty ? (
        <EmptyState>
          No ATT&CK {domainName} data is loaded. An admin can import the {domainName} release (the STIX bundle{' '}
          {params.domain}.json from MITRE's attack-stix-data) under System → Import runs, or with{' '}
          <code>aegis import attack {params.domain}.json</code>.
        </EmptyState>
      ) : (
        <div className="flex min-h-0 flex-1 gap-3">
          <div data-testid="matrix" data-ready="true" className="min-h-0 min-w-0 flex-1 overflow-auto pb-4">
            {heatmap.error && <p role="alert">{describeError(heatmap.error)}</p>}
            {layout.shown.length === 0 && (
              <p className="mb-2 text-sm text-slate-600">No technique matches.</p>
            )}
            <HeatmapGrid
              layout={layout}
              activeKey={activeKey}
              selected={selected}
              compact={search.view !== 'wide'}
              onActivate={setActiveKey}
              onOpen={onOpen}
              onSelect={onSelect}
              onToggleExpand={onToggleExpand}
              onEscape={closePanel}
            />
          </div>
          {openItem && (
            <CellPanel
              key={openItem.key}
              item={openItem}
              layerTitle={data.layer.title}
              onClose={closePanel}
            />
          )}
        </div>
      )}
    </div>
  );
}
