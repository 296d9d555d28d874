import "server-only";
import type { Db } from "@/db/connect";
import { refKey, type ContainerRef } from "@/lib/metrics";
import { sourceForCluster } from "@/lib/metrics/for-cluster";
import { listLimitedContainers, type LimitedContainer } from "@/lib/queries/overview";

export interface AtRiskRow extends LimitedContainer {
  workingSetBytes: number;
  usageOfLimit: number;
}

/** The containers whose latest working set is closest to their limit, across the organization's clusters. */
export async function listAtRisk(db: Db, q: { orgId: string; now: Date; limit: number }): Promise<AtRiskRow[]> {
  const all = await listLimitedContainers(db, { orgId: q.orgId });
  const byCluster = new Map<string, LimitedContainer[]>();
  for (const c of all) byCluster.set(c.cluster, [...(byCluster.get(c.cluster) ?? []), c]);
  const out: AtRiskRow[] = [];
  const at = Math.floor(q.now.getTime() / 1000);
  for (const list of byCluster.values()) {
    const { source } = await sourceForCluster(db, { orgId: q.orgId, slug: list[0]!.cluster });
    if (!source) continue;
    const refs: ContainerRef[] = list.map((c) => ({
      cluster: c.cluster, namespace: c.namespace, workloadKind: c.workloadKind, workloadName: c.workloadName, container: c.container,
    }));
    // a cluster whose metrics cannot be read right now simply has no at-risk rows
    const latest = await source.latestWorkingSet(refs, at).catch(() => new Map<string, number>());
    list.forEach((c, i) => {
      const ws = latest.get(refKey(refs[i]!));
      if (ws !== undefined) out.push({ ...c, workingSetBytes: ws, usageOfLimit: ws / c.limitBytes });
    });
  }
  return out.sort((a, b) => b.usageOfLimit - a.usageOfLimit).slice(0, q.limit);
}
