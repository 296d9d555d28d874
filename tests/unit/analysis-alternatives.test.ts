// The domain guide's alternative (fewer replicas with more memory each, at no more than today's cost):
// when it is offered, the sizes and the equal-cost arithmetic, and why it is not offered otherwise.
import { describe, expect, it } from "vitest";
import { fewerReplicas } from "@/lib/analysis/alternatives";
import { Mi } from "@/lib/analysis/quantity";
import { recommend } from "@/lib/analysis/recommend";
import type { Summary } from "@/lib/analysis/stats";
import type { ContainerInput, Pattern } from "@/lib/analysis/types";

const PRICE = { currency: "USD", perGiBMonth: 3.2 };
// a spiky service: sits at 200Mi, bursts to 500Mi; killed at 512Mi
const STATS: Summary = { mean: 205 * Mi, p50: 200 * Mi, p95: 220 * Mi, p99: 300 * Mi, max: 500 * Mi };
const container = (over: Partial<ContainerInput> = {}, replicas = 3): ContainerInput => ({
  name: "cart", namespace: "checkout", workload: { kind: "Deployment", name: "cart-service", replicas }, requestBytes: 256 * Mi, limitBytes: 512 * Mi, ...over,
});
const offer = (c: ContainerInput, pattern: Pattern = "spike", stats = STATS, pricing: typeof PRICE | null = PRICE) =>
  fewerReplicas(c, stats, { pattern, oomKilled: true, rec: recommend(c, stats, true), pricing });

describe("fewer replicas with more memory, at no more than today's cost", () => {
  it("3 x 256Mi becomes 2 x 384Mi: the same 768Mi, the same $2.40/mo, where the recommendation costs $3.60", () => {
    const c = container();
    // the recommendation alone: 3 x 384Mi request, 768Mi limit
    expect(recommend(c, STATS, true)).toMatchObject({ request: "384Mi", limit: "768Mi" });
    const o = offer(c);
    expect(o).toEqual({
      offered: true, fromReplicas: 3, replicas: 2, loadFactor: 1.5,
      request: "384Mi", limit: "768Mi", requestBytes: 384 * Mi, limitBytes: 768 * Mi,
      currency: "USD", todayMonthly: 2.4, recommendedMonthly: 3.6, alternativeMonthly: 2.4,
      basis: expect.stringMatching(/^each of 2 pods takes 1\.5x today's load: the median working set scaled by 3\/2, bursts above it kept; then p95 of working set \+ 20% = /),
      commands: {
        resources: "kubectl set resources deployment/cart-service -n checkout -c cart --limits=memory=768Mi --requests=memory=384Mi",
        env: null,
        scale: "kubectl scale deployment/cart-service -n checkout --replicas=2",
      },
    });
  });

  it("needs the alternative to fit today's budget to the byte: 1Mi less today and per-replica memory is what limits", () => {
    const o = offer(container({ requestBytes: 255 * Mi }));
    expect(o).toEqual({
      offered: false,
      reason: "Per-replica memory is what limits this workload: with 2 replicas each pod would carry 1.5x today's load and need a 384Mi request (2 × 384Mi = 768Mi), more than today's 3 × 255Mi = 765Mi.",
    });
  });

  it("projects the load: the median scales by replicas / fewer, the burst above it does not", () => {
    // a StatefulSet sizes its limit from p99 (x1.3): 3 -> 2 adds 100Mi (half the 200Mi median) to the 450Mi p99,
    // 550Mi x 1.3 = 715Mi -> 768Mi; scaling the burst too (675Mi x 1.3 = 877Mi) would give 1Gi
    const stats: Summary = { mean: 205 * Mi, p50: 200 * Mi, p95: 220 * Mi, p99: 450 * Mi, max: 500 * Mi };
    const c = container({ workload: { kind: "StatefulSet", name: "cart-service", replicas: 3 } });
    expect(offer(c, "spike", stats)).toMatchObject({ offered: true, replicas: 2, request: "384Mi", limit: "768Mi", loadFactor: 1.5 });
  });

  it("takes the most replicas that fit, down to half of today's and no further", () => {
    // a median of 240Mi on 10 replicas: 9..6 need more than 10 x 256Mi; 5 pods of 512Mi (480Mi median) fit exactly
    const stats: Summary = { mean: 240 * Mi, p50: 240 * Mi, p95: 250 * Mi, p99: 250 * Mi, max: 500 * Mi };
    expect(offer(container({}, 10), "spike", stats)).toMatchObject({ offered: true, replicas: 5, request: "512Mi", todayMonthly: 8, recommendedMonthly: 12, alternativeMonthly: 8 });
    expect(offer(container({ requestBytes: 255 * Mi }, 10), "spike", stats)).toMatchObject({ offered: false, reason: expect.stringMatching(/^Per-replica memory is what limits this workload: with 9 replicas/) });
  });

  it("a StatefulSet qualifies like a Deployment", () => {
    expect(offer(container({ workload: { kind: "StatefulSet", name: "cart-service", replicas: 3 } })).offered).toBe(true);
  });

  it("says why it is not offered", () => {
    expect(offer(container({ workload: { kind: "DaemonSet", name: "x", replicas: 6 } }))).toEqual({ offered: false, reason: "Only for Deployments and StatefulSets: a DaemonSet's number of pods is not a sizing choice." });
    expect(offer(container(), "leak")).toEqual({ offered: false, reason: "Not for a leak: memory grows in every pod whatever their number; bigger pods only die later. Fix the leak." });
    expect(offer(container(), "healthy")).toEqual({ offered: false, reason: "No OOMKills to trade replicas for: the pods are not short of memory." });
    expect(offer(container(), "spike", STATS, null)).toEqual({ offered: false, reason: "No memory price for this cluster: costs cannot be compared." });
    // a recommendation that keeps today's request costs nothing more: nothing to offset
    expect(offer(container({ requestBytes: 384 * Mi }))).toEqual({ offered: false, reason: "The recommendation costs no more than today: there is nothing to offset." });
    expect(offer(container({}, 2))).toEqual({ offered: false, reason: "With 2 replicas there is none to spare: fewer than 2 would leave the workload down during a rollout or a node drain." });
  });
});
