CREATE INDEX "detection_rules_updated_idx" ON "detection_rules" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "remediation_steps_updated_idx" ON "remediation_steps" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "test_cases_validated_execution_idx" ON "test_cases" USING btree ("execution_started_at") WHERE "test_cases"."state" = 'validated';