CREATE TABLE "scoring_configs" (
	"version" integer PRIMARY KEY NOT NULL,
	"values" jsonb NOT NULL,
	"sources" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "technique_scores" (
	"technique_id" uuid PRIMARY KEY NOT NULL,
	"own_score" double precision NOT NULL,
	"aggregate_score" double precision NOT NULL,
	"applicable_weight" double precision NOT NULL,
	"n_actors" integer NOT NULL,
	"breakdown" jsonb NOT NULL,
	"config_version" integer NOT NULL,
	"inputs_hash" text NOT NULL,
	"computed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "detection_rules" ADD COLUMN "deployed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "scoring_configs" ADD CONSTRAINT "scoring_configs_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "technique_scores" ADD CONSTRAINT "technique_scores_technique_id_attack_objects_id_fk" FOREIGN KEY ("technique_id") REFERENCES "public"."attack_objects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "technique_scores_own_idx" ON "technique_scores" USING btree ("own_score","technique_id");--> statement-breakpoint
CREATE INDEX "technique_scores_aggregate_idx" ON "technique_scores" USING btree ("aggregate_score","technique_id");--> statement-breakpoint
-- Rules deployed before this migration: their last change is the best known deployment time.
UPDATE "detection_rules" SET "deployed_at" = "updated_at" WHERE "deployed";