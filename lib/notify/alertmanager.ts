import "server-only";
import crypto from "node:crypto";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { containers, incidents, pods, receivedAlerts, workloads } from "@/db/schema";
import { alertmanagerWebhookSchema, type AlertmanagerAlert } from "@/lib/schemas/alertmanager";
import { listClusterLabels, type ClusterLabels } from "./cluster-labels";

/** What became of a webhook's alerts. */
export interface ReceiveResult {
  received: number;
  matched: number;
  unmatched: number;
}

/** Where an alert points: a container (and its incident), or why it points nowhere we know. */
export interface AlertMatch {
  clusterId: string | null;
  workloadId: string | null;
  containerName: string | null;
  incidentId: string | null;
  unmatchedReason: string | null;
}

const unique = (xs: string[]) => [...new Set(xs)];
const pick = (labels: Record<string, string>, names: string[]) => {
  for (const n of names) if (labels[n]) return labels[n];
  return null;
};

/** Alertmanager's "no end yet": the zero time of Go. */
const endOf = (s: string | undefined) => (!s || s.startsWith("0001-01-01") ? null : new Date(s));

/** An alert's identity when Alertmanager sent no fingerprint (versions before 0.19): a hash of its sorted labels. */
const fingerprintOf = (a: AlertmanagerAlert) =>
  a.fingerprint ?? crypto.createHash("sha256").update(JSON.stringify(Object.entries(a.labels).sort(([x], [y]) => x.localeCompare(y)))).digest("hex").slice(0, 16);

/** The workload a pod name belongs to when no pod row names it: a Deployment's pods are `<name>-<hash>-<id>`, a StatefulSet's or DaemonSet's `<name>-<id>`. */
const podPrefixes = (pod: string) => {
  const parts = pod.split("-");
  return unique([parts.slice(0, -1).join("-"), parts.slice(0, -2).join("-")].filter(Boolean));
};

/** Finds the container (and its incident) an alert's labels name, among the organization's clusters only. */
export async function matchAlert(db: Db, q: { orgId: string; clusters: ClusterLabels[]; labels: Record<string, string> }): Promise<AlertMatch> {
  const none = (reason: string, clusterId: string | null = null, workloadId: string | null = null): AlertMatch => ({ clusterId, workloadId, containerName: null, incidentId: null, unmatchedReason: reason });
  const L = q.labels;
  let candidates = q.clusters.filter((c) => c.labels.clusterLabel && c.labels.clusterValue !== null && L[c.labels.clusterLabel] === c.labels.clusterValue);
  if (candidates.length === 0 && L.cluster) {
    candidates = q.clusters.filter((c) => c.slug === L.cluster || c.name === L.cluster);
    if (candidates.length === 0) return none(`no cluster of this organization is named "${L.cluster}" (or configured with that cluster label value)`);
  }
  if (candidates.length === 0) candidates = q.clusters;
  if (candidates.length === 0) return none("this organization has no clusters yet");
  const names = (k: "namespace" | "pod" | "container", extra: string[]) => unique([...candidates.flatMap((c) => [c.labels.ksm[k], c.labels.cadvisor[k]]), k, ...extra]);
  const namespace = pick(L, names("namespace", ["exported_namespace"]));
  const pod = pick(L, names("pod", ["exported_pod", "pod_name"]));
  const container = pick(L, names("container", ["exported_container", "container_name"]));
  if (!namespace) return none("the alert has no namespace label");
  const clusterIds = candidates.map((c) => c.id);
  let found: { clusterId: string; workloadId: string }[] = [];
  if (pod) {
    const rows = await db
      .select({ clusterId: pods.clusterId, workloadId: pods.workloadId })
      .from(pods)
      .where(and(eq(pods.orgId, q.orgId), inArray(pods.clusterId, clusterIds), eq(pods.namespace, namespace), eq(pods.name, pod)));
    found = rows.filter((r): r is { clusterId: string; workloadId: string } => r.workloadId !== null);
    if (found.length === 0) {
      const prefixes = podPrefixes(pod);
      if (prefixes.length) {
        found = await db
          .select({ clusterId: workloads.clusterId, workloadId: workloads.id })
          .from(workloads)
          .where(and(eq(workloads.orgId, q.orgId), inArray(workloads.clusterId, clusterIds), eq(workloads.namespace, namespace), inArray(workloads.name, prefixes)));
      }
    }
  } else {
    // kube-state-metrics' workload alerts (KubeDeploymentReplicasMismatch, KubeStatefulSetReplicasMismatch…) name the workload instead
    const byKind: [string, string | undefined][] = [["Deployment", L.deployment], ["StatefulSet", L.statefulset], ["DaemonSet", L.daemonset], ["Job", L.job_name], ["CronJob", L.cronjob]];
    const named = byKind.find(([, v]) => v);
    if (!named) return none("the alert names no pod (pod label) nor workload");
    found = await db
      .select({ clusterId: workloads.clusterId, workloadId: workloads.id })
      .from(workloads)
      .where(and(eq(workloads.orgId, q.orgId), inArray(workloads.clusterId, clusterIds), eq(workloads.namespace, namespace), eq(workloads.kind, named[0]), eq(workloads.name, named[1]!)));
  }
  const distinct = [...new Map(found.map((f) => [f.workloadId, f])).values()];
  const what = pod ? `pod ${namespace}/${pod}` : `workload in ${namespace}`;
  if (distinct.length === 0) return none(`${what} is not known on ${candidates.length === 1 ? candidates[0]!.slug : "any of this organization's clusters"}`);
  if (distinct.length > 1) return none(`${what} matches workloads on several clusters: add the cluster label to the alert`);
  const { clusterId, workloadId } = distinct[0]!;
  const list = await db.select({ name: containers.name, kind: containers.kind }).from(containers).where(and(eq(containers.orgId, q.orgId), eq(containers.workloadId, workloadId)));
  let name: string | null = null;
  if (container) {
    if (!list.some((c) => c.name === container)) return none(`container ${container} is not part of that workload`, clusterId, workloadId);
    name = container;
  } else {
    const main = list.filter((c) => c.kind === "main");
    if (main.length !== 1) return none(`the alert has no container label and the workload has ${main.length} containers`, clusterId, workloadId);
    name = main[0]!.name;
  }
  const [incident] = await db
    .select({ id: incidents.id })
    .from(incidents)
    .where(and(eq(incidents.orgId, q.orgId), eq(incidents.workloadId, workloadId), eq(incidents.containerName, name)))
    .orderBy(sql`${incidents.status} = 'resolved'`, desc(incidents.lastSeenAt))
    .limit(1);
  return { clusterId, workloadId, containerName: name, incidentId: incident?.id ?? null, unmatchedReason: null };
}

