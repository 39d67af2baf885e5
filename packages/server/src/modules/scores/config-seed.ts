import { SCORING_CONFIG_FIELDS, type ScoringConfigField, type ScoringConfigSource } from '@aegis/contracts';
import type { Config } from '../../infra/config';
import { DEFAULT_SCORING_CONFIG, type ScoringConfig } from './model';

/**
 * The first scoring configuration (spec §1.5): the built-in defaults with what env set on top, and
 * the source of each value. After this version the API wins; env is not read again.
 */
export function seedScoringConfig(env: Config['scoring']): {
  values: ScoringConfig;
  sources: Record<ScoringConfigField, ScoringConfigSource>;
} {
  const fromEnv = new Set(env.fromEnv);
  const sources = Object.fromEntries(
    SCORING_CONFIG_FIELDS.map((field) => [field, fromEnv.has(field) ? 'env' : 'default']),
  ) as Record<ScoringConfigField, ScoringConfigSource>;
  return {
    values: {
      ...DEFAULT_SCORING_CONFIG,
      weights: { ...env.weights },
      staleDays: env.staleDays,
      d3fendMode: env.d3fendMode,
    },
    sources,
  };
}
