import type { TestCase } from '@aegis/contracts';
import { TestStateBadge } from './TestStateBadge';
import { Card, formatDateTime } from './ui';

export function Timeline({ test }: { test: TestCase }) {
  return (
    <Card title="Timeline">
      {test.transitions.length === 0 ? (
        <p className="text-sm text-slate-500">No transition yet.</p>
      ) : (
        <ol aria-label="Transitions" className="relative flex flex-col gap-3 border-l border-slate-200 pl-4">
          {test.transitions.map((t) => (
            <li key={`${t.at}-${t.to}-${t.action}`} className="text-sm">
              <span
                aria-hidden="true"
                className="absolute -left-1.5 mt-1.5 size-3 rounded-full border-2 border-white bg-sky-500"
              />
              <div className="flex flex-wrap items-center gap-1.5">
                <TestStateBadge state={t.to} />
                <span className="text-slate-700">{t.action.replaceAll('_', ' ')}</span>
              </div>
              <p className="text-xs text-slate-500">
                {t.actor?.displayName ?? 'system'} · {formatDateTime(t.at)}
              </p>
              {t.comment && <p className="mt-0.5 text-slate-700">“{t.comment}”</p>}
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}