/**
 * Stores an Alertmanager webhook's alerts for the organization (zod-validated: a malformed body is a
 * ZodError, answered 400 with its paths): one row per alert occurrence (fingerprint + start), updated
 * when Alertmanager repeats or resolves it, each matched to a container and its incident where the
 * labels name one, otherwise kept as unmatched with the reason.
 */
export async function receiveAlerts(db: Db, q: { orgId: string; body: unknown; now: Date }): Promise<ReceiveResult> {
  const hook = alertmanagerWebhookSchema.parse(q.body);
  const clusterList = await listClusterLabels(db, { orgId: q.orgId });
  let matched = 0;
  for (const a of hook.alerts) {
    const m = await matchAlert(db, { orgId: q.orgId, clusters: clusterList, labels: a.labels });
    if (!m.unmatchedReason) matched++;
    const values = {
      orgId: q.orgId, fingerprint: fingerprintOf(a), alertname: a.labels.alertname!, status: a.status, severity: a.labels.severity ?? null,
      labels: a.labels, annotations: a.annotations, startsAt: new Date(a.startsAt), endsAt: endOf(a.endsAt), generatorUrl: a.generatorURL ?? null,
      receiver: hook.receiver || null, ...m, updatedAt: q.now,
    };
    const { orgId: _o, fingerprint: _f, startsAt: _s, ...update } = values;
    await db.insert(receivedAlerts).values({ ...values, receivedAt: q.now }).onConflictDoUpdate({ target: [receivedAlerts.orgId, receivedAlerts.fingerprint, receivedAlerts.startsAt], set: update });
  }
  return { received: hook.alerts.length, matched, unmatched: hook.alerts.length - matched };
}

export interface UnmatchedAlert {
  id: string;
  alertname: string;
  status: string;
  severity: string | null;
  labels: Record<string, string>;
  reason: string;
  startsAt: string;
  receivedAt: string;
}

/** The organization's alerts that matched no container, newest first. */
export async function listUnmatchedAlerts(db: Db, q: { orgId: string; limit?: number }): Promise<UnmatchedAlert[]> {
  const rows = await db
    .select()
    .from(receivedAlerts)
    .where(and(eq(receivedAlerts.orgId, q.orgId), sql`${receivedAlerts.unmatchedReason} is not null`))
    .orderBy(desc(receivedAlerts.updatedAt))
    .limit(Math.min(Math.max(q.limit ?? 50, 1), 200));
  return rows.map((r) => ({
    id: r.id, alertname: r.alertname, status: r.status, severity: r.severity, labels: r.labels, reason: r.unmatchedReason!,
    startsAt: r.startsAt.toISOString(), receivedAt: r.receivedAt.toISOString(),
  }));
}
