import type { Outcome, ScoringConfigField, ScoringConfigRecord } from '@aegis/contracts';
import { ROLE_GROUPS } from '@aegis/contracts/roles';
import { useState } from 'react';
import { describeError, fieldErrors } from '../../../app/api';
import { hasRole, useUser } from '../../../app/auth';
import { primaryButton, secondaryButton } from '../../../components/buttons';
import { ErrorMessage, PageHeader } from '../../../components/Feedback';
import { QueryView } from '../../../components/QueryView';
import { formatDateTime, outcomeLabel, outcomes } from '../../test-cases/components/ui';
import { useScoringConfig, useUpdateScoringConfig } from '../api';
import {
  FieldError,
  Group,
  NumberField,
  SelectConfig,
  SourceBadge,
  WeightRow,
} from '../components/ConfigFields';
import { type ConfigForm, formFromValues, valuesFromForm, weightSum } from '../configForm';
import { COMPONENTS } from '../format';

/**
 * The scoring configuration (analysis spec §1.5): leads read it, admins change it. Each value shows
 * where it came from; a save makes a new version and the server recomputes every score with it.
 */
export function ScoringConfigPage() {
  const user = useUser();
  const allowed = hasRole(user, ROLE_GROUPS.leads);
  return (
    <div className="mx-auto max-w-4xl">
      <PageHeader title="Scoring" />
      {allowed ? (
        <ConfigLoader canEdit={hasRole(user, ROLE_GROUPS.admins)} />
      ) : (
        <ErrorMessage message="Only leads and admins can open this page." />
      )}
    </div>
  );
}

type Save = ReturnType<typeof useUpdateScoringConfig>;

function ConfigLoader({ canEdit }: { canEdit: boolean }) {
  const save = useUpdateScoringConfig();
  return (
    <QueryView
      query={useScoringConfig()}
      loading="Loading the configuration…"
      failed="The configuration could not be loaded."
    >
      {/* A new version starts the form again from what was saved. */}
      {(config) => <ConfigEditor key={config.version} config={config} canEdit={canEdit} save={save} />}
    </QueryView>
  );
}

