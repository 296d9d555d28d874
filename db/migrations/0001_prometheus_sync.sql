ALTER TABLE "clusters" ADD COLUMN "last_sync_error" text;--> statement-breakpoint
ALTER TABLE "clusters" ADD COLUMN "settings_updated_at" timestamp with time zone;