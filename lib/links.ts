import { kindSlug } from "./format";

export interface ContainerPath {
  cluster: string;
  namespace: string;
  workloadKind: string;
  workloadName: string;
  container: string;
}

/** URL of a workload container's analysis page. */
export const containerHref = (org: string, c: ContainerPath, window?: string) =>
  `/${org}/clusters/${encodeURIComponent(c.cluster)}/${encodeURIComponent(c.namespace)}/${kindSlug(c.workloadKind)}/${encodeURIComponent(c.workloadName)}/${encodeURIComponent(c.container)}${window ? `?window=${window}` : ""}`;

/** URL of a cluster's page. */
export const clusterHref = (org: string, cluster: string) => `/${org}/clusters/${encodeURIComponent(cluster)}`;

/** URL of an incident's page. */
export const incidentHref = (org: string, id: string) => `/${org}/incidents/${encodeURIComponent(id)}`;
