CREATE TABLE "claimed_layer_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"layer_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"original_technique_id" text NOT NULL,
	"technique_id" uuid,
	"resolution" text NOT NULL,
	"via" text[] DEFAULT '{}'::text[] NOT NULL,
	"original_tactic" text,
	"tactic" text,
	"score" double precision,
	"normalised_score" double precision,
	"color" text,
	"comment" text DEFAULT '' NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"metadata" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"links" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"claimed" boolean NOT NULL,
	"warnings" text[] DEFAULT '{}'::text[] NOT NULL,
	CONSTRAINT "claimed_layer_items_resolution_check" CHECK ("claimed_layer_items"."resolution" in ('active', 'revoked', 'deprecated', 'unknown'))
);
--> statement-breakpoint
CREATE TABLE "claimed_layers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"domain" text NOT NULL,
	"layer_version" text,
	"attack_version" text,
	"resolved_release" text,
	"source_filename" text NOT NULL,
	"source_index" integer DEFAULT 0 NOT NULL,
	"sha256" text NOT NULL,
	"gradient_min" double precision NOT NULL,
	"gradient_max" double precision NOT NULL,
	"claim_threshold" double precision DEFAULT 0 NOT NULL,
	"counts" jsonb NOT NULL,
	"warnings" jsonb NOT NULL,
	"imported_by" uuid,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "claimed_layer_items" ADD CONSTRAINT "claimed_layer_items_layer_id_claimed_layers_id_fk" FOREIGN KEY ("layer_id") REFERENCES "public"."claimed_layers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claimed_layer_items" ADD CONSTRAINT "claimed_layer_items_technique_id_attack_objects_id_fk" FOREIGN KEY ("technique_id") REFERENCES "public"."attack_objects"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claimed_layers" ADD CONSTRAINT "claimed_layers_imported_by_users_id_fk" FOREIGN KEY ("imported_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "claimed_layer_items_layer_idx" ON "claimed_layer_items" USING btree ("layer_id","position");--> statement-breakpoint
CREATE INDEX "claimed_layer_items_technique_idx" ON "claimed_layer_items" USING btree ("technique_id") WHERE "claimed_layer_items"."claimed";--> statement-breakpoint
CREATE INDEX "claimed_layers_imported_idx" ON "claimed_layers" USING btree ("imported_at","id");