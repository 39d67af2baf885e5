DROP INDEX "d3fend_techniques_d3fend_id_key";--> statement-breakpoint
ALTER TABLE "d3fend_techniques" ADD COLUMN "iri" text;--> statement-breakpoint
-- Hand-written backfill: the IRI of every D3FEND 0.14.0 technique is its label without white space
-- (checked on all 193); the next sync rewrites them from upstream anyway, keeping implementation statuses.
UPDATE "d3fend_techniques" SET "iri" = 'd3f:' || regexp_replace("name", '\s', '', 'g');--> statement-breakpoint
ALTER TABLE "d3fend_techniques" ALTER COLUMN "iri" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "test_templates" ADD COLUMN "source_tactics" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
-- Hand-written backfill: until now `tactics` held the source's own value.
UPDATE "test_templates" SET "source_tactics" = "tactics";--> statement-breakpoint
CREATE UNIQUE INDEX "d3fend_techniques_iri_key" ON "d3fend_techniques" USING btree ("iri");--> statement-breakpoint
CREATE INDEX "d3fend_techniques_d3fend_id_idx" ON "d3fend_techniques" USING btree (upper("d3fend_id"));
