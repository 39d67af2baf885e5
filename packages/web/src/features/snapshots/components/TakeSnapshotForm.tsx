import type { SnapshotDetail } from '@aegis/contracts';
import { type FormEvent, useState } from 'react';
import { describeError, fieldErrors } from '../../../app/api';
import { primaryButton } from '../../../components/buttons';
import { ErrorMessage } from '../../../components/Feedback';
import { inputClass } from '../../../components/SearchField';
import { formatScore } from '../../scores/format';
import { Field } from '../../test-cases/components/ui';
import { useTakeSnapshot } from '../api';
import { countsPhrase } from '../format';

/**
 * A manual snapshot, named and with a note. The server checks the fields (its messages are shown
 * next to them) and brings the scores up to date first, so taking one can take a few seconds; the
 * result is announced in a live region.
 */
export function TakeSnapshotForm() {
  const take = useTakeSnapshot();
  const [name, setName] = useState('');
  const [note, setNote] = useState('');
  const [taken, setTaken] = useState<SnapshotDetail | null>(null);
  const errors = fieldErrors(take.error);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setTaken(null);
    take.mutate(
      { name, note },
      {
        onSuccess: (snapshot) => {
          setTaken(snapshot);
          setName('');
          setNote('');
        },
      },
    );
  };

  return (
    <form
      onSubmit={onSubmit}
      noValidate
      aria-label="Take a snapshot"
      aria-busy={take.isPending}
      className="flex flex-wrap items-start gap-3"
    >
      <Field label="Name" error={errors.name} className="min-w-56 flex-1">
        <input
          className={inputClass}
          value={name}
          placeholder="Before the Q3 purple-team week"
          aria-invalid={Boolean(errors.name)}
          onChange={(e) => setName(e.target.value)}
        />
      </Field>
      <Field label="Note (optional)" error={errors.note} className="min-w-72 flex-[2]">
        <textarea
          className={`${inputClass} h-[2.125rem] min-h-[2.125rem] resize-y`}
          value={note}
          aria-invalid={Boolean(errors.note)}
          onChange={(e) => setNote(e.target.value)}
        />
      </Field>
      <div className="pt-6">
        <button type="submit" className={primaryButton} disabled={take.isPending}>
          {take.isPending ? 'Taking snapshot…' : 'Take snapshot'}
        </button>
      </div>
      {take.isError && Object.keys(errors).length === 0 && (
        <div className="basis-full">
          <ErrorMessage title="The snapshot was not taken." message={describeError(take.error)} />
        </div>
      )}
      <p role="status" data-testid="snapshot-taken" className="min-h-5 basis-full text-sm text-emerald-800">
        {taken &&
          `Snapshot “${taken.name}” taken: organisation score ${formatScore(taken.organizationScore)} (threat-weighted ${formatScore(taken.organizationThreatScore)}); ${countsPhrase(taken.counts)}.`}
      </p>
    </form>
  );
}
