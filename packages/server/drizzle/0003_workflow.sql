CREATE TABLE "evidence" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"test_case_id" uuid NOT NULL,
	"side" text NOT NULL,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"sha256" text NOT NULL,
	"blob_key" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"entity_type" text,
	"entity_id" text,
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "remediation_steps" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"test_case_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"assignee_id" uuid,
	"due_date" timestamp with time zone,
	"status" text DEFAULT 'open' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "coverage_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"technique_id" uuid NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"test_case_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "test_cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"technique_id" uuid NOT NULL,
	"tactic" text,
	"template_id" uuid,
	"campaign_id" uuid,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"platform" text,
	"state" text DEFAULT 'draft' NOT NULL,
	"expected_outcome" text,
	"created_by" uuid,
	"assigned_red_id" uuid,
	"assigned_blue_id" uuid,
	"procedure" text DEFAULT '' NOT NULL,
	"commands" text DEFAULT '' NOT NULL,
	"target_host" text,
	"execution_started_at" timestamp with time zone,
	"execution_ended_at" timestamp with time zone,
	"outcome" text,
	"outcome_explicit" boolean DEFAULT false NOT NULL,
	"detected_at" timestamp with time zone,
	"fired_rules" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"blue_notes" text DEFAULT '' NOT NULL,
	"retest_of_id" uuid,
	"chain_root_id" uuid,
	"retest_number" integer DEFAULT 0 NOT NULL,
	"validated_at" timestamp with time zone,
	"rejected_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "test_cases_state_check" CHECK ("test_cases"."state" in ('draft','red_executing','blue_evaluating','in_review','validated','rejected'))
);
--> statement-breakpoint
CREATE TABLE "test_tool_results" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"test_case_id" uuid NOT NULL,
	"tool" text NOT NULL,
	"outcome" text NOT NULL,
	"first_logged_at" timestamp with time zone,
	"detected_at" timestamp with time zone,
	"prevented_at" timestamp with time zone,
	"notes" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "test_transitions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"test_case_id" uuid NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"action" text NOT NULL,
	"actor_id" uuid,
	"comment" text DEFAULT '' NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "test_votes" (
	"test_case_id" uuid NOT NULL,
	"side" text NOT NULL,
	"voter_id" uuid NOT NULL,
	"decision" text NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"voted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "test_votes_test_case_id_side_pk" PRIMARY KEY("test_case_id","side")
);
--> statement-breakpoint
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_test_case_id_test_cases_id_fk" FOREIGN KEY ("test_case_id") REFERENCES "public"."test_cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remediation_steps" ADD CONSTRAINT "remediation_steps_test_case_id_test_cases_id_fk" FOREIGN KEY ("test_case_id") REFERENCES "public"."test_cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remediation_steps" ADD CONSTRAINT "remediation_steps_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remediation_steps" ADD CONSTRAINT "remediation_steps_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coverage_history" ADD CONSTRAINT "coverage_history_technique_id_attack_objects_id_fk" FOREIGN KEY ("technique_id") REFERENCES "public"."attack_objects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "test_cases" ADD CONSTRAINT "test_cases_technique_id_attack_objects_id_fk" FOREIGN KEY ("technique_id") REFERENCES "public"."attack_objects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "test_cases" ADD CONSTRAINT "test_cases_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "test_cases" ADD CONSTRAINT "test_cases_assigned_red_id_users_id_fk" FOREIGN KEY ("assigned_red_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "test_cases" ADD CONSTRAINT "test_cases_assigned_blue_id_users_id_fk" FOREIGN KEY ("assigned_blue_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "test_tool_results" ADD CONSTRAINT "test_tool_results_test_case_id_test_cases_id_fk" FOREIGN KEY ("test_case_id") REFERENCES "public"."test_cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "test_transitions" ADD CONSTRAINT "test_transitions_test_case_id_test_cases_id_fk" FOREIGN KEY ("test_case_id") REFERENCES "public"."test_cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "test_transitions" ADD CONSTRAINT "test_transitions_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "test_votes" ADD CONSTRAINT "test_votes_test_case_id_test_cases_id_fk" FOREIGN KEY ("test_case_id") REFERENCES "public"."test_cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "test_votes" ADD CONSTRAINT "test_votes_voter_id_users_id_fk" FOREIGN KEY ("voter_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "evidence_test_idx" ON "evidence" USING btree ("test_case_id","side","created_at");--> statement-breakpoint
CREATE INDEX "notifications_user_idx" ON "notifications" USING btree ("user_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "notifications_unread_idx" ON "notifications" USING btree ("user_id","read_at");--> statement-breakpoint
CREATE INDEX "notifications_cleanup_idx" ON "notifications" USING btree ("read_at");--> statement-breakpoint
CREATE INDEX "remediation_steps_test_idx" ON "remediation_steps" USING btree ("test_case_id");--> statement-breakpoint
CREATE INDEX "remediation_steps_assignee_idx" ON "remediation_steps" USING btree ("assignee_id","status");--> statement-breakpoint
CREATE INDEX "coverage_history_technique_idx" ON "coverage_history" USING btree ("technique_id","at");--> statement-breakpoint
CREATE INDEX "coverage_history_at_idx" ON "coverage_history" USING btree ("at");--> statement-breakpoint
CREATE INDEX "test_cases_technique_idx" ON "test_cases" USING btree ("technique_id","state");--> statement-breakpoint
CREATE INDEX "test_cases_state_idx" ON "test_cases" USING btree ("state","updated_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "test_cases_red_idx" ON "test_cases" USING btree ("assigned_red_id","state");--> statement-breakpoint
CREATE INDEX "test_cases_blue_idx" ON "test_cases" USING btree ("assigned_blue_id","state");--> statement-breakpoint
CREATE INDEX "test_cases_chain_idx" ON "test_cases" USING btree ("chain_root_id","retest_number");--> statement-breakpoint
CREATE UNIQUE INDEX "test_cases_retest_of_key" ON "test_cases" USING btree ("retest_of_id") WHERE "test_cases"."retest_of_id" is not null;--> statement-breakpoint
CREATE INDEX "test_cases_created_idx" ON "test_cases" USING btree ("created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "test_cases_template_idx" ON "test_cases" USING btree ("template_id");--> statement-breakpoint
CREATE INDEX "test_cases_campaign_idx" ON "test_cases" USING btree ("campaign_id");--> statement-breakpoint
CREATE UNIQUE INDEX "test_tool_results_test_tool_key" ON "test_tool_results" USING btree ("test_case_id","tool");--> statement-breakpoint
CREATE INDEX "test_transitions_test_idx" ON "test_transitions" USING btree ("test_case_id","at");