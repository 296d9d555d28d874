"use client";
import Link from "next/link";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { ContainerView as View } from "@/lib/container-view";
import { formatAgo, formatBytes } from "@/lib/format";
import { clusterHref, containerHref, incidentHref } from "@/lib/links";
import { containerApiPath, containerKey, toQueryString, type ContainerKey } from "@/lib/query-keys";
import { CHART_WINDOWS, type ContainerViewQuery } from "@/lib/schemas/lists";
import { Card, ErrorState, Skeleton } from "@/components/ui/card";
import { StatusBadge } from "@/components/ui/badge";
import { fetchJson, useUrlState } from "@/components/ui/table";
import { MemoryChart } from "@/components/charts/memory-chart";
import { Verdict } from "./verdict";
import { RecommendationPanel } from "./recommendation";
import { FindingsList } from "./findings";
import { FixPanel } from "./fix";
import { WhatIfPanel } from "./what-if";
import { SharePanel } from "@/components/share/share-panel";
import { IncidentActions } from "@/components/incidents/incident-actions";

export function useContainerQuery(org: string, c: ContainerKey, q: ContainerViewQuery) {
  return useQuery({
    queryKey: containerKey(org, c, q),
    queryFn: () => fetchJson<View>(`${containerApiPath(org, c)}?${toQueryString(q)}`),
    placeholderData: keepPreviousData,
  });
}

const WINDOWS = Object.keys(CHART_WINDOWS) as ContainerViewQuery["window"][];

