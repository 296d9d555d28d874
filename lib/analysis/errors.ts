/** Bad input, with the path of the offending field (`series.workingSet[12][1]`). */
export class InputError extends Error {
  constructor(readonly path: string, message: string) {
    super(`${path}: ${message}`);
  }
}

/**
 * Statistics that cannot be true (a percentile of 0 for a container with samples, p95 below p50, p99
 * above the max): the engine refuses to recommend from them, and callers report it.
 */
export class AnalysisError extends Error {}
