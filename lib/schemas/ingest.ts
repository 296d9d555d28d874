import { z } from "zod";
import { isDnsLabel, isDnsSubdomain } from "@/lib/analysis/names";
import { SNAPSHOT_LIMITS, SNAPSHOT_WORKLOAD_KINDS } from "@/lib/kube/snapshot";
import { isLabelKey, isLabelValue, MAX_WORKLOAD_LABELS } from "@/lib/kube/labels";
import { TERMINATION_REASONS } from "@/lib/kube/terminations";

const label = z.string().refine(isDnsLabel, "a Kubernetes name (lower-case letters, digits and '-', at most 63)");
const objectName = z.string().refine(isDnsSubdomain, "a Kubernetes object name (lower-case letters, digits, '-' and '.', at most 253)");

export const WORKLOAD_KINDS = SNAPSHOT_WORKLOAD_KINDS;
export const MAX_BATCH_TERMINATIONS = 5_000;
/** the most a snapshot may carry in one batch: a larger cluster's complete snapshot comes in parts (chunk) */
export const MAX_SNAPSHOT_WORKLOADS = SNAPSHOT_LIMITS.workloads;
export const MAX_SNAPSHOT_PODS = SNAPSHOT_LIMITS.pods;
export const MAX_SNAPSHOT_NODES = SNAPSHOT_LIMITS.nodes;
/** the most parts a complete relist comes in (each within the limits above) */
export const MAX_SNAPSHOT_CHUNKS = 1_000;
export const MAX_WORKLOAD_CONTAINERS = 64;
const MAX_ARG_CHARS = 8_192;

/**
 * One termination as the agent reports it (lib/kube/terminations plus the pod's owning workload). A
 * node's SystemOOM names no workload: `pod` is the node, `podUid` the Event's uid (`event:<uid>`), the
 * container empty, so that each occurrence is stored once by the same unique index as kills.
 */
export const ingestTerminationSchema = z.object({
  podUid: z.string().min(1).max(64),
  pod: objectName,
  namespace: label,
  workloadKind: z.enum(WORKLOAD_KINDS).nullable(),
  workloadName: objectName.nullable(),
  // empty for a pod-level event (an eviction)
  container: z.union([label, z.literal("")]),
  containerKind: z.enum(["main", "init", "sidecar"]).default("main"),
  reason: z.enum(TERMINATION_REASONS),
  exitCode: z.number().int().min(-1).max(255).nullable().default(null),
  finishedAt: z.iso.datetime({ offset: true }),
  restartCount: z.number().int().min(0).max(10_000_000).default(0),
  node: objectName.nullable().default(null),
  message: z.string().max(500).nullable().default(null),
}).superRefine((t, ctx) => {
  // only a node's SystemOOM belongs to no workload
  if (t.reason !== "SystemOOM" && (t.workloadKind === null || t.workloadName === null)) {
    ctx.addIssue({ code: "custom", path: [t.workloadKind === null ? "workloadKind" : "workloadName"], message: "a pod's termination names its workload" });
  }
});
export type IngestTermination = z.infer<typeof ingestTerminationSchema>;

const bytes = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).nullable();
const strings = (what: string) => z.array(z.string().max(MAX_ARG_CHARS, `each ${what} item is at most ${MAX_ARG_CHARS} characters`)).max(256, `at most 256 ${what} items`).nullable();

/** A workload container's spec as the API shows it (lib/kube/snapshot SnapshotContainer). */
export const snapshotContainerSchema = z.object({
  name: label,
  kind: z.enum(["main", "init", "sidecar"]),
  image: z.string().max(1024).nullable(),
  command: strings("command"),
  args: strings("args"),
  env: z
    .record(z.string().min(1).max(256), z.string().max(MAX_ARG_CHARS, `each env value is at most ${MAX_ARG_CHARS} characters`))
    .refine((e) => Object.keys(e).length <= 512, "at most 512 env variables")
    .nullable(),
  requestBytes: bytes,
  limitBytes: bytes,
  memoryVolumes: z.array(z.object({ name: label, sizeLimitBytes: bytes, mountPath: z.string().min(1).max(4096) })).max(64).default([]),
});

