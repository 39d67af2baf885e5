CREATE TABLE "snapshot_tactics" (
	"snapshot_id" uuid NOT NULL,
	"shortname" text NOT NULL,
	"name" text NOT NULL,
	"matrix_order" integer,
	"score" double precision,
	"threat_score" double precision,
	"technique_count" integer NOT NULL,
	CONSTRAINT "snapshot_tactics_snapshot_id_shortname_pk" PRIMARY KEY("snapshot_id","shortname")
);
--> statement-breakpoint
CREATE TABLE "snapshot_techniques" (
	"snapshot_id" uuid NOT NULL,
	"stix_id" text NOT NULL,
	"attack_id" text,
	"name" text NOT NULL,
	"tactics" text[] NOT NULL,
	"is_subtechnique" boolean NOT NULL,
	"in_scope" boolean NOT NULL,
	"status" text NOT NULL,
	"own_score" double precision,
	"aggregate_score" double precision,
	"c_tests" double precision,
	"c_rules" double precision,
	"c_d3fend" double precision,
	"c_fresh" double precision,
	"c_platform" double precision,
	"current_results" smallint,
	"deployed_rules" smallint,
	"last_validated_at" timestamp with time zone,
	CONSTRAINT "snapshot_techniques_snapshot_id_stix_id_pk" PRIMARY KEY("snapshot_id","stix_id")
);
--> statement-breakpoint
CREATE TABLE "snapshots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"taken_at" timestamp with time zone DEFAULT now() NOT NULL,
	"taken_by" uuid,
	"attack_release" text,
	"score_config_version" integer,
	"period_key" text,
	"org_score" double precision,
	"org_score_threat" double precision,
	"technique_count" integer DEFAULT 0 NOT NULL,
	"in_scope_count" integer DEFAULT 0 NOT NULL,
	"counts" jsonb NOT NULL,
	CONSTRAINT "snapshots_kind_check" CHECK ("snapshots"."kind" in ('manual', 'scheduled', 'pre-upgrade'))
);
--> statement-breakpoint
ALTER TABLE "snapshot_tactics" ADD CONSTRAINT "snapshot_tactics_snapshot_id_snapshots_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "public"."snapshots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "snapshot_techniques" ADD CONSTRAINT "snapshot_techniques_snapshot_id_snapshots_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "public"."snapshots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "snapshots" ADD CONSTRAINT "snapshots_taken_by_users_id_fk" FOREIGN KEY ("taken_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "snapshots_period_key" ON "snapshots" USING btree ("kind","period_key") WHERE "snapshots"."period_key" is not null;--> statement-breakpoint
CREATE INDEX "snapshots_taken_idx" ON "snapshots" USING btree ("taken_at","id");--> statement-breakpoint
CREATE INDEX "snapshots_kind_taken_idx" ON "snapshots" USING btree ("kind","taken_at","id");