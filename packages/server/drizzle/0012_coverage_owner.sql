CREATE TABLE "technique_coverage" (
	"technique_id" uuid PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "technique_coverage_status_check" CHECK ("technique_coverage"."status" in ('validated','partial','not_covered','in_progress','untested'))
);
--> statement-breakpoint
DROP INDEX "technique_states_coverage_idx";--> statement-breakpoint
ALTER TABLE "technique_coverage" ADD CONSTRAINT "technique_coverage_technique_id_attack_objects_id_fk" FOREIGN KEY ("technique_id") REFERENCES "public"."attack_objects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "technique_coverage_status_idx" ON "technique_coverage" USING btree ("status","technique_id");--> statement-breakpoint
-- Coverage moves to the coverage module's own table (ADR 20): statuses other than untested are copied.
INSERT INTO "technique_coverage" ("technique_id", "status", "updated_at")
SELECT "technique_id", "coverage_status", "updated_at" FROM "technique_states" WHERE "coverage_status" <> 'untested';--> statement-breakpoint
ALTER TABLE "technique_states" DROP COLUMN "coverage_status";