/** Download links for the cluster's exported memory alerts (PrometheusRule or a plain rules file). */
export function AlertRulesDownload({ org, cluster }: { org: string; cluster: string }) {
  const href = (format: string) => `/api/v1/orgs/${org}/clusters/${encodeURIComponent(cluster)}/alert-rules?format=${format}`;
  const button = "rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800";
  return (
    <div className="space-y-3 px-4 py-4 text-sm">
      <p className="text-zinc-600 dark:text-zinc-400">
        The domain guide&apos;s <code className="font-mono">HighMemoryUsage</code> (working set at the organization&apos;s sustained level of the limit, for its duration), a critical level, and a leak rule with{" "}
        <code className="font-mono">predict_linear</code>, written for this cluster&apos;s label names. Levels are set in Settings / Notifications.
      </p>
      <div className="flex flex-wrap gap-2">
        <a href={href("prometheusrule")} download className={button}>Download PrometheusRule</a>
        <a href={href("rules")} download className={button}>Download rules file</a>
      </div>
    </div>
  );
}
