-- Hand-written (ADR 15): the trigram operator class of test_cases_title_trgm_idx. PGlite loads pg_trgm in its thread (pglite-worker.js).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
DROP INDEX "job_runs_name_started_idx";--> statement-breakpoint
DROP INDEX "import_runs_created_idx";--> statement-breakpoint
DROP INDEX "audit_logs_at_idx";--> statement-breakpoint
DROP INDEX "audit_logs_actor_at_idx";--> statement-breakpoint
DROP INDEX "audit_logs_entity_idx";--> statement-breakpoint
DROP INDEX "audit_logs_action_at_idx";--> statement-breakpoint
DROP INDEX "source_sync_runs_source_idx";--> statement-breakpoint
DROP INDEX "notifications_user_idx";--> statement-breakpoint
DROP INDEX "test_cases_state_idx";--> statement-breakpoint
DROP INDEX "test_cases_created_idx";--> statement-breakpoint
CREATE INDEX "attack_objects_attack_id_upper_idx" ON "attack_objects" USING btree (upper("attack_id"));--> statement-breakpoint
CREATE INDEX "test_cases_updated_idx" ON "test_cases" USING btree ("updated_at","id");--> statement-breakpoint
CREATE INDEX "test_cases_title_idx" ON "test_cases" USING btree ("title","id");--> statement-breakpoint
CREATE INDEX "test_cases_title_trgm_idx" ON "test_cases" USING gin ("title" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "job_runs_name_started_idx" ON "job_runs" USING btree ("job_name","started_at");--> statement-breakpoint
CREATE INDEX "import_runs_created_idx" ON "import_runs" USING btree ("kind","created_at");--> statement-breakpoint
CREATE INDEX "audit_logs_at_idx" ON "audit_logs" USING btree ("at","id");--> statement-breakpoint
CREATE INDEX "audit_logs_actor_at_idx" ON "audit_logs" USING btree ("actor_id","at","id");--> statement-breakpoint
CREATE INDEX "audit_logs_entity_idx" ON "audit_logs" USING btree ("entity_type","entity_id","at","id");--> statement-breakpoint
CREATE INDEX "audit_logs_action_at_idx" ON "audit_logs" USING btree ("action","at","id");--> statement-breakpoint
CREATE INDEX "source_sync_runs_source_idx" ON "source_sync_runs" USING btree ("data_source_id","created_at");--> statement-breakpoint
CREATE INDEX "notifications_user_idx" ON "notifications" USING btree ("user_id","created_at","id");--> statement-breakpoint
CREATE INDEX "test_cases_state_idx" ON "test_cases" USING btree ("state","updated_at","id");--> statement-breakpoint
CREATE INDEX "test_cases_created_idx" ON "test_cases" USING btree ("created_at","id");