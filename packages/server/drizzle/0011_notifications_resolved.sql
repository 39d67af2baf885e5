DROP INDEX "notifications_unread_idx";--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "resolved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "resolved_reason" text;--> statement-breakpoint
CREATE INDEX "notifications_open_idx" ON "notifications" USING btree ("user_id") WHERE "notifications"."read_at" is null and "notifications"."resolved_at" is null;--> statement-breakpoint
CREATE INDEX "notifications_entity_open_idx" ON "notifications" USING btree ("entity_type","entity_id","kind") WHERE "notifications"."resolved_at" is null;