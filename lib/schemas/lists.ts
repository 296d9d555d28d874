import { z } from "zod";

const page = z.coerce.number().int().min(1).max(100_000).default(1);
const pageSize = z.coerce.number().int().min(1).max(200).default(25);
const text = z.string().trim().max(200).optional();

/** The engine's patterns (lib/analysis Pattern), as stored on incidents. */
export const INCIDENT_PATTERNS = ["leak", "limit_too_low", "spike", "healthy", "insufficient_data"] as const;

export const WORKLOAD_SORTS = ["namespace", "kind", "name", "containers", "request", "limit", "ooms"] as const;

/** Query of the cluster workloads table. `pattern`: the verdict of the workload's unresolved incident. */
export const listWorkloadsQuery = z.object({
  q: text,
  namespace: text,
  pattern: z.enum(INCIDENT_PATTERNS).optional(),
  sort: z.enum(WORKLOAD_SORTS).default("ooms"),
  dir: z.enum(["asc", "desc"]).default("desc"),
  page,
  pageSize,
});
export type ListWorkloadsQuery = z.infer<typeof listWorkloadsQuery>;

export const CLUSTER_SORTS = ["name", "workloads", "ooms", "incidents", "cost", "change", "sync"] as const;
export type ClusterSort = (typeof CLUSTER_SORTS)[number];

/** Query of the clusters list: `q` matches a cluster's name, slug, provider or region. */
export const listClustersQuery = z.object({
  q: text,
  sort: z.enum(CLUSTER_SORTS).default("name"),
  dir: z.enum(["asc", "desc"]).default("asc"),
  page,
  pageSize,
});
export type ListClustersQuery = z.infer<typeof listClustersQuery>;

export const INCIDENT_STATUSES = ["open", "acknowledged", "resolved"] as const;
/**
 * The list's status filter. A snoozed incident (unresolved, its snooze not yet over) is only
 * "snoozed": not "open", "acknowledged" or "active" until its snooze ends, so the counts add up.
 */
export const INCIDENT_STATUS_FILTERS = ["open", "acknowledged", "snoozed", "resolved", "active", "all"] as const;
export type IncidentStatusFilter = (typeof INCIDENT_STATUS_FILTERS)[number];
export const INCIDENT_SORTS = ["lastSeen", "firstSeen", "kills", "workload"] as const;
export type IncidentSort = (typeof INCIDENT_SORTS)[number];

/** Query of the incidents list. `assignee`: me, anyone (assigned at all), unassigned, or a member's user id. */
export const listIncidentsQuery = z.object({
  cluster: text,
  namespace: text,
  pattern: z.enum(INCIDENT_PATTERNS).optional(),
  status: z.enum(INCIDENT_STATUS_FILTERS).default("all"),
  assignee: z.union([z.enum(["me", "anyone", "unassigned"]), z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "me, anyone, unassigned or a member's user id")]).optional(),
  sort: z.enum(INCIDENT_SORTS).default("lastSeen"),
  dir: z.enum(["asc", "desc"]).default("desc"),
  page,
  pageSize,
});
export type ListIncidentsQuery = z.infer<typeof listIncidentsQuery>;

export const CHART_WINDOWS = { "24h": 86_400, "7d": 7 * 86_400, "30d": 30 * 86_400 } as const;

/** Query of the container page: the chart window and, optionally, which pod to chart. */
export const containerViewQuery = z.object({
  window: z.enum(["24h", "7d", "30d"]).default("7d"),
  pod: z.string().trim().min(1).max(253).optional(),
});
export type ContainerViewQuery = z.infer<typeof containerViewQuery>;
