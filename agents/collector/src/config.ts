/** The agent's settings, from flags (`--url …`) or the environment (HEADROOM_URL …); flags win. */
export interface AgentConfig {
  url: string;
  token: string;
  /** empty: every namespace */
  namespaces: string[];
  /** a kubeconfig file for running outside the cluster; in-cluster config otherwise */
  kubeconfig: string | null;
  flushIntervalMs: number;
  /** how often the inventory's changes are sent */
  inventoryIntervalMs: number;
  /** how often the whole inventory is read again (also after every relist of pods) */
  relistIntervalMs: number;
  maxBatch: number;
  maxBuffer: number;
}

export class ConfigError extends Error {}

export const USAGE = `headroom-collector — watches pods, nodes and node events; pushes terminations, SystemOOMs and the inventory to Headroom

  --url URL              HEADROOM_URL        the app's public URL (https://headroom.example.com)
  --token TOKEN          HEADROOM_TOKEN      the cluster's agent token (Cluster settings → In-cluster agent)
  --namespaces a,b       HEADROOM_NAMESPACES namespaces to watch (default: all)
  --kubeconfig FILE      KUBECONFIG          run outside the cluster with this kubeconfig (default: in-cluster)
  --flush-interval-ms N  HEADROOM_FLUSH_INTERVAL_MS  how often batches are sent (default 1000)
  --inventory-interval-s N  HEADROOM_INVENTORY_INTERVAL_S  how often changed pods and nodes are sent (default 15)
  --relist-interval-s N  HEADROOM_RELIST_INTERVAL_S  how often the whole inventory is read and sent again (default 600)`;

/** The configuration from the command line and environment; a ConfigError saying what is missing or wrong. */
export function loadConfig(argv: string[], env: Record<string, string | undefined>): AgentConfig {
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]!);
    if (!m) throw new ConfigError(`unexpected argument ${JSON.stringify(argv[i])}`);
    const v = m[2] ?? argv[++i];
    if (v === undefined) throw new ConfigError(`--${m[1]} needs a value`);
    flags[m[1]!] = v;
  }
  const known = new Set(["url", "token", "namespaces", "kubeconfig", "flush-interval-ms", "inventory-interval-s", "relist-interval-s"]);
  for (const k of Object.keys(flags)) if (!known.has(k)) throw new ConfigError(`unknown flag --${k}`);
  const url = flags.url ?? env.HEADROOM_URL ?? "";
  const token = flags.token ?? env.HEADROOM_TOKEN ?? "";
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError("HEADROOM_URL (or --url) must be the app's URL, e.g. https://headroom.example.com");
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new ConfigError("HEADROOM_URL must be http(s)");
  if (!/^hra_[A-Za-z0-9_-]{43}$/.test(token)) throw new ConfigError("HEADROOM_TOKEN (or --token) must be an agent token (hra_…) from the cluster's settings");
  const flush = Number(flags["flush-interval-ms"] ?? env.HEADROOM_FLUSH_INTERVAL_MS ?? 1000);
  if (!Number.isFinite(flush) || flush < 50 || flush > 60_000) throw new ConfigError("the flush interval must be 50 to 60000 ms");
  const seconds = (flag: string, envName: string, fallback: number, min: number, max: number) => {
    const v = Number(flags[flag] ?? env[envName] ?? fallback);
    if (!Number.isFinite(v) || v < min || v > max) throw new ConfigError(`--${flag} (${envName}) must be ${min} to ${max} seconds`);
    return Math.round(v * 1000);
  };
  const inventoryIntervalMs = seconds("inventory-interval-s", "HEADROOM_INVENTORY_INTERVAL_S", 15, 1, 3600);
  const relistIntervalMs = seconds("relist-interval-s", "HEADROOM_RELIST_INTERVAL_S", 600, 10, 86_400);
  const namespaces = (flags.namespaces ?? env.HEADROOM_NAMESPACES ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return { url: parsed.origin + parsed.pathname.replace(/\/+$/, ""), token, namespaces, kubeconfig: flags.kubeconfig ?? env.KUBECONFIG ?? null, flushIntervalMs: flush, inventoryIntervalMs, relistIntervalMs, maxBatch: 500, maxBuffer: 20_000 };
}
