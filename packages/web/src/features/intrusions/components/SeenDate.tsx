/**
 * A campaign's first or last sighting, as ATT&CK shows it: month and year. The dates are kept in
 * UTC so a timestamp at the start of a month does not slip into the previous one.
 */
export function SeenDate({ value }: { value: string | null }) {
  if (!value) return <span className="text-slate-500">unknown</span>;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return <>{value}</>;
  return (
    <time dateTime={value}>
      {date.toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' })}
    </time>
  );
}
