import type { Db } from "@/db/connect";
import { clusters, containers, memberships, organizations, users, workloads } from "@/db/schema";

/** A second organization ("Globex") with its own user and one cluster, to prove tenants never see each other. */
export async function seedOtherOrg(db: Db) {
  const [org] = await db.insert(organizations).values({ slug: "globex", name: "Globex" }).onConflictDoNothing().returning();
  if (!org) return null;
  const [user] = await db.insert(users).values({ email: "ops@globex.example", name: "Globex Ops" }).returning();
  await db.insert(memberships).values({ orgId: org.id, userId: user!.id, role: "owner" });
  const [cluster] = await db
    .insert(clusters)
    .values({ orgId: org.id, slug: "globex-prod", name: "globex-prod", connectionMode: "agent", metricsKind: "prometheus" })
    .returning();
  const [workload] = await db.insert(workloads).values({ orgId: org.id, clusterId: cluster!.id, kind: "Deployment", namespace: "secret", name: "globex-api" }).returning();
  await db.insert(containers).values({ orgId: org.id, workloadId: workload!.id, name: "api", image: "globex/api:1.0", limitBytes: 512 * 1024 * 1024 });
  return { org, user: user!, cluster: cluster! };
}

/** A fresh organization with one admin, for a suite that drives the product's code as that admin. */
export async function seedOrgWithAdmin(db: Db, slug: string, name: string): Promise<{ orgId: string; userId: string }> {
  const [org] = await db.insert(organizations).values({ slug, name }).returning();
  const [user] = await db.insert(users).values({ email: `sre@${slug}.example`, name: "SRE" }).returning();
  await db.insert(memberships).values({ orgId: org!.id, userId: user!.id, role: "admin" });
  return { orgId: org!.id, userId: user!.id };
}
