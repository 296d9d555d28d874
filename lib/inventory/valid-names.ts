import { invalidName } from "@/lib/analysis";
import type { ClusterContainerHistory } from "@/lib/metrics/prometheus-source";

/**
 * Splits a whole-cluster read into the containers whose names Kubernetes would accept and the ones
 * it would refuse (forged or relabelled series): those are skipped, never analysed and never put into
 * a command, and named so the sync and the command can report them.
 */
export function splitByValidNames(history: ClusterContainerHistory[]): { valid: ClusterContainerHistory[]; skipped: string[] } {
  const valid: ClusterContainerHistory[] = [];
  const skipped: string[] = [];
  for (const h of history) {
    const bad = invalidName({ namespace: h.workload.namespace, name: h.container.name, workload: { name: h.workload.name } }, h.pods.map((p) => p.pod));
    if (bad) skipped.push(`${JSON.stringify(`${h.workload.namespace}/${h.workload.name}/${h.container.name}`)} (${bad[0].replace(/^container\./, "")} ${bad[1]})`);
    else valid.push(h);
  }
  return { valid, skipped };
}

/** One sentence naming skipped containers, at most five of them. */
export const skippedSentence = (skipped: string[]) =>
  skipped.length === 0 ? null : `skipped ${skipped.length} container${skipped.length === 1 ? "" : "s"} whose names Kubernetes would refuse: ${skipped.slice(0, 5).join("; ")}${skipped.length > 5 ? "; …" : ""}`;
