CREATE TABLE "compliance_controls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"framework" text NOT NULL,
	"control_id" text NOT NULL,
	"name" text NOT NULL,
	"family" text,
	"description" text DEFAULT '' NOT NULL,
	"content_hash" text NOT NULL,
	"removed_at" timestamp with time zone,
	"unresolved_attack_ids" text[] DEFAULT '{}' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "control_techniques" (
	"control_id" uuid NOT NULL,
	"technique_id" uuid NOT NULL,
	CONSTRAINT "control_techniques_control_id_technique_id_pk" PRIMARY KEY("control_id","technique_id")
);
--> statement-breakpoint
CREATE TABLE "d3fend_technique_mappings" (
	"d3fend_technique_id" uuid NOT NULL,
	"technique_id" uuid NOT NULL,
	CONSTRAINT "d3fend_technique_mappings_d3fend_technique_id_technique_id_pk" PRIMARY KEY("d3fend_technique_id","technique_id")
);
--> statement-breakpoint
CREATE TABLE "d3fend_techniques" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"d3fend_id" text NOT NULL,
	"name" text NOT NULL,
	"tactic" text,
	"definition" text DEFAULT '' NOT NULL,
	"content_hash" text NOT NULL,
	"implementation" text,
	"removed_at" timestamp with time zone,
	"unresolved_attack_ids" text[] DEFAULT '{}' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "d3fend_techniques_implementation_check" CHECK ("d3fend_techniques"."implementation" is null or "d3fend_techniques"."implementation" in ('implemented','partial','none'))
);
--> statement-breakpoint
CREATE TABLE "data_sources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"adapter" text NOT NULL,
	"location_type" text NOT NULL,
	"location" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"schedule" text,
	"status" text DEFAULT 'never' NOT NULL,
	"last_sync_at" timestamp with time zone,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "data_sources_kind_check" CHECK ("data_sources"."kind" in ('templates','rules','d3fend','compliance')),
	CONSTRAINT "data_sources_location_type_check" CHECK ("data_sources"."location_type" in ('url','folder','upload'))
);
--> statement-breakpoint
CREATE TABLE "detection_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" text NOT NULL,
	"source_id" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"status" text,
	"level" text,
	"log_source" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"author" text,
	"tags" text[] DEFAULT '{}' NOT NULL,
	"references" text[] DEFAULT '{}' NOT NULL,
	"raw" text NOT NULL,
	"raw_format" text NOT NULL,
	"path" text,
	"modified" text,
	"content_hash" text NOT NULL,
	"deployed" boolean DEFAULT false NOT NULL,
	"removed_at" timestamp with time zone,
	"unresolved_attack_ids" text[] DEFAULT '{}' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rule_techniques" (
	"rule_id" uuid NOT NULL,
	"technique_id" uuid NOT NULL,
	CONSTRAINT "rule_techniques_rule_id_technique_id_pk" PRIMARY KEY("rule_id","technique_id")
);
--> statement-breakpoint
CREATE TABLE "source_sync_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"data_source_id" uuid NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"location_type" text NOT NULL,
	"location" text NOT NULL,
	"progress" jsonb,
	"counts" jsonb,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"unresolved_attack_ids" text[] DEFAULT '{}' NOT NULL,
	"item_count" integer,
	"triggered_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"duration_ms" integer
);
--> statement-breakpoint
CREATE TABLE "template_techniques" (
	"template_id" uuid NOT NULL,
	"technique_id" uuid NOT NULL,
	CONSTRAINT "template_techniques_template_id_technique_id_pk" PRIMARY KEY("template_id","technique_id")
);
--> statement-breakpoint
CREATE TABLE "test_templates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" text NOT NULL,
	"source_id" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"tactics" text[] DEFAULT '{}' NOT NULL,
	"platforms" text[] DEFAULT '{}' NOT NULL,
	"executor" text,
	"command" text,
	"cleanup_command" text,
	"input_arguments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"dependencies" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"variants" jsonb,
	"elevation_required" boolean DEFAULT false NOT NULL,
	"path" text,
	"url" text,
	"content_hash" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"removed_at" timestamp with time zone,
	"is_custom" boolean DEFAULT false NOT NULL,
	"created_by" uuid,
	"unresolved_attack_ids" text[] DEFAULT '{}' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "control_techniques" ADD CONSTRAINT "control_techniques_control_id_compliance_controls_id_fk" FOREIGN KEY ("control_id") REFERENCES "public"."compliance_controls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "control_techniques" ADD CONSTRAINT "control_techniques_technique_id_attack_objects_id_fk" FOREIGN KEY ("technique_id") REFERENCES "public"."attack_objects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "d3fend_technique_mappings" ADD CONSTRAINT "d3fend_technique_mappings_d3fend_technique_id_d3fend_techniques_id_fk" FOREIGN KEY ("d3fend_technique_id") REFERENCES "public"."d3fend_techniques"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "d3fend_technique_mappings" ADD CONSTRAINT "d3fend_technique_mappings_technique_id_attack_objects_id_fk" FOREIGN KEY ("technique_id") REFERENCES "public"."attack_objects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rule_techniques" ADD CONSTRAINT "rule_techniques_rule_id_detection_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."detection_rules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rule_techniques" ADD CONSTRAINT "rule_techniques_technique_id_attack_objects_id_fk" FOREIGN KEY ("technique_id") REFERENCES "public"."attack_objects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_sync_runs" ADD CONSTRAINT "source_sync_runs_data_source_id_data_sources_id_fk" FOREIGN KEY ("data_source_id") REFERENCES "public"."data_sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_sync_runs" ADD CONSTRAINT "source_sync_runs_triggered_by_users_id_fk" FOREIGN KEY ("triggered_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "template_techniques" ADD CONSTRAINT "template_techniques_template_id_test_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."test_templates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "template_techniques" ADD CONSTRAINT "template_techniques_technique_id_attack_objects_id_fk" FOREIGN KEY ("technique_id") REFERENCES "public"."attack_objects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "test_templates" ADD CONSTRAINT "test_templates_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "compliance_controls_framework_key" ON "compliance_controls" USING btree ("framework","control_id");--> statement-breakpoint
