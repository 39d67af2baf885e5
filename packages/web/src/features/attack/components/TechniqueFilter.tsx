import { useTechnique } from '../api';
import { TechniquePicker } from './TechniquePicker';

/**
 * The technique filter of a list page's filter bar: the technique picker holding at most one
 * technique (from the URL's `?technique=`), with a clear button. The name comes from the technique's
 * own query, which the technique page has usually loaded already.
 */
export function TechniqueFilter({
  value,
  onChange,
  label = 'Technique',
}: {
  value: string | undefined;
  onChange: (technique: string | undefined) => void;
  label?: string;
}) {
  const technique = useTechnique(value ?? '', { enabled: Boolean(value), staleTime: 5 * 60_000 });
  const name = technique.data
    ? technique.data.parent
      ? `${technique.data.parent.name}: ${technique.data.name}`
      : technique.data.name
    : undefined;
  return (
    <TechniquePicker
      label={label}
      className="w-64"
      value={value ? [{ attackId: value, name }] : []}
      onChange={(next) => onChange(next[0]?.attackId)}
    />
  );
}
