ALTER TABLE "import_runs" ADD COLUMN "heartbeat_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "source_sync_runs" ADD COLUMN "heartbeat_at" timestamp with time zone;