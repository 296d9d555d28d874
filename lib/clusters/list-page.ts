import type { ListClustersQuery } from "@/lib/schemas/lists";

/** What the clusters list needs of a cluster to filter, sort and show it. */
export interface ClusterListRow {
  slug: string;
  name: string;
  provider: string | null;
  region: string | null;
  workloads: number;
  ooms30d: number;
  activeIncidents: number;
  lastSyncAt: string | null;
  /** the currency of its price and costs: money sorts within a currency, never across */
  currency: string;
  /** monthly cost of its memory requests and the change if every recommendation is applied; null when not computed */
  monthlyCost: number | null;
  monthlyChange: number | null;
}

export interface ClusterListPage<R> {
  rows: R[];
  /** clusters matching the filter */
  total: number;
  /** clusters of the organization */
  all: number;
  page: number;
  pageSize: number;
}

const byText = (a: string, b: string) => a.localeCompare(b, "en");
/** nulls (not computed, never synced) last whichever the direction */
const byNullable = (a: number | null, b: number | null, dir: number) => (a === null ? (b === null ? 0 : 1) : b === null ? -1 : (a - b) * dir);

const KEY: Record<ListClustersQuery["sort"], (r: ClusterListRow) => number | null> = {
  name: () => 0,
  workloads: (r) => r.workloads,
  ooms: (r) => r.ooms30d,
  incidents: (r) => r.activeIncidents,
  cost: (r) => r.monthlyCost,
  change: (r) => r.monthlyChange,
  sync: (r) => (r.lastSyncAt ? Date.parse(r.lastSyncAt) : null),
};

/**
 * One page of the clusters list: those whose name, slug, provider or region contain `q` (any case),
 * sorted (by cost or net change: currency first, so euros never sort among dollars; ties by name), the page clamped to the last one. Only this page's rows are rendered, so a
 * 100-cluster organization's list costs what a small one's does.
 */
export function pageClusters<R extends ClusterListRow>(rows: R[], q: ListClustersQuery): ClusterListPage<R> {
  const needle = q.q?.toLowerCase();
  const matching = needle ? rows.filter((r) => [r.name, r.slug, r.provider ?? "", r.region ?? ""].some((f) => f.toLowerCase().includes(needle))) : rows;
  const dir = q.dir === "asc" ? 1 : -1;
  const key = KEY[q.sort];
  const money = q.sort === "cost" || q.sort === "change";
  const byKey = (a: R, b: R) => {
    const ka = key(a);
    const kb = key(b);
    if (ka === null || kb === null) return byNullable(ka, kb, dir);
    return (money ? byText(a.currency, b.currency) : 0) || (ka - kb) * dir;
  };
  const sorted = [...matching].sort((a, b) => (q.sort === "name" ? byText(a.name, b.name) * dir : byKey(a, b) || byText(a.name, b.name)));
  const pages = Math.max(1, Math.ceil(sorted.length / q.pageSize));
  const page = Math.min(q.page, pages);
  return { rows: sorted.slice((page - 1) * q.pageSize, page * q.pageSize), total: sorted.length, all: rows.length, page, pageSize: q.pageSize };
}
