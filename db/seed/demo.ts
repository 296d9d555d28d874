import type { Db } from "../connect";
import { clusters, containers, memberships, oomEvents, organizations, pods, users, workloads } from "../schema";
import { DEMO_FLEET, fleetPods, fleetSpec, mebibytes } from "@/lib/scenarios/demo-fleet";
import { scenarioTerminations } from "@/lib/scenarios";
import { syncIncidents } from "@/lib/inventory/store";
import { hashUnit, seedOf } from "@/lib/scenarios/random";
import { analyzeFromSource, containerInput } from "@/lib/incidents/analyze";
import { DemoSource } from "@/lib/metrics/demo-source";

export const DEMO_ORG_SLUG = "acme";
export const DEMO_USER_EMAIL = "demo@acme.example";
const HISTORY_SECONDS = 30 * 86_400;

export interface SeedResult {
  orgId: string;
  clusters: number;
  workloads: number;
  events: number;
  incidents: number;
}

/**
 * Creates (or brings up to date) the demo organization "Acme": three simulated clusters, their
 * workloads, and the last 30 days of OOMKills and incidents implied by the scenario models.
 * Idempotent: a second run reuses every row and only adds what happened since.
 */
export async function seedDemo(db: Db, opts: { now: number }): Promise<SeedResult> {
  const now = Math.floor(opts.now);
  return db.transaction(async (tx) => {
    const [org] = await tx
      .insert(organizations)
      .values({ slug: DEMO_ORG_SLUG, name: "Acme", isDemo: true })
      .onConflictDoUpdate({ target: organizations.slug, set: { isDemo: true } })
      .returning();
    const [user] = await tx
      .insert(users)
      .values({ email: DEMO_USER_EMAIL, name: "Demo Engineer" })
      .onConflictDoUpdate({ target: users.email, set: { name: "Demo Engineer" } })
      .returning();
    await tx.insert(memberships).values({ orgId: org!.id, userId: user!.id, role: "owner" }).onConflictDoNothing();

    let workloadCount = 0;
    let eventCount = 0;
    let incidentCount = 0;
    for (const fc of DEMO_FLEET) {
      const [cluster] = await tx
        .insert(clusters)
        .values({
          orgId: org!.id, slug: fc.slug, name: fc.name, provider: fc.provider, region: fc.region,
          connectionMode: "demo", metricsKind: "demo", pricePerGibMonth: fc.pricePerGibMonth, currency: "USD",
          lastSyncAt: new Date(now * 1000),
        })
        .onConflictDoUpdate({ target: [clusters.orgId, clusters.slug], set: { lastSyncAt: new Date(now * 1000) } })
        .returning();
      for (const fw of fc.workloads) {
        workloadCount++;
        const [workload] = await tx
          .insert(workloads)
          .values({ orgId: org!.id, clusterId: cluster!.id, kind: fw.kind, namespace: fw.namespace, name: fw.name, replicas: fw.replicas, labels: fw.labels ?? null })
          .onConflictDoUpdate({
            target: [workloads.clusterId, workloads.namespace, workloads.kind, workloads.name],
            set: { replicas: fw.replicas, labels: fw.labels ?? null, updatedAt: new Date(now * 1000) },
          })
          .returning();
        const podList = fleetPods(fc.slug, fw);
        const podRows = await tx
          .insert(pods)
          .values(
            podList.map((p) => ({
              orgId: org!.id, clusterId: cluster!.id, workloadId: workload!.id, uid: p.uid, namespace: fw.namespace,
              name: p.name, node: p.node, phase: "Running", startedAt: new Date((now - HISTORY_SECONDS) * 1000),
            })),
          )
          .onConflictDoUpdate({ target: [pods.clusterId, pods.uid], set: { updatedAt: new Date(now * 1000) } })
          .returning();
        for (const fcont of fw.containers) {
          await tx
            .insert(containers)
            .values({
              orgId: org!.id, workloadId: workload!.id, name: fcont.name, image: fcont.image,
              command: fcont.command ?? null, args: fcont.args ?? null, env: fcont.env ?? null,
              requestBytes: mebibytes(fcont.requestMi), limitBytes: mebibytes(fcont.limitMi),
            })
            .onConflictDoNothing();
          const kills: number[] = [];
          const eventRows: (typeof oomEvents.$inferInsert)[] = [];
          for (const pod of podList) {
            const row = podRows.find((r) => r.uid === pod.uid)!;
            const startedAt = Math.floor(row.startedAt!.getTime() / 1000);
            const terms = scenarioTerminations(fleetSpec(fc.slug, fw, fcont, pod), startedAt, now);
            terms.forEach((term, i) => {
              kills.push(term.at);
              if (term.at < now - HISTORY_SECONDS) return;
              eventRows.push({
                orgId: org!.id, clusterId: cluster!.id, workloadId: workload!.id, namespace: fw.namespace,
                podName: pod.name, podUid: pod.uid, containerName: fcont.name, reason: term.reason,
                exitCode: term.exitCode, finishedAt: new Date(term.at * 1000), restartCount: i + 1, node: pod.node,
              });
            });
          }
          for (let i = 0; i < eventRows.length; i += 500) {
            const r = await tx.insert(oomEvents).values(eventRows.slice(i, i + 500)).onConflictDoNothing().returning({ id: oomEvents.id });
            eventCount += r.length;
          }
          incidentCount += await syncIncidents(tx as unknown as Db, {
            orgId: org!.id, clusterId: cluster!.id, workloadId: workload!.id, container: fcont.name,
            kills: kills.filter((k) => k >= now - HISTORY_SECONDS), now,
            // some open incidents of the demo have already been picked up by someone
            initialStatus: (open) => (open ? (hashUnit(seedOf(`${fc.slug}/${fw.namespace}/${fw.name}/${fcont.name}`), 17) < 0.3 ? "acknowledged" : "open") : "resolved"),
            analyze: () => {
              const ref = { cluster: fc.slug, namespace: fw.namespace, workloadKind: fw.kind, workloadName: fw.name, container: fcont.name };
              const spec = { name: fcont.name, image: fcont.image, command: fcont.command ?? null, args: fcont.args ?? null, env: fcont.env ?? null, requestBytes: mebibytes(fcont.requestMi), limitBytes: mebibytes(fcont.limitMi) };
              return analyzeFromSource(demoSource, { ref, container: containerInput(ref, fw.replicas, spec), now, pricing: { currency: "USD", perGiBMonth: fc.pricePerGibMonth } });
            },
          });
        }
      }
    }
    return { orgId: org!.id, clusters: DEMO_FLEET.length, workloads: workloadCount, events: eventCount, incidents: incidentCount };
  });
}

const demoSource = new DemoSource();
