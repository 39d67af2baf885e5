import type { HeatmapLayerCatalog } from '@aegis/contracts';
import { ROLE_GROUPS } from '@aegis/contracts/roles';
import { useState } from 'react';
import { hasRole, useUser } from '../../../app/auth';
import { useDebounced } from '../../../components/useDebounced';
import { useControls, useFrameworks } from '../../compliance/api';
import { useSnapshots } from '../../snapshots/api';
import { useThreatActors } from '../../threat-actors/api';
import { useClaimedLayerChoices } from '../api';

type CatalogEntry = HeatmapLayerCatalog['layers'][number];

export const field = 'rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm shadow-sm';

interface Props {
  catalog: CatalogEntry[];
  /** The layer shown, as named in the URL (`actor:G0016`). */
  layer: string;
  onChange: (layer: string) => void;
}

/** The layer's kind is the part before the first colon (`snapshot-delta:a:b` → `snapshot-delta`). */
export const layerBase = (layer: string) => layer.split(':')[0] ?? layer;
const layerArgs = (layer: string) => layer.split(':').slice(1);

/**
 * Chooses the heatmap layer and what it takes: a threat actor, a framework (and control), two
 * snapshots (leads), an imported layer. A layer that needs a choice is applied once it is made.
 */
export function LayerSwitcher({ catalog, layer, onChange }: Props) {
  const user = useUser();
  const isLead = hasRole(user, ROLE_GROUPS.leads);
  const layers = catalog.filter((l) => l.parameter !== 'snapshots' || isLead);
  const [base, setBase] = useState(layerBase(layer));
  const [lastLayer, setLastLayer] = useState(layer);
  if (layer !== lastLayer) {
    setLastLayer(layer);
    setBase(layerBase(layer));
  }
  const entry = layers.find((l) => l.name === base);
  const args = base === layerBase(layer) ? layerArgs(layer) : [];

  const choose = (name: string) => {
    setBase(name);
    const next = layers.find((l) => l.name === name);
    if (next?.parameter === 'none' || next?.parameter === 'claimedLayer') onChange(name);
  };

  return (
    <div className="flex flex-wrap items-center gap-2">
      <label className="flex items-center gap-1.5 text-sm font-medium text-slate-700">
        Layer
        <select value={base} onChange={(e) => choose(e.target.value)} className={field}>
          {layers.map((l) => (
            <option key={l.name} value={l.name} title={l.description}>
              {l.title}
            </option>
          ))}
        </select>
      </label>
      {entry?.parameter === 'actor' && (
        <ActorPicker value={args[0]} onPick={(id) => onChange(`actor:${id}`)} />
      )}
      {entry?.parameter === 'framework' && (
        <FrameworkPicker
          framework={args[0]}
          control={args.slice(1).join(':') || undefined}
          onPick={(f, c) => onChange(c ? `compliance:${f}:${c}` : `compliance:${f}`)}
        />
      )}
      {entry?.parameter === 'snapshots' && (
        <SnapshotPicker from={args[0]} to={args[1]} onPick={(a, b) => onChange(`snapshot-delta:${a}:${b}`)} />
      )}
      {entry?.parameter === 'claimedLayer' && (
        <ClaimedLayerPicker value={args[0]} onPick={(id) => onChange(id ? `${base}:${id}` : base)} />
      )}
    </div>
  );
}

interface Choice {
  value: string;
  label: string;
}

/** A search box narrowing a list to choose from: what the actor and control pickers share. */
function SearchPicker({
  id,
  label,
  placeholder,
  empty,
  value,
  choices,
  onText,
  onPick,
}: {
  id: string;
  label: string;
  placeholder: string;
  /** The first option: a prompt, or what choosing nothing means. */
  empty: string;
  value?: string;
  choices: Choice[];
  onText: (text: string) => void;
  onPick: (value: string) => void;
}) {
  const [text, setText] = useState('');
  return (
    <>
      <input
        type="search"
        aria-label={`Search ${label.toLowerCase()}s`}
        placeholder={placeholder}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          onText(e.target.value);
        }}
        className={`${field} w-48`}
      />
      <select
        id={id}
        aria-label={label}
        value={value ?? ''}
        onChange={(e) => onPick(e.target.value)}
        className={field}
      >
        <option value="">{empty}</option>
        {value && !choices.some((c) => c.value === value) && <option value={value}>{value}</option>}
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </>
  );
}

