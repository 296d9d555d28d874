import "server-only";
import type { Db } from "@/db/connect";
import { anchorNow } from "@/lib/incidents/analyze";
import { refKey, type ContainerRef } from "@/lib/metrics";
import { sourcesForOrg } from "@/lib/metrics/for-cluster";
import { listLimitedContainers, type LimitedContainer } from "@/lib/queries/overview";

export interface AtRiskRow extends LimitedContainer {
  workingSetBytes: number;
  usageOfLimit: number;
}

/** A cluster whose live usage could not be read for the overview, and why. */
export interface UnavailableCluster {
  cluster: string;
  reason: string;
}

/** How long the overview waits for one cluster's live usage: a slow Prometheus must not stall the page. */
const LIVE_BUDGET_MS = 5_000;

/**
 * The containers whose working set is closest to their limit, across the organization's clusters,
 * read in parallel; a cluster that cannot answer within LIVE_BUDGET_MS is listed with its reason.
 */
export function listAtRisk(db: Db, q: { orgId: string; now: Date; limit: number }): Promise<{ rows: AtRiskRow[]; unavailable: UnavailableCluster[] }> {
  // one read per organization, minute and length, shared by the loads of that minute
  const key = `${q.orgId}|${anchorNow(q.now.getTime() / 1000)}|${q.limit}`;
  const hit = memo.get(key);
  if (hit) return hit;
  for (const k of memo.keys()) if (k.split("|")[1] !== key.split("|")[1]) memo.delete(k);
  const work = readAtRisk(db, q);
  memo.set(key, work);
  work.catch(() => memo.delete(key));
  return work;
}

const memo = new Map<string, Promise<{ rows: AtRiskRow[]; unavailable: UnavailableCluster[] }>>();

async function readAtRisk(db: Db, q: { orgId: string; now: Date; limit: number }): Promise<{ rows: AtRiskRow[]; unavailable: UnavailableCluster[] }> {
  // two statements whatever the number of clusters: the containers and every cluster's source
  const [all, sources] = await Promise.all([listLimitedContainers(db, { orgId: q.orgId }), sourcesForOrg(db, { orgId: q.orgId })]);
  const byCluster = new Map<string, LimitedContainer[]>();
  for (const c of all) (byCluster.get(c.cluster) ?? byCluster.set(c.cluster, []).get(c.cluster)!).push(c);
  // anchored as the verdicts are: reloads within a minute show the same usage
  const at = anchorNow(q.now.getTime() / 1000);
  const unavailable: UnavailableCluster[] = [];
  const perCluster = await Promise.all(
    [...byCluster].map(async ([cluster, list]) => {
      const { source, problem } = sources.get(cluster) ?? { source: null, problem: "cluster not found" };
      if (!source) {
        if (problem) unavailable.push({ cluster, reason: problem });
        return [];
      }
      const refs: ContainerRef[] = list.map((c) => ({
        cluster: c.cluster, namespace: c.namespace, workloadKind: c.workloadKind, workloadName: c.workloadName, container: c.container,
      }));
      let timer: NodeJS.Timeout | undefined;
      const budget = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${LIVE_BUDGET_MS / 1000} s`)), LIVE_BUDGET_MS);
      });
      try {
        const latest = await Promise.race([source.latestWorkingSet(refs, at), budget]);
        return list.flatMap((c, i) => {
          const ws = latest.get(refKey(refs[i]!));
          return ws === undefined ? [] : [{ ...c, workingSetBytes: ws, usageOfLimit: ws / c.limitBytes }];
        });
      } catch (e) {
        unavailable.push({ cluster, reason: (e as Error).message });
        return [];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const rows = perCluster.flat().sort((a, b) => b.usageOfLimit - a.usageOfLimit).slice(0, q.limit);
  return { rows, unavailable: unavailable.sort((a, b) => a.cluster.localeCompare(b.cluster)) };
}
