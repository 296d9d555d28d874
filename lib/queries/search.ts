import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { clusterHref, containerHref, incidentHref } from "@/lib/links";

export const SEARCH_KINDS = ["cluster", "namespace", "workload", "container", "image", "incident"] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export interface SearchHit {
  kind: SearchKind;
  /** what matched, as the user would name it */
  title: string;
  /** where it lives (cluster / namespace, a count, a status) */
  detail: string;
  href: string;
}

type Row = {
  kind: SearchKind;
  title: string;
  cluster: string;
  namespace: string | null;
  wkind: string | null;
  wname: string | null;
  container: string | null;
  extra: string | null;
  n: number | null;
};

/** Escapes LIKE's wildcards so that `_` and `%` in a name match themselves. */
const likeEscape = (s: string) => s.replace(/[%_\\]/g, (m) => `\\${m}`);

/** Ranks a name against the query: 0 exact, 1 prefix, 2 contains; then shorter names first. */
const rank = (col: string, q: string, prefix: string): SQL =>
  sql`(case when lower(${sql.raw(col)}) = ${q} then 0 when lower(${sql.raw(col)}) like ${prefix} then 1 else 2 end), length(${sql.raw(col)}), ${sql.raw(col)}`;

/**
 * Clusters, namespaces, workloads, containers, images and incidents of one organization whose name
 * contains `q` (case-insensitive), at most `limit` of each kind, names starting with `q` first, then
 * shorter names; unresolved incidents before resolved ones, newest first. One statement; every
 * branch filters by the organization.
 */
export async function searchOrg(db: Db, p: { orgId: string; orgSlug: string; q: string; limit: number }): Promise<SearchHit[]> {
  const q = p.q.trim().toLowerCase();
  const like = `%${likeEscape(q)}%`;
  const prefix = `${likeEscape(q)}%`;
  const { rows } = await db.execute<Row>(sql`
    (select 'cluster' as kind, c.name as title, c.slug as cluster, null as namespace, null as wkind, null as wname, null as container, c.provider as extra, null::int as n
       from clusters c
      where c.org_id = ${p.orgId} and (lower(c.name) like ${like} or lower(c.slug) like ${like})
      order by ${rank("c.name", q, prefix)} limit ${p.limit})
    union all
    (select 'namespace', w.namespace, c.slug, w.namespace, null, null, null, null, count(*)::int
       from workloads w join clusters c on c.id = w.cluster_id and c.org_id = w.org_id
      where w.org_id = ${p.orgId} and lower(w.namespace) like ${like}
      group by c.slug, w.namespace
      order by ${rank("w.namespace", q, prefix)}, c.slug limit ${p.limit})
    union all
    (select 'workload', w.name, c.slug, w.namespace, w.kind, w.name, null, null, null
       from workloads w join clusters c on c.id = w.cluster_id and c.org_id = w.org_id
      where w.org_id = ${p.orgId} and lower(w.name) like ${like}
      order by ${rank("w.name", q, prefix)}, c.slug limit ${p.limit})
    union all
    (select 'container', ct.name, c.slug, w.namespace, w.kind, w.name, ct.name, ct.image, null
       from containers ct join workloads w on w.id = ct.workload_id and w.org_id = ct.org_id
       join clusters c on c.id = w.cluster_id and c.org_id = w.org_id
      where ct.org_id = ${p.orgId} and lower(ct.name) like ${like}
      order by ${rank("ct.name", q, prefix)}, w.name, c.slug limit ${p.limit})
    union all
    (select 'image', g.image, g.slug, g.namespace, g.kind, g.wname, g.container, null, g.n
       from (select distinct on (ct.image) ct.image, c.slug, w.namespace, w.kind, w.name as wname, ct.name as container,
                    (count(*) over (partition by ct.image))::int as n
               from containers ct join workloads w on w.id = ct.workload_id and w.org_id = ct.org_id
               join clusters c on c.id = w.cluster_id and c.org_id = w.org_id
              where ct.org_id = ${p.orgId} and ct.image is not null and lower(ct.image) like ${like}
              order by ct.image, c.slug, w.name, ct.name) g
      order by ${rank("g.image", q, prefix)} limit ${p.limit})
    union all
    (select 'incident', w.name || '/' || i.container_name, c.slug, w.namespace, w.kind, w.name, i.container_name,
            i.id::text || ' ' || i.status::text, i.oom_count
       from incidents i join workloads w on w.id = i.workload_id and w.org_id = i.org_id
       join clusters c on c.id = i.cluster_id and c.org_id = i.org_id
      where i.org_id = ${p.orgId} and (lower(w.name) like ${like} or lower(i.container_name) like ${like})
      order by (i.status = 'resolved'), i.last_seen_at desc limit ${p.limit})
  `);
  return rows.map((r) => toHit(p.orgSlug, r));
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

function toHit(org: string, r: Row): SearchHit {
  const where = r.namespace ? `${r.cluster} / ${r.namespace}` : r.cluster;
  const container = () =>
    containerHref(org, { cluster: r.cluster, namespace: r.namespace!, workloadKind: r.wkind!, workloadName: r.wname!, container: r.container! });
  switch (r.kind) {
    case "cluster":
      // a cluster named as its slug is not named twice
      return { kind: r.kind, title: r.title, detail: [r.title === r.cluster ? null : r.cluster, r.extra ?? "cluster"].filter(Boolean).join(" · "), href: clusterHref(org, r.cluster) };
    case "namespace":
      return { kind: r.kind, title: r.title, detail: `${r.cluster} · ${plural(r.n ?? 0, "workload")}`, href: `${clusterHref(org, r.cluster)}?namespace=${encodeURIComponent(r.title)}` };
    case "workload":
      return {
        kind: r.kind, title: r.title, detail: `${where} · ${r.wkind}`,
        href: `${clusterHref(org, r.cluster)}?${new URLSearchParams({ q: r.title, namespace: r.namespace! })}`,
      };
    case "container":
      return { kind: r.kind, title: `${r.wname}/${r.title}`, detail: r.extra ? `${where} · ${r.extra}` : where, href: container() };
    case "image":
      return { kind: r.kind, title: r.title, detail: `${plural(r.n ?? 0, "container")} · first: ${r.wname}/${r.container} on ${r.cluster}`, href: container() };
    case "incident": {
      const [id, status] = (r.extra ?? "").split(" ");
      return { kind: r.kind, title: r.title, detail: `${where} · ${status} · ${plural(r.n ?? 0, "OOMKill")}`, href: incidentHref(org, id!) };
    }
  }
}