function ActorPicker({ value, onPick }: { value?: string; onPick: (id: string) => void }) {
  const [text, setText] = useState('');
  const q = useDebounced(text, 250);
  const actors = useThreatActors({ q: q || undefined, limit: 25 });
  const items = actors.data?.items ?? [];
  return (
    <SearchPicker
      id="layer-actor"
      label="Threat actor"
      placeholder="Find an actor (G0016, APT29)…"
      empty={actors.isFetching ? 'Loading…' : `Choose an actor (${items.length})`}
      value={value}
      choices={items.map((a) => ({ value: a.attackId ?? a.id, label: `${a.name} (${a.attackId})` }))}
      onText={setText}
      onPick={(id) => id && onPick(id)}
    />
  );
}

function FrameworkPicker({
  framework,
  control,
  onPick,
}: {
  framework?: string;
  control?: string;
  onPick: (framework: string, control?: string) => void;
}) {
  const frameworks = useFrameworks();
  const [text, setText] = useState('');
  const q = useDebounced(text, 250);
  const controls = useControls(
    { framework: framework ?? '', q: q || undefined, limit: 50 },
    Boolean(framework),
  );
  return (
    <>
      <select
        aria-label="Framework"
        value={framework ?? ''}
        onChange={(e) => e.target.value && onPick(e.target.value)}
        className={field}
      >
        <option value="">Choose a framework</option>
        {(frameworks.data ?? []).map((f) => (
          <option key={f.framework} value={f.framework}>
            {f.name}
          </option>
        ))}
      </select>
      {framework && (
        <SearchPicker
          id="layer-control"
          label="Control"
          placeholder="Find a control…"
          empty="Every control"
          value={control}
          choices={(controls.data?.items ?? []).map((c) => ({
            value: c.controlId,
            label: `${c.controlId} ${c.name}`,
          }))}
          onText={setText}
          onPick={(c) => onPick(framework, c || undefined)}
        />
      )}
    </>
  );
}

function SnapshotPicker({
  from,
  to,
  onPick,
}: {
  from?: string;
  to?: string;
  onPick: (from: string, to: string) => void;
}) {
  const snapshots = useSnapshots({ limit: 50, offset: 0 });
  const options = (
    <>
      <option value="now">Now</option>
      {(snapshots.data?.items ?? []).map((s) => (
        <option key={s.id} value={s.id}>
          {s.name} ({s.takenAt.slice(0, 10)})
        </option>
      ))}
    </>
  );
  return (
    <>
      <label className="flex items-center gap-1 text-sm text-slate-700">
        From
        <select
          value={from ?? ''}
          onChange={(e) => e.target.value && onPick(e.target.value, to ?? 'now')}
          className={field}
        >
          <option value="">Choose a snapshot</option>
          {options}
        </select>
      </label>
      <label className="flex items-center gap-1 text-sm text-slate-700">
        to
        <select value={to ?? 'now'} onChange={(e) => from && onPick(from, e.target.value)} className={field}>
          {options}
        </select>
      </label>
    </>
  );
}

function ClaimedLayerPicker({ value, onPick }: { value?: string; onPick: (id: string | undefined) => void }) {
  const layers = useClaimedLayerChoices(true);
  return (
    <>
      <label className="sr-only" htmlFor="layer-claimed">
        Imported layer
      </label>
      <select
        id="layer-claimed"
        value={value ?? ''}
        onChange={(e) => onPick(e.target.value || undefined)}
        className={field}
      >
        <option value="">Every imported layer</option>
        {(layers.data?.items ?? []).map((l) => (
          <option key={l.id} value={l.id ?? ''}>
            {l.name} ({l.sourceFilename})
          </option>
        ))}
      </select>
    </>
  );
}
