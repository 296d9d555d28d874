"use client";
import type { AgentTokenView } from "@/lib/clusters/agent-tokens";
import { shellJoin } from "@/lib/analysis/shell";
import { formatBytes } from "@/lib/format";
import { ApiTokenList } from "@/components/ui/api-token-list";
/** The commands that put the token in the agent's Secret, every word quoted for the shell. */
const secretCommand = (appUrl: string, token: string) =>
  [
    shellJoin(["kubectl", "create", "namespace", "headroom"]),
    shellJoin(["kubectl", "-n", "headroom", "create", "secret", "generic", "headroom-agent", `--from-literal=HEADROOM_URL=${appUrl}`, `--from-literal=HEADROOM_TOKEN=${token}`]),
  ].join("\n");

/** The cluster's agent tokens: create one (shown once), see when each was last used and what its agent reports, revoke. */
export function AgentTokens({ org, cluster, appUrl }: { org: string; cluster: string; appUrl: string }) {
  return (
    <ApiTokenList<AgentTokenView>
      api={`/api/v1/orgs/${encodeURIComponent(org)}/clusters/${encodeURIComponent(cluster)}/agent-tokens`}
      queryKey={["agent-tokens", org, { cluster }]}
      kind="agent token"
      intro="The in-cluster agent pushes OOMKills within seconds with one of these tokens. Each token writes into this cluster only."
      defaultName="collector"
      setupHint="Put it in the agent's Secret:"
      setup={(token) => secretCommand(appUrl, token)}
      usedLabel="last seen"
      details={(t) => (t.agentVersion ? ` · agent ${t.agentVersion}${t.agentMemoryBytes !== null ? ` using ${formatBytes(t.agentMemoryBytes)}` : ""}` : "")}
      testId="agent-token"
    />
  );
}
