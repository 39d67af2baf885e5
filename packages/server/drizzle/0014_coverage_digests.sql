ALTER TABLE "technique_coverage" ADD COLUMN "results_digest" text;--> statement-breakpoint
ALTER TABLE "technique_coverage" ADD COLUMN "fired_rule_ids" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
-- Backfill: the digest of each technique's current result set (as coverage.queries.ts computes it)
-- and the rule ids fired in its validated tests. A digest written differently here would only make
-- the next score recompute rewrite those rows once.
INSERT INTO "technique_coverage" ("technique_id", "status", "results_digest", "fired_rule_ids")
SELECT o.id, 'untested', d.digest, coalesce(f.rule_ids, '{}'::text[])
  FROM "attack_objects" o
  LEFT JOIN (
    SELECT technique_id,
           md5(string_agg(id::text || ':' || outcome || ':' || coalesce(platform, '') || ':'
                 || coalesce((extract(epoch from execution_started_at) * 1000)::bigint::text, '') || ':'
                 || coalesce((extract(epoch from validated_at) * 1000)::bigint::text, ''), '|' ORDER BY id)) AS digest
      FROM (SELECT t.technique_id, t.id, t.outcome, t.platform, t.execution_started_at, t.validated_at,
                   row_number() OVER (
                     PARTITION BY t.technique_id, t.template_id,
                                  CASE WHEN t.template_id IS NULL THEN coalesce(t.chain_root_id, t.id) END,
                                  lower(coalesce(t.platform, ''))
                     ORDER BY t.execution_started_at DESC NULLS LAST, t.validated_at DESC NULLS LAST, t.id DESC) AS rn
              FROM "test_cases" t
             WHERE t.state = 'validated' AND t.outcome IS NOT NULL) ranked
     WHERE rn = 1
     GROUP BY technique_id) d ON d.technique_id = o.id
  LEFT JOIN (
    SELECT t.technique_id, array_agg(DISTINCT f->>'ruleId' ORDER BY f->>'ruleId') AS rule_ids
      FROM "test_cases" t CROSS JOIN LATERAL jsonb_array_elements(
             CASE WHEN jsonb_typeof(t.fired_rules) = 'array' THEN t.fired_rules ELSE '[]'::jsonb END) f
     WHERE t.state = 'validated' AND jsonb_typeof(f) = 'object' AND jsonb_typeof(f->'ruleId') = 'string'
     GROUP BY t.technique_id) f ON f.technique_id = o.id
 WHERE d.digest IS NOT NULL OR f.rule_ids IS NOT NULL
ON CONFLICT ("technique_id") DO UPDATE
   SET "results_digest" = excluded."results_digest", "fired_rule_ids" = excluded."fired_rule_ids";
