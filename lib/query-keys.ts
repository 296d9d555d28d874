import type { CostQuery } from "./schemas/cost";
import type { ListIncidentsQuery, ListWorkloadsQuery } from "./schemas/lists";

/** TanStack Query keys, entity -> scope -> params, always carrying the org (shared by server prefetch and client hooks). */
export const queryKeys = {
  workloads: (org: string, cluster: string, q: ListWorkloadsQuery) => ["workloads", org, cluster, q] as const,
  incidents: (org: string, q: ListIncidentsQuery) => ["incidents", org, q] as const,
  incident: (org: string, id: string) => ["incident", org, id] as const,
  cost: (org: string, q: CostQuery) => ["cost", org, q] as const,
};

/** A query object as a URL query string, without empty values. */
export const toQueryString = (q: Record<string, string | number | undefined>) =>
  new URLSearchParams(Object.entries(q).filter(([, v]) => v !== undefined && v !== "").map(([k, v]) => [k, String(v)])).toString();

export interface ContainerKey {
  cluster: string;
  namespace: string;
  kind: string;
  name: string;
  container: string;
}

/** Key of the container page's data. */
export const containerKey = (org: string, c: ContainerKey, q: { window: string; pod?: string }) => ["container", org, c, q] as const;

/** API path of a container's view. */
export const containerApiPath = (org: string, c: ContainerKey) =>
  `/api/v1/orgs/${org}/clusters/${encodeURIComponent(c.cluster)}/containers/${encodeURIComponent(c.namespace)}/${c.kind.toLowerCase()}/${encodeURIComponent(c.name)}/${encodeURIComponent(c.container)}`;