export const snapshotWorkloadSchema = z.object({
  kind: z.enum(WORKLOAD_KINDS),
  namespace: label,
  name: objectName,
  replicas: z.number().int().min(0).max(1_000_000),
  containers: z.array(snapshotContainerSchema).max(MAX_WORKLOAD_CONTAINERS, `at most ${MAX_WORKLOAD_CONTAINERS} containers per workload`),
  /** the workload object's labels; absent: not read (the stored ones stand) */
  labels: z
    .record(z.string(), z.string())
    .superRefine((l, ctx) => {
      const keys = Object.keys(l);
      if (keys.length > MAX_WORKLOAD_LABELS) return void ctx.addIssue({ code: "custom", message: `at most ${MAX_WORKLOAD_LABELS} labels per workload` });
      for (const k of keys) {
        if (!isLabelKey(k)) ctx.addIssue({ code: "custom", path: [k], message: "not a Kubernetes label key ([prefix/]name: the name at most 63 letters, digits, '-', '_' and '.')" });
        else if (!isLabelValue(l[k]!)) ctx.addIssue({ code: "custom", path: [k], message: "not a Kubernetes label value (at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit)" });
      }
    })
    .optional(),
});

export const snapshotPodSchema = z.object({
  uid: z.string().min(1).max(64),
  namespace: label,
  name: objectName,
  workloadKind: z.enum(WORKLOAD_KINDS),
  workloadName: objectName,
  node: objectName.nullable(),
  phase: z.string().min(1).max(32),
  startedAt: z.iso.datetime({ offset: true }).nullable(),
});

export const snapshotNodeSchema = z.object({
  name: objectName,
  allocatableMemoryBytes: bytes,
  capacityMemoryBytes: bytes,
  memoryPressure: z.boolean(),
  instanceType: z.string().max(256).nullable(),
});

/** The inventory (lib/kube/snapshot InventorySnapshot): complete after a relist, or the changes since the last one. */
export const inventorySnapshotSchema = z.object({
  complete: z.boolean(),
  namespaces: z.array(label).max(10_000).nullable().default(null),
  workloads: z.array(snapshotWorkloadSchema).max(MAX_SNAPSHOT_WORKLOADS, `at most ${MAX_SNAPSHOT_WORKLOADS} workloads in one snapshot`).default([]),
  pods: z.array(snapshotPodSchema).max(MAX_SNAPSHOT_PODS, `at most ${MAX_SNAPSHOT_PODS} pods in one snapshot`).default([]),
  nodes: z.array(snapshotNodeSchema).max(MAX_SNAPSHOT_NODES, `at most ${MAX_SNAPSHOT_NODES} nodes in one snapshot`).default([]),
  removedPods: z.array(z.string().min(1).max(64)).max(MAX_SNAPSHOT_PODS).default([]),
  /** one part of a complete relist bigger than the limits above (lib/kube/snapshot chunkSnapshot) */
  chunk: z
    .object({
      id: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, "1 to 64 letters, digits and '-'"),
      index: z.number().int().min(0),
      count: z.number().int().min(1).max(MAX_SNAPSHOT_CHUNKS, `at most ${MAX_SNAPSHOT_CHUNKS} parts`),
    })
    .refine((c) => c.index < c.count, { path: ["index"], message: "a part's index is below the count of parts" })
    .optional(),
}).superRefine((s, ctx) => {
  if (s.chunk && !s.complete) ctx.addIssue({ code: "custom", path: ["chunk"], message: "only a complete snapshot comes in parts" });
});
export type IngestSnapshot = z.infer<typeof inventorySnapshotSchema>;

/** A batch the agent pushes to POST /api/v1/ingest. The agent, the route and the tests import it. */
export const ingestBatchSchema = z.object({
  agent: z.object({ version: z.string().max(40), memoryBytes: z.number().int().nonnegative().optional() }).optional(),
  terminations: z.array(ingestTerminationSchema).max(MAX_BATCH_TERMINATIONS).default([]),
  snapshot: inventorySnapshotSchema.optional(),
});
export type IngestBatch = z.infer<typeof ingestBatchSchema>;