CREATE INDEX "compliance_controls_family_idx" ON "compliance_controls" USING btree ("framework","family");--> statement-breakpoint
CREATE INDEX "control_techniques_technique_idx" ON "control_techniques" USING btree ("technique_id","control_id");--> statement-breakpoint
CREATE INDEX "d3fend_technique_mappings_technique_idx" ON "d3fend_technique_mappings" USING btree ("technique_id","d3fend_technique_id");--> statement-breakpoint
CREATE UNIQUE INDEX "d3fend_techniques_d3fend_id_key" ON "d3fend_techniques" USING btree ("d3fend_id");--> statement-breakpoint
CREATE INDEX "d3fend_techniques_tactic_idx" ON "d3fend_techniques" USING btree ("tactic");--> statement-breakpoint
CREATE UNIQUE INDEX "data_sources_key" ON "data_sources" USING btree ("key");--> statement-breakpoint
CREATE UNIQUE INDEX "detection_rules_source_key" ON "detection_rules" USING btree ("source","source_id");--> statement-breakpoint
CREATE INDEX "detection_rules_status_idx" ON "detection_rules" USING btree ("status");--> statement-breakpoint
CREATE INDEX "detection_rules_level_idx" ON "detection_rules" USING btree ("level");--> statement-breakpoint
CREATE INDEX "detection_rules_deployed_idx" ON "detection_rules" USING btree ("deployed");--> statement-breakpoint
CREATE INDEX "detection_rules_log_source_idx" ON "detection_rules" USING gin ("log_source");--> statement-breakpoint
CREATE INDEX "rule_techniques_technique_idx" ON "rule_techniques" USING btree ("technique_id","rule_id");--> statement-breakpoint
CREATE INDEX "source_sync_runs_source_idx" ON "source_sync_runs" USING btree ("data_source_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "source_sync_runs_status_idx" ON "source_sync_runs" USING btree ("status");--> statement-breakpoint
CREATE INDEX "template_techniques_technique_idx" ON "template_techniques" USING btree ("technique_id","template_id");--> statement-breakpoint
CREATE UNIQUE INDEX "test_templates_source_key" ON "test_templates" USING btree ("source","source_id");--> statement-breakpoint
CREATE INDEX "test_templates_active_idx" ON "test_templates" USING btree ("active");--> statement-breakpoint
CREATE INDEX "test_templates_platforms_idx" ON "test_templates" USING gin ("platforms");--> statement-breakpoint
CREATE INDEX "test_templates_tactics_idx" ON "test_templates" USING gin ("tactics");--> statement-breakpoint
CREATE INDEX "test_templates_name_idx" ON "test_templates" USING btree ("name");