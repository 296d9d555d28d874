"use client";
import { useTimeFormat } from "@/components/time-zone";
import { useQuery } from "@tanstack/react-query";
import type { OrgJob, OrgJobs } from "@/lib/jobs/list";
import { formatAgo } from "@/lib/format";
import { send } from "@/components/clusters/form-bits";
import { Card, EmptyState, ErrorState, Skeleton, StatCard } from "@/components/ui/card";
import { fetchJson } from "@/components/ui/table";
import { useAction } from "@/components/ui/use-action";

const KIND_LABEL: Record<string, string> = { "cluster.sync": "Prometheus sync" };

function JobRow({ job, onRetry }: { job: OrgJob; onRetry: () => void }) {
  const { formatTime, formatTimeSeconds } = useTimeFormat();
  const when = job.state === "retry" ? "next attempt from" : `failed ${formatAgo(job.at)}`;
  return (
    <li className="space-y-1 px-4 py-3" data-testid="job">
      <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
        <span className="font-medium">
          {KIND_LABEL[job.kind] ?? job.kind}
          {job.cluster ? <span className="font-normal text-zinc-500"> · cluster <span className="font-mono">{job.cluster}</span></span> : null}
        </span>
        <span className={`rounded px-2 py-0.5 text-xs ${job.state === "failed" ? "bg-red-50 text-red-800 dark:bg-red-950 dark:text-red-200" : "bg-amber-50 text-amber-800 dark:bg-amber-950 dark:text-amber-200"}`}>
          {job.state === "failed" ? "failed" : "retrying"}
        </span>
      </div>
      <p className="break-words font-mono text-xs text-zinc-700 dark:text-zinc-300">{job.error ?? "no error message recorded"}</p>
      <div className="flex flex-wrap items-center justify-between gap-2 text-xs text-zinc-500">
        <span className="tabular">
          {job.attempts} of {job.maxAttempts} attempt{job.maxAttempts === 1 ? "" : "s"} · {when} · <span title={formatTimeSeconds(job.at)}>{formatTime(job.at)}</span>
        </span>
        {job.retryable ? (
          <button type="button" onClick={onRetry} className="text-blue-700 hover:underline dark:text-blue-400" aria-label={`Retry ${KIND_LABEL[job.kind] ?? job.kind}${job.cluster ? ` of ${job.cluster}` : ""}`}>
            Retry
          </button>
        ) : null}
      </div>
    </li>
  );
}

/** The organization's background jobs: counts, and the failed or retrying ones with their errors; admins retry a failed one. */
export function JobsList({ org }: { org: string }) {
  const key = ["jobs", org] as const;
  const api = `/api/v1/orgs/${encodeURIComponent(org)}/jobs`;
  const q = useQuery({ queryKey: key, queryFn: () => fetchJson<OrgJobs>(api), refetchInterval: 15_000 });
  const { run, error } = useAction(key);
  if (q.isPending) {
    return (
      <div className="space-y-4">
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">{[0, 1, 2, 3].map((i) => <Skeleton key={i} className="h-20" />)}</div>
        <Skeleton className="h-40 w-full" />
      </div>
    );
  }
  if (q.isError) return <ErrorState title="Could not load the background jobs">{q.error.message}</ErrorState>;
  const { counts, jobs } = q.data;
  return (
    <div className="space-y-4">
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <StatCard label="Queued" value={counts.queued} hint="waiting for a worker" />
        <StatCard label="Running" value={counts.active} />
        <StatCard label="Retrying" value={counts.retrying} tone={counts.retrying ? "warning" : "neutral"} hint="after a failed attempt" />
        <StatCard label="Failed" value={counts.failed} tone={counts.failed ? "critical" : "neutral"} hint="out of attempts, last 7 days" />
      </div>
      <Card title="Failed and retrying jobs">
        {error ? <p role="alert" className="px-4 pt-3 text-sm text-red-600 dark:text-red-400">{(error as Error).message}</p> : null}
        {jobs.length === 0 ? (
          <EmptyState title="No failed jobs">Syncs that fail — an endpoint that does not answer, a refused credential — are listed here with their error.</EmptyState>
        ) : (
          <ul className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800">
            {jobs.map((j) => <JobRow key={j.id} job={j} onRetry={() => void run(() => send(`${api}/${j.id}/retry`, "POST", {}))} />)}
          </ul>
        )}
      </Card>
    </div>
  );
}