export function ContainerView({ org, path, initial, canShare = false }: { org: string; path: ContainerKey; initial: ContainerViewQuery; canShare?: boolean }) {
  const [q, setQ] = useState(initial);
  const setUrl = useUrlState();
  const query = useContainerQuery(org, path, q);
  const update = (next: Partial<ContainerViewQuery>) => {
    const merged = { ...q, ...next };
    setQ(merged);
    setUrl({ window: merged.window, pod: merged.pod });
  };
  if (query.isPending) return <ContainerSkeleton />;
  if (query.isError) return <ErrorState title="Could not load this container">{query.error.message}. Reload the page to try again.</ErrorState>;
  const v = query.data;
  const a = v.analysis;
  return (
    // on a phone the verdict and the fix come first, the chart after them (UI.md, Phones)
    <div className="mx-auto flex max-w-7xl flex-col gap-5">
      <div className="max-md:order-[-3]">
        <nav aria-label="Breadcrumb" className="text-xs text-zinc-500">
          <Link href={`/${org}/clusters`} className="hover:underline">Clusters</Link> / <Link href={clusterHref(org, v.cluster.slug)} className="hover:underline">{v.cluster.name}</Link> / {v.workload.namespace} / {v.workload.kind}
        </nav>
        <div className="mt-1 flex flex-wrap items-center gap-3">
          <h1 className="font-mono text-xl font-semibold break-all">{v.workload.name}<span className="text-zinc-500 dark:text-zinc-400">/{v.container.name}</span></h1>
          {v.incident ? (
            <span className="flex items-center gap-1.5 text-xs text-zinc-500">
              <StatusBadge status={v.incident.status} /> incident · {v.incident.oomCount} OOMKills since {formatAgo(v.incident.firstSeenAt, v.now * 1000)}
              <Link href={incidentHref(org, v.incident.id)} className="text-blue-700 hover:underline dark:text-blue-400">Incident page →</Link>
              {canShare ? <IncidentActions org={org} incidentId={v.incident.id} status={v.incident.status} /> : null}
            </span>
          ) : null}
        </div>
        <p className="mt-0.5 text-sm text-zinc-500">
          <span className="font-mono">{v.container.image ?? "image unknown"}</span> · {v.workload.replicas} replica{v.workload.replicas === 1 ? "" : "s"}
          {v.containers.length > 1 ? (
            <> · containers:{" "}
              {v.containers.map((c) => (
                <Link key={c} href={containerHref(org, { cluster: v.cluster.slug, namespace: v.workload.namespace, workloadKind: v.workload.kind, workloadName: v.workload.name, container: c })} className={`ml-1 font-mono ${c === v.container.name ? "font-semibold" : "text-blue-700 hover:underline dark:text-blue-400"}`}>{c}</Link>
              ))}
            </>
          ) : null}
        </p>
      </div>

      {v.metricsError ? (
        <ErrorState title="No memory history">{v.metricsError}</ErrorState>
      ) : null}

      {a ? (
        <div className="grid gap-5 max-md:order-[-2] xl:grid-cols-3">
          <Card title="Verdict" className="xl:col-span-2"><Verdict a={a} /></Card>
          <Card title="Recommendation"><RecommendationPanel a={a} requestBytes={v.container.requestBytes} limitBytes={v.container.limitBytes} fewerReplicas={v.fewerReplicas} /></Card>
        </div>
      ) : null}

      <Card
        title={<>Memory{v.chart ? <span className="font-normal text-zinc-500"> · pod <span className="font-mono">{v.chart.pod}</span></span> : null}</>}
        action={
          <div className="flex flex-wrap items-center gap-3">
            {v.pods.length > 1 ? (
              <label className="text-xs text-zinc-500">Pod{" "}
                <select value={v.chart?.pod ?? ""} onChange={(e) => update({ pod: e.target.value })} className="rounded border border-zinc-300 bg-white px-1.5 py-0.5 font-mono text-xs text-zinc-900 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100">
                  {v.pods.map((p) => <option key={p.name} value={p.name}>{p.name}</option>)}
                </select>
              </label>
            ) : null}
            <div role="group" aria-label="Time window" className="flex overflow-hidden rounded-md border border-zinc-300 text-xs dark:border-zinc-700">
              {WINDOWS.map((w) => (
                <button key={w} type="button" aria-pressed={q.window === w} onClick={() => update({ window: w })} className={`px-2.5 py-1 max-sm:min-h-11 max-sm:px-4 ${q.window === w ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900" : "hover:bg-zinc-50 dark:hover:bg-zinc-800"}`}>{w}</button>
              ))}
            </div>
          </div>
        }
      >
        <div className="px-2 py-3">
          {v.chart ? (
            <MemoryChart
              points={v.chart.points} ooms={v.chart.ooms} limitBytes={v.container.limitBytes} requestBytes={v.container.requestBytes}
              p95Bytes={a?.stats.p95 ?? null} projection={v.chart.projection} windowSeconds={CHART_WINDOWS[v.window]}
            />
          ) : (
            <p className="px-2 py-8 text-center text-sm text-zinc-500">No samples for this container in the window.</p>
          )}
        </div>
      </Card>

      {a?.recommendation ? <Card title="The fix" className="max-md:order-[-1]"><FixPanel a={a} /></Card> : null}

      {a?.recommendation && v.whatIf ? (
        <Card title="What if"><WhatIfPanel key={`${v.container.requestBytes}/${v.container.limitBytes}`} basis={v.whatIf} a={a} current={{ requestBytes: v.container.requestBytes, limitBytes: v.container.limitBytes }} /></Card>
      ) : null}

      {canShare && v.incident && a ? <Card title="Share this incident"><SharePanel org={org} incidentId={v.incident.id} /></Card> : null}

      {a ? <Card title="Findings"><FindingsList findings={a.findings} /></Card> : null}
      {!a && v.specFindings.length ? <Card title="Findings from the pod spec"><FindingsList findings={v.specFindings} /></Card> : null}

      {v.pods.length > 0 ? (
        <Card title="Pods">
          <table className="w-full text-sm">
            <thead className="text-xs text-zinc-500">
              <tr>
                <th scope="col" className="px-4 py-2 text-left font-medium">Pod</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">Working set now</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">of limit</th>
                <th scope="col" className="px-4 py-2 text-right font-medium">OOMKills · {v.window}</th>
              </tr>
            </thead>
            <tbody className="tabular">
              {v.pods.map((p) => (
                <tr key={p.name} className={`border-t border-zinc-100 dark:border-zinc-800 ${p.name === v.chart?.pod ? "bg-blue-50/50 dark:bg-blue-950/30" : ""}`}>
                  <td className="px-4 py-2 font-mono"><button type="button" onClick={() => update({ pod: p.name })} className="text-blue-700 hover:underline dark:text-blue-400">{p.name}</button></td>
                  <td className="px-3 py-2 text-right font-mono">{formatBytes(p.latestBytes)}</td>
                  <td className="px-3 py-2 text-right">{p.latestBytes !== null && v.container.limitBytes ? `${Math.round((p.latestBytes / v.container.limitBytes) * 100)}%` : "—"}</td>
                  <td className={`px-4 py-2 text-right ${p.oomKills > 0 ? "font-semibold text-red-600 dark:text-red-400" : "text-zinc-400"}`}>{p.oomKills}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      ) : null}
    </div>
  );
}

function ContainerSkeleton() {
  return (
    <div className="mx-auto max-w-7xl space-y-5" aria-busy="true">
      <Skeleton className="h-8 w-80" />
      <div className="grid gap-5 xl:grid-cols-3"><Skeleton className="h-48 xl:col-span-2" /><Skeleton className="h-48" /></div>
      <Skeleton className="h-80" />
    </div>
  );
}
