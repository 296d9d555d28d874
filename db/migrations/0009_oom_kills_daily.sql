CREATE TABLE "oom_kills_daily" (
	"org_id" uuid NOT NULL,
	"cluster_id" uuid NOT NULL,
	"workload_id" uuid,
	"container_name" text NOT NULL,
	"day" date NOT NULL,
	"kills" integer NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	CONSTRAINT "oom_kills_daily_uq" UNIQUE NULLS NOT DISTINCT("cluster_id","workload_id","container_name","day")
);
--> statement-breakpoint
ALTER TABLE "oom_kills_daily" ADD CONSTRAINT "oom_kills_daily_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oom_kills_daily" ADD CONSTRAINT "oom_kills_daily_cluster_id_clusters_id_fk" FOREIGN KEY ("cluster_id") REFERENCES "public"."clusters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oom_kills_daily" ADD CONSTRAINT "oom_kills_daily_workload_id_workloads_id_fk" FOREIGN KEY ("workload_id") REFERENCES "public"."workloads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "oom_kills_daily_org_day_idx" ON "oom_kills_daily" USING btree ("org_id","day");--> statement-breakpoint
CREATE INDEX "oom_events_org_kills_idx" ON "oom_events" USING btree ("org_id","finished_at","cluster_id","workload_id","container_name") WHERE reason = 'OOMKilled';--> statement-breakpoint
CREATE INDEX "oom_events_cluster_node_kills_idx" ON "oom_events" USING btree ("cluster_id","finished_at") WHERE reason in ('SystemOOM', 'Evicted');--> statement-breakpoint
-- The daily rollup is kept by the database itself, so every writer of oom_events keeps it exact: an
-- insert adds the OOMKills it stored (a duplicate dropped by ON CONFLICT is not in new_rows), a
-- delete takes its kills away and finds each touched day's latest kill again.
CREATE FUNCTION oom_kills_daily_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO oom_kills_daily (org_id, cluster_id, workload_id, container_name, day, kills, last_at)
  SELECT org_id, cluster_id, workload_id, container_name, (finished_at AT TIME ZONE 'UTC')::date, count(*)::int, max(finished_at)
  FROM new_rows WHERE reason = 'OOMKilled'
  GROUP BY 1, 2, 3, 4, 5
  -- one order for every writer: concurrent batches lock the rows they share in the same order
  ORDER BY 2, 3, 4, 5
  ON CONFLICT ON CONSTRAINT oom_kills_daily_uq DO UPDATE
    SET kills = oom_kills_daily.kills + excluded.kills, last_at = greatest(oom_kills_daily.last_at, excluded.last_at);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION oom_kills_daily_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE oom_kills_daily d
  SET kills = d.kills - g.n,
    last_at = CASE WHEN g.workload_id IS NULL THEN d.last_at ELSE coalesce((
      SELECT max(e.finished_at) FROM oom_events e
      WHERE e.workload_id = g.workload_id AND e.container_name = g.container_name AND e.reason = 'OOMKilled'
        AND e.finished_at >= g.day::timestamp AT TIME ZONE 'UTC' AND e.finished_at < (g.day + 1)::timestamp AT TIME ZONE 'UTC'), d.last_at) END
  FROM (
    SELECT cluster_id, workload_id, container_name, (finished_at AT TIME ZONE 'UTC')::date AS day, count(*)::int AS n
    FROM old_rows WHERE reason = 'OOMKilled' GROUP BY 1, 2, 3, 4
  ) g
  WHERE d.cluster_id = g.cluster_id AND d.container_name = g.container_name AND d.day = g.day
    AND coalesce(d.workload_id, '00000000-0000-0000-0000-000000000000') = coalesce(g.workload_id, '00000000-0000-0000-0000-000000000000');
  DELETE FROM oom_kills_daily d
  USING (SELECT DISTINCT org_id, (finished_at AT TIME ZONE 'UTC')::date AS day FROM old_rows WHERE reason = 'OOMKilled') g
  WHERE d.org_id = g.org_id AND d.day = g.day AND d.kills <= 0;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER oom_events_rollup_insert AFTER INSERT ON oom_events REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION oom_kills_daily_add();
--> statement-breakpoint
CREATE TRIGGER oom_events_rollup_delete AFTER DELETE ON oom_events REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION oom_kills_daily_remove();
--> statement-breakpoint
-- the kills stored before this migration
INSERT INTO oom_kills_daily (org_id, cluster_id, workload_id, container_name, day, kills, last_at)
SELECT org_id, cluster_id, workload_id, container_name, (finished_at AT TIME ZONE 'UTC')::date, count(*)::int, max(finished_at)
FROM oom_events WHERE reason = 'OOMKilled' GROUP BY 1, 2, 3, 4, 5;
