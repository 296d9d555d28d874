import { fixCommands } from "./commands";
import { formatQuantity } from "./quantity";
import { effectiveRequestBytes, planSizing, requestCost } from "./recommend";
import { shellJoin } from "./shell";
import type { Summary } from "./stats";
import type { ContainerInput, Pattern, Recommendation } from "./types";

/**
 * The domain guide's alternative to paying for more memory per replica: fewer replicas with more
 * memory each, at no more than today's cost ("Reduce replicas from 5 to 4 and increase memory = net
 * $0 cost change"). Offered only where it can hold: the pods die of load (a spike or a plateau at the
 * limit, not a leak), the workload is a Deployment or StatefulSet with replicas to spare, and the
 * recommendation costs more than today. Each remaining pod takes its share of the departed pods' load,
 * so its working set is projected before sizing: the median (what the pod holds for its share of the
 * traffic) scales by replicas / fewer, a burst above the median (one request's size) stays as it is.
 * Where even one replica fewer needs more memory than today's budget, per-replica memory is what limits
 * the workload, and the answer says so.
 */

export type FewerReplicas =
  | {
      offered: true;
      fromReplicas: number;
      replicas: number;
      /** each remaining pod's share of today's load: fromReplicas / replicas */
      loadFactor: number;
      request: string;
      limit: string;
      requestBytes: number;
      limitBytes: number;
      currency: string;
      /** monthly request cost: today, with the recommendation, with this alternative */
      todayMonthly: number;
      recommendedMonthly: number;
      alternativeMonthly: number;
      basis: string;
      /** apply in this order: the resources first (a rollout), then scale down */
      commands: { resources: string | null; env: string | null; scale: string };
    }
  | { offered: false; reason: string };

/** Whether fewer, bigger replicas can replace the recommendation at no more than today's cost, and with which sizes; or why not. */
export function fewerReplicas(
  c: ContainerInput,
  stats: Summary,
  q: { pattern: Pattern; oomKilled: boolean; rec: Recommendation; pricing: { currency?: string | null; perGiBMonth?: number | null } | null | undefined },
): FewerReplicas {
  const kind = (c.workload?.kind ?? "").toLowerCase();
  const n = Math.max(1, Math.round(c.workload?.replicas ?? 1));
  const no = (reason: string): FewerReplicas => ({ offered: false, reason });
  if ((kind !== "deployment" && kind !== "statefulset") || !c.workload?.name) {
    return no(`Only for Deployments and StatefulSets: a ${c.workload?.kind ?? "bare pod"}'s number of pods is not a sizing choice.`);
  }
  if (q.pattern === "leak") return no("Not for a leak: memory grows in every pod whatever their number; bigger pods only die later. Fix the leak.");
  if (q.pattern !== "spike" && q.pattern !== "limit_too_low") return no("No OOMKills to trade replicas for: the pods are not short of memory.");
  const today = requestCost(c, q.pricing);
  if (!today) return no("No memory price for this cluster: costs cannot be compared.");
  const recommended = requestCost({ ...c, requestBytes: q.rec.requestBytes }, q.pricing)!;
  if (recommended.monthlyTotal <= today.monthlyTotal) return no("The recommendation costs no more than today: there is nothing to offset.");
  if (n < 3) return no(`With ${n} replica${n === 1 ? "" : "s"} there is none to spare: fewer than 2 would leave the workload down during a rollout or a node drain.`);
  const budget = n * effectiveRequestBytes(c);
  let tightest: { m: number; request: number } | null = null;
  // one replica fewer first: the smallest change to capacity; never below 2 nor below half of today's replicas
  for (let m = n - 1; m >= Math.max(2, Math.ceil(n / 2)); m--) {
    const factor = n / m;
    const extra = stats.p50 * (factor - 1);
    const projected: Summary = { mean: stats.mean + extra, p50: stats.p50 + extra, p95: stats.p95 + extra, p99: stats.p99 + extra, max: stats.max + extra };
    const cm: ContainerInput = { ...c, workload: { ...c.workload, replicas: m } };
    const plan = planSizing(cm, projected, { oomKilled: q.oomKilled, leak: false });
    const rec = plan.rec;
    if (m * rec.requestBytes > budget) {
      tightest ??= { m, request: rec.requestBytes };
      continue;
    }
    const alt = requestCost({ ...cm, requestBytes: rec.requestBytes }, q.pricing)!;
    const fixes = fixCommands(cm, rec, { env: plan.env });
    return {
      offered: true, fromReplicas: n, replicas: m, loadFactor: Math.round(factor * 100) / 100,
      request: rec.request, limit: rec.limit, requestBytes: rec.requestBytes, limitBytes: rec.limitBytes,
      currency: today.currency, todayMonthly: today.monthlyTotal, recommendedMonthly: recommended.monthlyTotal, alternativeMonthly: alt.monthlyTotal,
      basis: `each of ${m} pods takes ${Math.round(factor * 100) / 100}x today's load: the median working set scaled by ${n}/${m}, bursts above it kept; then ${rec.basis}`,
      commands: { resources: fixes.kubectl, env: fixes.env, scale: shellJoin(["kubectl", "scale", `${kind}/${c.workload.name}`, ...(c.namespace ? ["-n", c.namespace] : []), `--replicas=${m}`]) },
    };
  }
  const t = tightest!;
  return no(
    `Per-replica memory is what limits this workload: with ${t.m} replicas each pod would carry ${Math.round((n / t.m) * 100) / 100}x today's load and need a ${formatQuantity(t.request)} request (${t.m} × ${formatQuantity(t.request)} = ${formatQuantity(t.m * t.request)}), more than today's ${n} × ${formatQuantity(effectiveRequestBytes(c))} = ${formatQuantity(budget)}.`,
  );
}
