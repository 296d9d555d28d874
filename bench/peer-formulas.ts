// What two peers would set as a container's memory request and limit, from the same history Headroom
// reads. Written from their sources, defaults only:
//
// krr (robusta-dev/krr), strategy "simple": robusta_krr/strategies/simple.py `calculate_memory_proposal`
//   is max(per-pod max working set) x (1 + memory_buffer_percentage / 100), memory_buffer_percentage 15,
//   used as both request and limit (OOMKill data off unless --use-oomkill-data); robusta_krr/core/runner.py
//   `_round_value` rounds memory up to a whole MB (10^6 bytes), at least memory_min_value (100 MB).
//
// VPA (kubernetes/autoscaler, vertical-pod-autoscaler/pkg/recommender):
//   model/container.go: one memory peak per 24 h aggregation interval, the interval starting at the first
//     sample; `RecordOOM` adds a peak of max(used + 100Mi, used x 1.2), used = max(request, the
//     interval's peak so far) (model/aggregations_config.go: OOMBumpUpRatio 1.2, OOMMinBumpUp 100 MiB);
//   model/aggregate_container_state.go: each peak weighs 1 in a decaying histogram (half-life 24 h);
//   util/histogram_options.go, util/histogram.go: exponential buckets (first 1e7 bytes, each 5% wider),
//     a percentile answers the end of its bucket;
//   logic/recommender.go: target = p90 of the peaks x 1.15 (recommendation-margin-fraction), at least
//     250 MiB per pod (pod-recommendation-min-memory-mb) shared by its containers.
//   The updater applies the target as the request and, by default (controlledValues RequestsAndLimits),
//   scales the limit to keep the pod spec's limit/request ratio.

const MiB = 1024 * 1024;
const HOUR = 3600;

export const KRR_MEMORY_BUFFER_PERCENTAGE = 15;
const KRR_MIN_BYTES = 1_000_000 * 100;

/** krr "simple" memory: request = limit = the highest working set of any pod x 1.15, rounded up to 1 MB, at least 100 MB. */
export function krrMemory(podMaxBytes: number[]): { requestBytes: number; limitBytes: number } | null {
  if (podMaxBytes.length === 0) return null;
  // the same floating-point steps as krr, so a value lands on the same side of a megabyte
  const proposal = Math.max(...podMaxBytes) * (1 + KRR_MEMORY_BUFFER_PERCENTAGE / 100);
  const precision = 1 / 10 ** 6;
  const bytes = Math.round(Math.max(Math.ceil(proposal * precision) / precision, KRR_MIN_BYTES));
  return { requestBytes: bytes, limitBytes: bytes };
}

export const VPA = {
  intervalSeconds: 24 * HOUR,
  oomBumpRatio: 1.2,
  oomMinBumpBytes: 100 * MiB,
  halfLifeSeconds: 24 * HOUR,
  firstBucketBytes: 1e7,
  bucketGrowth: 1.05,
  targetPercentile: 0.9,
  safetyMargin: 0.15,
  podMinBytes: 250 * MiB,
} as const;

export interface MemoryPeak {
  /** end of the 24 h interval, unix seconds (the time the histogram decays it from) */
  at: number;
  bytes: number;
}

/**
 * One pod's VPA memory peaks: the highest working set of each 24 h interval from the first sample, an
 * OOMKill in an interval raising its peak to max(used + 100Mi, used x 1.2), used = max(request, the peak so far).
 */
export function vpaPeaks(t: ArrayLike<number>, workingSet: ArrayLike<number>, oomKills: number[], requestBytes: number): MemoryPeak[] {
  const peaks: MemoryPeak[] = [];
  const ooms = [...oomKills].sort((a, b) => a - b);
  let windowEnd = -Infinity;
  let memoryPeak = 0;
  let oomPeak = 0;
  const close = () => {
    if (Number.isFinite(windowEnd)) peaks.push({ at: windowEnd, bytes: Math.max(memoryPeak, oomPeak) });
  };
  const enter = (ts: number) => {
    if (ts < windowEnd) return;
    close();
    windowEnd = Number.isFinite(windowEnd)
      ? windowEnd + Math.floor((ts - windowEnd) / VPA.intervalSeconds) * VPA.intervalSeconds + VPA.intervalSeconds
      : ts + VPA.intervalSeconds;
    memoryPeak = 0;
    oomPeak = 0;
  };
  let k = 0;
  const recordOom = (at: number) => {
    // container.go discards an OOM older than the current interval
    if (at < windowEnd - VPA.intervalSeconds) return;
    const used = Math.max(requestBytes, memoryPeak);
    const needed = Math.max(used + VPA.oomMinBumpBytes, used * VPA.oomBumpRatio);
    enter(at);
    oomPeak = Math.max(oomPeak, needed);
  };
  for (let i = 0; i < t.length; i++) {
    while (k < ooms.length && ooms[k]! <= t[i]!) recordOom(ooms[k++]!);
    enter(t[i]!);
    memoryPeak = Math.max(memoryPeak, workingSet[i]!);
  }
  while (k < ooms.length) recordOom(ooms[k++]!);
  close();
  return peaks;
}

const bucketOf = (bytes: number) =>
  bytes < VPA.firstBucketBytes ? 0 : Math.floor(Math.log((bytes * (VPA.bucketGrowth - 1)) / VPA.firstBucketBytes + 1) / Math.log(VPA.bucketGrowth));
const bucketStart = (bucket: number) => (bucket === 0 ? 0 : (VPA.firstBucketBytes * (VPA.bucketGrowth ** bucket - 1)) / (VPA.bucketGrowth - 1));

/** A percentile of VPA's decaying memory-peak histogram: each peak weighs 2^(age / half-life) less, the answer is the end of its bucket. */
export function vpaPercentile(peaks: MemoryPeak[], percentile: number, halfLifeSeconds: number = VPA.halfLifeSeconds): number {
  if (peaks.length === 0) return 0;
  const newest = Math.max(...peaks.map((p) => p.at));
  const weights = new Map<number, number>();
  let total = 0;
  for (const p of peaks) {
    const w = 2 ** ((p.at - newest) / halfLifeSeconds);
    const b = bucketOf(p.bytes);
    weights.set(b, (weights.get(b) ?? 0) + w);
    total += w;
  }
  const buckets = [...weights.keys()].sort((a, b) => a - b);
  let sum = 0;
  let chosen = buckets[buckets.length - 1]!;
  for (const b of buckets) {
    sum += weights.get(b)!;
    if (sum >= percentile * total) {
      chosen = b;
      break;
    }
  }
  return bucketStart(chosen + 1);
}

/** VPA's memory target for a container: p90 of its pods' peaks x 1.15, at least 250 MiB per pod shared by its containers. */
export function vpaTarget(peaks: MemoryPeak[], containersInPod = 1): number {
  const target = vpaPercentile(peaks, VPA.targetPercentile) * (1 + VPA.safetyMargin);
  return Math.round(Math.max(target, VPA.podMinBytes / containersInPod));
}
