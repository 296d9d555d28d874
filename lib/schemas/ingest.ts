import { z } from "zod";
import { isDnsLabel, isDnsSubdomain } from "@/lib/analysis/names";
import { TERMINATION_REASONS } from "@/lib/kube/terminations";

const label = z.string().refine(isDnsLabel, "a Kubernetes name (lower-case letters, digits and '-', at most 63)");
const objectName = z.string().refine(isDnsSubdomain, "a Kubernetes object name (lower-case letters, digits, '-' and '.', at most 253)");

export const WORKLOAD_KINDS = ["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicaSet", "Pod"] as const;
export const MAX_BATCH_TERMINATIONS = 5_000;

/** One termination as the agent reports it (lib/kube/terminations plus the pod's owning workload). */
export const ingestTerminationSchema = z.object({
  podUid: z.string().min(1).max(64),
  pod: objectName,
  namespace: label,
  workloadKind: z.enum(WORKLOAD_KINDS),
  workloadName: objectName,
  // empty for a pod-level event (an eviction)
  container: z.union([label, z.literal("")]),
  containerKind: z.enum(["main", "init", "sidecar"]).default("main"),
  reason: z.enum(TERMINATION_REASONS),
  exitCode: z.number().int().min(-1).max(255).nullable().default(null),
  finishedAt: z.iso.datetime({ offset: true }),
  restartCount: z.number().int().min(0).max(10_000_000).default(0),
  node: objectName.nullable().default(null),
  message: z.string().max(500).nullable().default(null),
});
export type IngestTermination = z.infer<typeof ingestTerminationSchema>;

/** A batch the agent pushes to POST /api/v1/ingest. The agent, the route and the tests import it. */
export const ingestBatchSchema = z.object({
  agent: z.object({ version: z.string().max(40), memoryBytes: z.number().int().nonnegative().optional() }).optional(),
  terminations: z.array(ingestTerminationSchema).max(MAX_BATCH_TERMINATIONS).default([]),
});
export type IngestBatch = z.infer<typeof ingestBatchSchema>;
