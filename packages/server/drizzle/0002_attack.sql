CREATE TABLE "attack_objects" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"domain" text NOT NULL,
	"stix_id" text NOT NULL,
	"type" text NOT NULL,
	"attack_id" text,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"url" text,
	"version" text,
	"stix_created" timestamp with time zone,
	"stix_modified" timestamp with time zone,
	"deprecated" boolean DEFAULT false NOT NULL,
	"revoked" boolean DEFAULT false NOT NULL,
	"platforms" text[] DEFAULT '{}' NOT NULL,
	"tactics" text[] DEFAULT '{}' NOT NULL,
	"is_subtechnique" boolean DEFAULT false NOT NULL,
	"parent_stix_id" text,
	"aliases" text[] DEFAULT '{}' NOT NULL,
	"shortname" text,
	"matrix_order" integer,
	"detection" text,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"first_release" text,
	"last_release" text,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "attack_relationships" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"domain" text NOT NULL,
	"stix_id" text NOT NULL,
	"relationship_type" text NOT NULL,
	"source_ref" text NOT NULL,
	"target_ref" text NOT NULL,
	"description" text,
	"deprecated" boolean DEFAULT false NOT NULL,
	"revoked" boolean DEFAULT false NOT NULL,
	"stix_modified" timestamp with time zone,
	"content_hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "import_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text DEFAULT 'attack' NOT NULL,
	"domain" text,
	"source_type" text NOT NULL,
	"source" text NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text NOT NULL,
	"release" text,
	"progress" jsonb,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"diff" jsonb,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"content_sha256" text,
	"triggered_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"duration_ms" integer
);
--> statement-breakpoint
CREATE TABLE "technique_states" (
	"technique_id" uuid PRIMARY KEY NOT NULL,
	"review_required" boolean DEFAULT false NOT NULL,
	"review_reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"coverage_status" text DEFAULT 'untested' NOT NULL,
	"reviewed_at" timestamp with time zone,
	"reviewed_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "import_runs" ADD CONSTRAINT "import_runs_triggered_by_users_id_fk" FOREIGN KEY ("triggered_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "technique_states" ADD CONSTRAINT "technique_states_technique_id_attack_objects_id_fk" FOREIGN KEY ("technique_id") REFERENCES "public"."attack_objects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "technique_states" ADD CONSTRAINT "technique_states_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "attack_objects_domain_stix_key" ON "attack_objects" USING btree ("domain","stix_id");--> statement-breakpoint
CREATE INDEX "attack_objects_domain_type_idx" ON "attack_objects" USING btree ("domain","type");--> statement-breakpoint
CREATE INDEX "attack_objects_attack_id_idx" ON "attack_objects" USING btree ("attack_id");--> statement-breakpoint
CREATE INDEX "attack_objects_parent_idx" ON "attack_objects" USING btree ("domain","parent_stix_id");--> statement-breakpoint
CREATE INDEX "attack_objects_platforms_idx" ON "attack_objects" USING gin ("platforms");--> statement-breakpoint
CREATE INDEX "attack_objects_tactics_idx" ON "attack_objects" USING gin ("tactics");--> statement-breakpoint
CREATE UNIQUE INDEX "attack_relationships_domain_stix_key" ON "attack_relationships" USING btree ("domain","stix_id");--> statement-breakpoint
CREATE INDEX "attack_relationships_source_idx" ON "attack_relationships" USING btree ("domain","source_ref","relationship_type");--> statement-breakpoint
CREATE INDEX "attack_relationships_target_idx" ON "attack_relationships" USING btree ("domain","target_ref","relationship_type");--> statement-breakpoint
CREATE INDEX "import_runs_created_idx" ON "import_runs" USING btree ("kind","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "import_runs_status_idx" ON "import_runs" USING btree ("status");--> statement-breakpoint
CREATE INDEX "technique_states_review_idx" ON "technique_states" USING btree ("review_required");--> statement-breakpoint
CREATE INDEX "technique_states_coverage_idx" ON "technique_states" USING btree ("coverage_status");