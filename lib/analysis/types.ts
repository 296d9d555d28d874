/** The `analyze` contract (shared/contracts/analyze-cli.md): input and output of the engine. */

export type Sample = [number, number];

export interface Termination {
  at: number;
  reason: string;
  exitCode: number | null;
}

export interface SeriesInput {
  workingSet: Sample[];
  rss?: Sample[] | null;
  cache?: Sample[] | null;
}

export interface PodInput {
  name: string;
  series: SeriesInput;
  terminations?: Termination[] | null;
}

export interface ContainerInput {
  cluster?: string | null;
  namespace?: string | null;
  workload?: { kind?: string | null; name?: string | null; replicas?: number | null } | null;
  pod?: string | null;
  name: string;
  image?: string | null;
  command?: string[] | null;
  args?: string[] | null;
  env?: Record<string, string> | null;
  requestBytes?: number | null;
  limitBytes?: number | null;
  /** emptyDir volumes with medium Memory the container mounts (from the Kubernetes API; metrics cannot show them) */
  memoryVolumes?: MemoryVolumeInput[] | null;
}

/** A tmpfs the container mounts: its files are charged to the container's memory cgroup. */
export interface MemoryVolumeInput {
  name: string;
  mountPath: string;
  /** the emptyDir's sizeLimit; null: none */
  sizeLimitBytes: number | null;
}

export interface AnalysisInput {
  now: number;
  container: ContainerInput;
  series?: SeriesInput | null;
  terminations?: Termination[] | null;
  pods?: PodInput[] | null;
  pricing?: { currency?: string | null; perGiBMonth?: number | null } | null;
}

export type Pattern = "leak" | "limit_too_low" | "spike" | "healthy" | "insufficient_data";
export type Alert = "none" | "warning" | "critical";
export type Profile = "stateless" | "stateful" | "batch";

export interface Finding {
  code: string;
  severity: "info" | "warning" | "critical";
  message: string;
  /** a command to run, where the finding has one (profiling) */
  command?: string;
}

export interface Recommendation {
  profile: Profile;
  requestBytes: number;
  limitBytes: number;
  request: string;
  limit: string;
  basis: string;
  /** the recommendation equals the current request and limit and changes no heap setting: nothing to apply */
  noChange: boolean;
}

/** A runtime heap ceiling the env or command sets, against the current limit and once the fix is applied. */
export interface HeapCeilingOutput {
  runtime: "jvm" | "node" | "go";
  /** the setting as written: `-Xmx1g`, `--max-old-space-size=768`, `GOMEMLIMIT=450MiB` */
  setting: string;
  /** the env variable that carries it, or null for the command line */
  variable: string | null;
  /** its size under the current limit (or as written when there is none) */
  currentBytes: number | null;
  /** its size once the fix is applied, under the recommended limit */
  recommendedBytes: number | null;
  /** the largest share of the limit it may take (0.75, or 0.9 for GOMEMLIMIT) */
  maxShareOfLimit: number;
  /** the fix changes it (commands.env) */
  lowered: boolean;
}

export interface Backtest {
  /** OOMKills observed in the window */
  observedOomKills: number;
  /** of those, how many the recommended limit would have avoided */
  avoidedOomKills: number;
  /** the least room the recommended limit would have left, over the window (bytes; negative: it would still be exceeded) */
  tightestHeadroomBytes: number;
  /** the same as a fraction of the recommended limit */
  tightestHeadroomRatio: number;
  note: string;
}

export interface AnalysisOutput {
  pattern: Pattern;
  confidence: number;
  leakConfidence: number;
  growthBytesPerHour: number | null;
  timeToOomHours: number | null;
  usageOfLimit: number | null;
  alert: Alert;
  stats: { mean: number; p50: number; p95: number; p99: number; max: number };
  findings: Finding[];
  recommendation: Recommendation | null;
  backtest: Backtest | null;
  cost: { currency: string; replicas: number; monthlyDeltaPerReplica: number; monthlyDeltaTotal: number } | null;
  commands: {
    kubectl: string | null;
    /** `kubectl set env …` when a heap ceiling must come down with the limit */
    env: string | null;
    patch: string | null;
    kubectlPatch: string | null;
    /** in-place resize of the running pods (no restart), one command per pod */
    resize: string | null;
    /** the Kubernetes version the resize needs, or why there is none */
    resizeNote: string | null;
    note?: string;
  } | null;
  heapCeilings: HeapCeilingOutput[];
  /** the verdict in one sentence a platform engineer reads at a glance */
  summary: string;
  /** samples and restart cycles the verdict rests on */
  evidence: { samples: number; pods: number; cycles: number; oomKills: number; windowHours: number };
}
