/** Validated techniques out of all those used, as a thin bar with the numbers beside it. */
export function ValidatedBar({ validated, total }: { validated: number; total: number }) {
  const percent = total === 0 ? 0 : Math.round((validated / total) * 100);
  return (
    <div className="flex items-center gap-2">
      <div
        role="img"
        aria-label={`${validated} of ${total} techniques validated`}
        className="h-2 w-28 overflow-hidden rounded-full bg-slate-200"
      >
        <div className="h-full bg-emerald-500" style={{ width: `${percent}%` }} />
      </div>
      <span className="text-xs tabular-nums text-slate-600">
        {validated}/{total}
      </span>
    </div>
  );
}
