import { z } from "zod";

const page = z.coerce.number().int().min(1).max(100_000).default(1);
const pageSize = z.coerce.number().int().min(1).max(200).default(25);
const text = z.string().trim().max(200).optional();

export const WORKLOAD_SORTS = ["namespace", "kind", "name", "containers", "request", "limit", "ooms"] as const;

/** Query of the cluster workloads table. */
export const listWorkloadsQuery = z.object({
  q: text,
  namespace: text,
  sort: z.enum(WORKLOAD_SORTS).default("ooms"),
  dir: z.enum(["asc", "desc"]).default("desc"),
  page,
  pageSize,
});
export type ListWorkloadsQuery = z.infer<typeof listWorkloadsQuery>;

export const INCIDENT_STATUSES = ["open", "acknowledged", "resolved"] as const;

/** Query of the incidents list. */
export const listIncidentsQuery = z.object({
  cluster: text,
  namespace: text,
  status: z.enum([...INCIDENT_STATUSES, "active", "all"]).default("all"),
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
