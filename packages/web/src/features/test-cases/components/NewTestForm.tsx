import type { Outcome, TestCase } from '@aegis/contracts';
import { type FormEvent, useState } from 'react';
import { describeError, fieldErrors } from '../../../app/api';
import { ErrorMessage } from '../../../components/Feedback';
import { usePlatforms, useTacticNames, useTechnique } from '../../attack/api';
import { type TechniqueChoice, TechniquePicker } from '../../attack/components/TechniquePicker';
import { useCreateTest } from '../api';
import { AssigneeSelect } from './Assignees';
import { Field, inputClass, OutcomeOptions, primaryButton } from './ui';

/** The platforms to offer: the organisation's scope, narrowed to the technique's when it names some of them. */
export function platformChoices(
  inScope: readonly string[],
  techniquePlatforms: readonly string[] | undefined,
) {
  const narrowed = techniquePlatforms ? inScope.filter((p) => techniquePlatforms.includes(p)) : [];
  return narrowed.length > 0 ? narrowed : [...inScope];
}

/** The fields that show their own problem; any other one is said above the button. */
const SHOWN_FIELDS = ['technique', 'tactic', 'title', 'description', 'platform', 'expectedOutcome'];

/**
 * The new-test form: a technique from the knowledge base, the tactic (the technique's own when it
 * has one), the platform from the organisation's scope, and — for leads and admins (`canAssign`) —
 * the red and the blue person. The one action comes last.
 */
export function NewTestForm({
  initialTechnique,
  canAssign,
  onCreated,
}: {
  initialTechnique?: string;
  canAssign: boolean;
  onCreated: (test: TestCase) => void;
}) {
  const create = useCreateTest();
  const [technique, setTechnique] = useState<TechniqueChoice[]>(
    initialTechnique ? [{ attackId: initialTechnique.toUpperCase() }] : [],
  );
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [tactic, setTactic] = useState('');
  const [platform, setPlatform] = useState('');
  const [expected, setExpected] = useState<Outcome | ''>('');
  const [red, setRed] = useState('');
  const [blue, setBlue] = useState('');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const errors = { ...fieldErrors(create.error), ...problems };

  const attackId = technique[0]?.attackId ?? '';
  const details = useTechnique(attackId, { enabled: attackId !== '', staleTime: 5 * 60_000 });
  const tacticName = useTacticNames();
  const platforms = usePlatforms();

  const techniqueTactics = details.data?.tactics ?? [];
  const tacticValue = tactic || (techniqueTactics.length === 1 ? (techniqueTactics[0] ?? '') : '');
  const inScope = (platforms.data ?? []).filter((p) => p.inScope).map((p) => p.name);
  const platformOptions = platformChoices(inScope, details.data?.platforms);
  const platformValue = platform || (platformOptions.length === 1 ? (platformOptions[0] ?? '') : '');
  const techniqueName = details.data
    ? details.data.parent
      ? `${details.data.parent.name}: ${details.data.name}`
      : details.data.name
    : undefined;

  const chooseTechnique = (next: TechniqueChoice[]) => {
    setTechnique(next);
    setTactic('');
    setPlatform('');
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!attackId) found.technique = 'Choose the technique this test exercises.';
    if (techniqueTactics.length > 1 && !tacticValue) found.tactic = 'Choose the tactic this test exercises.';
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    create.mutate(
      {
        technique: attackId,
        title,
        description,
        tactic: tacticValue || undefined,
        platform: platformValue || undefined,
        expectedOutcome: expected || undefined,
        ...(canAssign && red ? { assignedRedId: red } : {}),
        ...(canAssign && blue ? { assignedBlueId: blue } : {}),
      },
      { onSuccess: onCreated },
    );
  };

  return (
    <form
      onSubmit={onSubmit}
      noValidate
      aria-label="New test"
      className="flex flex-col gap-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
    >
      <div className="grid gap-4 md:grid-cols-2">
        <TechniquePicker
          label="Technique"
          value={technique.map((t) =>
            t.attackId === attackId && !t.name ? { ...t, name: techniqueName } : t,
          )}
          onChange={chooseTechnique}
          error={errors.technique}
          hint="Search the knowledge base by ATT&CK id or name."
        />
        <Field label="Tactic" error={errors.tactic}>
          <select
            className={inputClass}
            value={tacticValue}
            disabled={techniqueTactics.length === 0}
            aria-invalid={errors.tactic ? true : undefined}
            onChange={(e) => setTactic(e.target.value)}
          >
            {techniqueTactics.length !== 1 && (
              <option value="">{techniqueTactics.length === 0 ? 'The technique’s tactic' : 'Choose…'}</option>
            )}
            {techniqueTactics.map((t) => (
              <option key={t} value={t}>
                {tacticName(t)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field label="Title" error={errors.title}>
        <input
          className={inputClass}
          value={title}
          aria-invalid={errors.title ? true : undefined}
          onChange={(e) => setTitle(e.target.value)}
        />
      </Field>
      <Field label="Description" error={errors.description}>
        <textarea
          rows={4}
          className={inputClass}
          value={description}
          aria-invalid={errors.description ? true : undefined}
          onChange={(e) => setDescription(e.target.value)}
        />
      </Field>
      <div className="grid gap-4 md:grid-cols-2">
        <Field label="Platform" error={errors.platform}>
          <select className={inputClass} value={platformValue} onChange={(e) => setPlatform(e.target.value)}>
            {platformOptions.length !== 1 && <option value="">Not set</option>}
            {platformOptions.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
          {platforms.isError && (
            <span className="mt-1 block text-xs font-normal text-red-700">
              The platforms could not be loaded.
            </span>
          )}
        </Field>
        <Field label="Expected outcome" error={errors.expectedOutcome}>
          <select
            className={inputClass}
            value={expected}
            onChange={(e) => setExpected(e.target.value as Outcome | '')}
          >
            <option value="">Not set</option>
            <OutcomeOptions />
          </select>
        </Field>
      </div>
      {canAssign && (
        <div className="grid gap-4 md:grid-cols-2">
          <AssigneeSelect side="red" label="Red person" value={red} onChange={setRed} />
          <AssigneeSelect side="blue" label="Blue person" value={blue} onChange={setBlue} />
        </div>
      )}
      {create.isError && !Object.keys(errors).some((f) => SHOWN_FIELDS.includes(f)) && (
        <ErrorMessage message={describeError(create.error)} />
      )}
      <div>
        <button type="submit" disabled={create.isPending} className={primaryButton}>
          {create.isPending ? 'Creating…' : 'Create test'}
        </button>
      </div>
    </form>
  );
}
