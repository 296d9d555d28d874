CREATE TABLE "ingest_batches" (
	"cluster_id" uuid NOT NULL,
	"key" varchar(200) NOT NULL,
	"payload_hash" text NOT NULL,
	"result" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ingest_batches_cluster_id_key_pk" PRIMARY KEY("cluster_id","key")
);
--> statement-breakpoint
ALTER TABLE "oom_events" ADD COLUMN "container_kind" text DEFAULT 'main' NOT NULL;--> statement-breakpoint
ALTER TABLE "oom_events" ADD COLUMN "message" text;--> statement-breakpoint
ALTER TABLE "ingest_batches" ADD CONSTRAINT "ingest_batches_cluster_id_clusters_id_fk" FOREIGN KEY ("cluster_id") REFERENCES "public"."clusters"("id") ON DELETE cascade ON UPDATE no action;