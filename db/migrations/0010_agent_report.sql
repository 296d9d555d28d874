ALTER TABLE "agent_tokens" ADD COLUMN "agent_version" text;--> statement-breakpoint
ALTER TABLE "agent_tokens" ADD COLUMN "agent_memory_bytes" bigint;