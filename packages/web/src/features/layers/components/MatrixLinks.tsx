import { Link } from '@tanstack/react-router';
import { matrixLayers } from '../format';

/** The layer on the ATT&CK matrix: what it claims, and what it claims against what tests validated. */
export function MatrixLinks({ id, name }: { id: string; name: string }) {
  const layers = matrixLayers(id);
  return (
    <span className="inline-flex flex-wrap gap-x-1.5 text-xs">
      <span className="text-slate-600">On the matrix:</span>
      <Link to="/matrix" search={{ layer: layers.claimed }} className="text-sky-700 hover:underline">
        claimed<span className="sr-only"> by {name}</span>
      </Link>
      <span aria-hidden="true" className="text-slate-400">
        ·
      </span>
      <Link to="/matrix" search={{ layer: layers.versusValidated }} className="text-sky-700 hover:underline">
        claimed vs validated<span className="sr-only"> for {name}</span>
      </Link>
    </span>
  );
}