function ConfigEditor({
  config,
  canEdit,
  save,
}: {
  config: ScoringConfigRecord;
  canEdit: boolean;
  save: Save;
}) {
  const [form, setForm] = useState<ConfigForm>(() => formFromValues(config.values));
  const errors = fieldErrors(save.error);
  const unnamed = save.isError && Object.keys(errors).length === 0;
  const dirty = JSON.stringify(form) !== JSON.stringify(formFromValues(config.values));
  const sum = weightSum(form);
  const source = (field: ScoringConfigField) => <SourceBadge source={config.sources[field]} />;
  const set = (patch: Partial<ConfigForm>) => setForm((f) => ({ ...f, ...patch }));

  return (
    <form
      aria-label="Scoring configuration"
      // The server owns the rules and names the field it refuses (a browser's own check would say less).
      noValidate
      className="flex flex-col gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(valuesFromForm(form));
      }}
    >
      <div className="flex flex-wrap items-center justify-between gap-2 rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm text-slate-600">
        <p>
          <span className="font-medium text-slate-900">
            Version <span data-testid="config-version">{config.version}</span>
          </span>
          {' · '}
          {config.updatedBy
            ? `changed by ${config.updatedBy.displayName} on ${formatDateTime(config.updatedAt)}`
            : `set at start from the defaults and the environment on ${formatDateTime(config.updatedAt)}`}
        </p>
        <p className="flex items-center gap-1.5 text-xs">
          Where a value came from: <SourceBadge source="default" /> <SourceBadge source="env" />{' '}
          <SourceBadge source="api" />
        </p>
      </div>
      {!canEdit && (
        <p
          data-testid="config-read-only"
          className="rounded-md border border-slate-200 bg-slate-50 px-4 py-2 text-sm text-slate-600"
        >
          Read-only: only admins change the scoring configuration.
        </p>
      )}
      <fieldset disabled={!canEdit} className="flex flex-col gap-4">
        <Group title="Weights" hint="Each component’s share of a technique’s own score, whole numbers 0–100.">
          <table className="w-full max-w-md text-left text-sm">
            <thead className="text-xs text-slate-500">
              <tr>
                <th scope="col" className="py-1 font-medium">
                  Component
                </th>
                <th scope="col" className="w-28 py-1 font-medium">
                  Weight
                </th>
                <th scope="col" className="w-20 py-1 font-medium">
                  <span className="sr-only">Where it came from</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {COMPONENTS.map(({ key, label }) => (
                <WeightRow
                  key={key}
                  label={label}
                  source={source(`weights.${key}`)}
                  error={errors[`weights.${key}`]}
                  value={form.weights[key]}
                  onChange={(v) => set({ weights: { ...form.weights, [key]: v } })}
                />
              ))}
            </tbody>
            <tfoot className="border-t-2 border-slate-200">
              <tr>
                <th scope="row" className="py-1.5 font-medium text-slate-700">
                  Sum
                </th>
                <td data-testid="weight-sum" className="px-2 py-1.5 font-semibold tabular-nums">
                  {sum ?? '—'}
                </td>
                <td />
              </tr>
            </tfoot>
          </table>
          {sum !== null && sum !== 100 && (
            <p
              data-testid="weight-sum-warning"
              className="mt-1 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
            >
              The weights sum to {sum}, not 100. That is allowed: each score divides by the weights of the
              components that apply to it, so only their ratios matter.
            </p>
          )}
          {errors.weights && <FieldError message={errors.weights} />}
        </Group>

        <Group
          title="Outcome values"
          badge={source('outcomeValues')}
          hint="What each blue outcome is worth in the tests component, 0–1, not rising from prevented down."
        >
          <div className="grid items-end gap-2 sm:grid-cols-4">
            {outcomes.map((o: Outcome) => (
              <NumberField
                key={o}
                label={outcomeLabel(o)}
                error={errors[`outcomeValues.${o}`]}
                value={form.outcomeValues[o]}
                onChange={(v) => set({ outcomeValues: { ...form.outcomeValues, [o]: v } })}
              />
            ))}
          </div>
          {errors.outcomeValues && <FieldError message={errors.outcomeValues} />}
        </Group>

        <Group
          title="Saturation"
          hint="How much it takes to earn a component’s full (or, for catalog rules, half) credit."
        >
          <div className="grid items-end gap-2 sm:grid-cols-3">
            <NumberField
              label="Deployed rules for full credit"
              source={source('ruleDeployedSat')}
              error={errors.ruleDeployedSat}
              value={form.ruleDeployedSat}
              onChange={(ruleDeployedSat) => set({ ruleDeployedSat })}
            />
            <NumberField
              label="Catalog rules for half credit"
              source={source('ruleCatalogSat')}
              error={errors.ruleCatalogSat}
              value={form.ruleCatalogSat}
              onChange={(ruleCatalogSat) => set({ ruleCatalogSat })}
            />
            <NumberField
              label="Countermeasures for full D3FEND credit"
              source={source('d3fendSat')}
              error={errors.d3fendSat}
              value={form.d3fendSat}
              onChange={(d3fendSat) => set({ d3fendSat })}
            />
          </div>
        </Group>

        <Group
          title="Freshness"
          hint="Full credit for a success up to the grace period, falling to none at the stale threshold."
        >
          <div className="grid items-end gap-2 sm:grid-cols-3">
            <NumberField
              label="Grace period (days)"
              source={source('graceDays')}
              error={errors.graceDays}
              value={form.graceDays}
              step="1"
              onChange={(graceDays) => set({ graceDays })}
            />
            <NumberField
              label="Stale after (days)"
              source={source('staleDays')}
              error={errors.staleDays}
              value={form.staleDays}
              step="1"
              onChange={(staleDays) => set({ staleDays })}
            />
          </div>
        </Group>

        <Group title="Choices">
          <div className="grid gap-3 sm:grid-cols-2">
            <SelectConfig
              label="D3FEND counts"
              source={source('d3fendMode')}
              error={errors.d3fendMode}
              value={form.d3fendMode}
              options={[
                { value: 'inventory', label: 'Implemented countermeasures (the inventory)' },
                { value: 'catalog', label: 'Every mapped countermeasure (the catalog)' },
              ]}
              onChange={(d3fendMode) => set({ d3fendMode })}
            />
            <SelectConfig
              label="A parent’s aggregate"
              source={source('rollup')}
              error={errors.rollup}
              value={form.rollup}
              options={[
                { value: 'average', label: 'Average of itself and its sub-techniques' },
                { value: 'min', label: 'Lowest of them' },
                { value: 'max', label: 'Highest of them' },
                { value: 'sum', label: 'Sum of them (can exceed 100)' },
              ]}
              onChange={(rollup) => set({ rollup })}
            />
          </div>
          <div className="mt-3 flex items-center gap-2 text-sm text-slate-700">
            <input
              id="actor-include-software"
              type="checkbox"
              checked={form.actorIncludeSoftware}
              onChange={(e) => set({ actorIncludeSoftware: e.target.checked })}
              className="size-4"
            />
            <label htmlFor="actor-include-software">
              A threat actor’s score also counts the techniques of the software it uses
            </label>
            {source('actorIncludeSoftware')}
          </div>
        </Group>

        <Group
          title="Rule status weights"
          badge={source('ruleStatusWeights')}
          hint="Credit of a linked rule that is not deployed, by its source and status (0–1); other statuses count 0."
        >
          <div className="grid gap-3 sm:grid-cols-2">
            {Object.entries(form.ruleStatusWeights).map(([ruleSource, statuses]) => (
              <fieldset key={ruleSource} className="rounded-md border border-slate-200 p-2">
                <legend className="px-1 text-xs font-medium text-slate-600">{ruleSource}</legend>
                <div className="grid grid-cols-2 gap-2">
                  {Object.entries(statuses).map(([status, value]) => (
                    <NumberField
                      key={status}
                      label={status}
                      error={errors[`ruleStatusWeights.${ruleSource}.${status}`]}
                      value={value}
                      onChange={(v) =>
                        set({
                          ruleStatusWeights: {
                            ...form.ruleStatusWeights,
                            [ruleSource]: { ...statuses, [status]: v },
                          },
                        })
                      }
                    />
                  ))}
                </div>
              </fieldset>
            ))}
          </div>
          {errors.ruleStatusWeights && <FieldError message={errors.ruleStatusWeights} />}
        </Group>
      </fieldset>

      {canEdit && (
        <div className="sticky bottom-0 flex flex-wrap items-center gap-3 border-t border-slate-200 bg-slate-50/95 py-3">
          <button type="submit" className={primaryButton} disabled={!dirty || save.isPending}>
            {save.isPending ? 'Saving and recomputing…' : 'Save and recompute'}
          </button>
          <button
            type="button"
            className={secondaryButton}
            disabled={!dirty || save.isPending}
            onClick={() => {
              setForm(formFromValues(config.values));
              save.reset();
            }}
          >
            Discard changes
          </button>
          <p role="status" className="text-sm text-slate-600">
            {save.isError
              ? unnamed
                ? ''
                : 'Not saved: see the fields marked below.'
              : dirty
                ? 'Not saved yet.'
                : save.isSuccess && save.data.version === config.version
                  ? `Saved as version ${config.version}: every score was recomputed with it.`
                  : ''}
          </p>
        </div>
      )}
      {unnamed && <ErrorMessage title="Not saved." message={describeError(save.error)} />}
    </form>
  );
}
