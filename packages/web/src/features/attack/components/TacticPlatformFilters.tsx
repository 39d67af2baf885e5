import { optionsWithAny, SelectField } from '../../../components/FilterBar';
import { usePlatformOptions, useTacticOptions } from '../api';

/**
 * A filter bar's tactic (by shortname, in matrix order) and platform (those in scope) selects; the
 * current value is kept as an option even when the release lacks it (a link from elsewhere).
 */
export function TacticPlatformFilters({
  tactic,
  platform,
  onChange,
}: {
  tactic: string | undefined;
  platform: string | undefined;
  /** An empty value is "any". */
  onChange: (patch: { tactic?: string; platform?: string }) => void;
}) {
  const tacticOptions = useTacticOptions();
  const platformOptions = usePlatformOptions();
  return (
    <>
      <SelectField
        label="Tactic"
        value={tactic ?? ''}
        options={optionsWithAny('Any tactic', tacticOptions, tactic)}
        onChange={(value) => onChange({ tactic: value })}
      />
      <SelectField
        label="Platform"
        value={platform ?? ''}
        options={optionsWithAny('Any platform', platformOptions, platform)}
        onChange={(value) => onChange({ platform: value })}
      />
    </>
  );
}
