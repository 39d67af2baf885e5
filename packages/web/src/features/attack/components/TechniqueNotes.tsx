import type { Technique } from '@aegis/contracts';
import { ROLE_GROUPS } from '@aegis/contracts/roles';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { describeError, fieldErrors } from '../../../app/api';
import { hasRole, useUser } from '../../../app/auth';
import { primaryButton, secondaryButton } from '../../../components/buttons';
import { Markdown } from '../../../components/Markdown';
import { inputClass } from '../../../components/SearchField';
import { Card } from '../../test-cases/components/ui';
import { useUpdateTechniqueNotes } from '../api';

/** `UpdateTechnique.notes` in the contract. */
export const NOTES_MAX_LENGTH = 20_000;

/**
 * The organisation's own notes on a technique, rendered as sanitised Markdown. Leads (and admins)
 * edit them in place; everyone else reads them.
 */
export function TechniqueNotes({ technique }: { technique: Technique }) {
  const user = useUser();
  const canEdit = hasRole(user, ROLE_GROUPS.leads);
  const save = useUpdateTechniqueNotes(technique.id);
  const [draft, setDraft] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const returnFocus = useRef(false);
  const ids = { card: useId(), notes: useId(), hint: useId(), error: useId() };
  const editing = draft !== null;

  // Focus follows the form: into the text when it opens, back to "Edit notes" when it closes.
  useEffect(() => {
    if (editing) textarea.current?.focus();
    else if (returnFocus.current) editButton.current?.focus();
    returnFocus.current = false;
  }, [editing]);

  const close = () => {
    returnFocus.current = true;
    setDraft(null);
    save.reset();
  };
  const tooLong = (draft?.length ?? 0) > NOTES_MAX_LENGTH;
  const serverError = save.isError ? fieldErrors(save.error).notes : undefined;
  const fieldError = tooLong
    ? `Notes can be at most ${NOTES_MAX_LENGTH.toLocaleString('en')} characters.`
    : serverError;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (draft === null || tooLong) return;
    save.mutate(draft, {
      onSuccess: () => {
        setSaved(true);
        close();
      },
    });
  };

  return (
    <Card
      title="Our notes"
      labelId={ids.card}
      actions={
        canEdit &&
        !editing && (
          <button
            ref={editButton}
            type="button"
            className={secondaryButton}
            onClick={() => {
              setSaved(false);
              setDraft(technique.notes);
            }}
          >
            {technique.notes ? 'Edit notes' : 'Add notes'}
          </button>
        )
      }
    >
      {editing ? (
        <form aria-label="Edit notes" onSubmit={submit} className="flex flex-col gap-2">
          <label htmlFor={ids.notes} className="text-sm font-medium text-slate-700">
            Notes (Markdown)
          </label>
          <textarea
            ref={textarea}
            id={ids.notes}
            rows={8}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            aria-invalid={fieldError ? true : undefined}
            aria-describedby={fieldError ? `${ids.error} ${ids.hint}` : ids.hint}
            className={`${inputClass} font-mono`}
          />
          <p id={ids.hint} className="flex justify-between gap-2 text-xs text-slate-500">
            <span>What your organisation knows: tooling, exceptions, links to runbooks.</span>
            <span className={`tabular-nums ${tooLong ? 'text-red-700' : ''}`}>
              {draft.length.toLocaleString('en')} / {NOTES_MAX_LENGTH.toLocaleString('en')}
            </span>
          </p>
          {fieldError && (
            <p id={ids.error} className="text-sm text-red-700">
              {fieldError}
            </p>
          )}
          {save.isError && !serverError && (
            <p role="alert" className="text-sm text-red-700">
              The notes were not saved: {describeError(save.error)}
            </p>
          )}
          <div className="flex gap-2">
            <button type="submit" className={primaryButton} disabled={save.isPending || tooLong}>
              {save.isPending ? 'Saving…' : 'Save notes'}
            </button>
            <button type="button" className={secondaryButton} onClick={close} disabled={save.isPending}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <>
          {saved && (
            <p role="status" className="mb-2 text-sm text-emerald-700">
              Notes saved.
            </p>
          )}
          {technique.notes ? (
            <Markdown source={technique.notes} />
          ) : (
            <p className="text-sm text-slate-500">
              {canEdit ? 'No notes yet: add what your organisation knows about it.' : 'No notes yet.'}
            </p>
          )}
        </>
      )}
    </Card>
  );
}
