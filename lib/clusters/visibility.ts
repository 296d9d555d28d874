import { hasRole, type Role } from "@/lib/auth/roles";

/** A message with every URL (a Prometheus endpoint, a proxy) replaced: what a viewer may read of a sync or metrics error. */
export const scrubEndpoints = (text: string) => text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>)]*[^\s"'<>).,;:]/gi, "[endpoint hidden]");

/**
 * The cluster as a member of `role` may see it: below member, sync errors lose the endpoint URLs they
 * quote, and a Kubernetes read error (which names the API server's host and port) says only that it failed.
 */
export function clusterForRole<T extends { lastSyncError: string | null; kubeSyncError?: string | null }>(c: T, role: Role): T {
  if (hasRole(role, "member")) return c;
  return { ...c, lastSyncError: c.lastSyncError && scrubEndpoints(c.lastSyncError), ...(c.kubeSyncError ? { kubeSyncError: "the Kubernetes API could not be read (members see why)" } : {}) };
}

/** The container view as a member of `role` may see it (its metrics error scrubbed the same way). */
export function containerViewForRole<T extends { metricsError: string | null }>(v: T, role: Role): T {
  return hasRole(role, "member") || !v.metricsError ? v : { ...v, metricsError: scrubEndpoints(v.metricsError) };
}

/** A fleet view's list of clusters it could not read (cost, at risk) as a member of `role` may see it: endpoint URLs scrubbed below member. */
export function unavailableForRole<T extends { unavailable: { cluster: string; reason: string }[] }>(r: T, role: Role): T {
  return hasRole(role, "member") ? r : { ...r, unavailable: r.unavailable.map((u) => ({ ...u, reason: scrubEndpoints(u.reason) })) };
}

/** The at-risk view's per-cluster read problems as a member of `role` may see them: endpoint URLs scrubbed below member. */
export function clusterProblemsForRole<T extends { clusters: { problem: string | null }[] }>(r: T, role: Role): T {
  return hasRole(role, "member") ? r : { ...r, clusters: r.clusters.map((c) => ({ ...c, problem: c.problem && scrubEndpoints(c.problem) })) };
}
