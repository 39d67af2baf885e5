import type { ClaimedLayerSummary } from '@aegis/contracts';
import { useState } from 'react';
import { describeError } from '../../../app/api';
import { secondaryButton } from '../../../components/buttons';
import { ErrorMessage } from '../../../components/Feedback';
import { useDeleteLayer, useReresolveLayer } from '../api';
import { countsPhrase } from '../format';

const dangerButton =
  'rounded-md bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-800 disabled:opacity-60';

/**
 * Re-resolve and delete (leads and admins): delete asks for a confirmation in place; both say what
 * happened through `onDone`, for the page's status region.
 */
export function LayerActions({
  layer,
  onDone,
  stacked = false,
}: {
  layer: Pick<ClaimedLayerSummary, 'id' | 'name'>;
  /** Buttons one above the other (in a table's narrow last column). */
  stacked?: boolean;
  onDone: (message: string, deleted: boolean) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const remove = useDeleteLayer();
  const reresolve = useReresolveLayer();
  const id = layer.id as string;
  const failure = remove.error ?? reresolve.error;
  const group = `inline-flex gap-1 ${stacked ? 'flex-col items-stretch' : ''}`;

  return (
    <div className="flex flex-col items-end gap-2">
      {confirming ? (
        <span className={group}>
          <button
            type="button"
            className={dangerButton}
            disabled={remove.isPending}
            onClick={() =>
              remove.mutate(id, {
                onSuccess: () => onDone(`Layer “${layer.name}” deleted, with its claims.`, true),
                onSettled: () => setConfirming(false),
              })
            }
          >
            Confirm delete<span className="sr-only"> of {layer.name}</span>
          </button>
          <button type="button" className={secondaryButton} onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </span>
      ) : (
        <span className={group}>
          <button
            type="button"
            className={secondaryButton}
            disabled={reresolve.isPending}
            aria-label={`Re-resolve ${layer.name}`}
            onClick={() =>
              reresolve.mutate(id, {
                onSuccess: (l) =>
                  onDone(
                    `Layer “${l.name}” resolved again against ATT&CK ${l.resolvedRelease ?? ''}: ${countsPhrase(l.counts)}.`,
                    false,
                  ),
              })
            }
          >
            {reresolve.isPending ? 'Re-resolving…' : 'Re-resolve'}
          </button>
          <button
            type="button"
            className={secondaryButton}
            aria-label={`Delete ${layer.name}`}
            onClick={() => setConfirming(true)}
          >
            Delete
          </button>
        </span>
      )}
      {failure && <ErrorMessage title="That did not work." message={describeError(failure)} />}
    </div>
  );
}
