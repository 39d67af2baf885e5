ALTER TABLE "test_cases" ADD COLUMN "detected_at_explicit" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "test_transitions_decisions_idx" ON "test_transitions" USING btree ("at") WHERE "test_transitions"."to_state" in ('validated', 'rejected');--> statement-breakpoint
-- A first alert that differs from the earliest tool alert was set by hand: keep it as blue's.
UPDATE "test_cases" t SET "detected_at_explicit" = true
 WHERE t."detected_at" IS NOT NULL
   AND t."detected_at" IS DISTINCT FROM (SELECT min(r."detected_at") FROM "test_tool_results" r WHERE r."test_case_id" = t."id");
