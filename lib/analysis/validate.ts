import { InputError } from "./errors";
import { assertValidNames } from "./names";
import type { AnalysisInput, PodInput, Sample, SeriesInput, Termination } from "./types";

export { InputError };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const absent = (v: unknown) => v === undefined || v === null;
// Number.isFinite and Number.isInteger are false for anything but a number: as type guards they need no typeof beside them
const isFiniteNumber = (v: unknown): v is number => Number.isFinite(v);
const isInteger = (v: unknown): v is number => Number.isInteger(v);

function bytes(v: unknown, path: string): number | null {
  if (absent(v)) return null;
  if (!isFiniteNumber(v)) throw new InputError(path, "must be a finite number of bytes or null");
  if (v < 0) throw new InputError(path, "must not be negative");
  return v;
}

function samples(v: unknown, path: string, required: boolean): Sample[] | null {
  if (absent(v)) {
    if (required) throw new InputError(path, "is required: [[unix seconds, bytes], ...]");
    return null;
  }
  if (!Array.isArray(v)) throw new InputError(path, "must be an array of [unix seconds, bytes] pairs");
  let prev = -Infinity;
  for (let i = 0; i < v.length; i++) {
    const s = v[i] as unknown;
    if (!Array.isArray(s) || s.length !== 2) throw new InputError(`${path}[${i}]`, "must be a [unix seconds, bytes] pair");
    const t = (s as unknown[])[0];
    let b = (s as unknown[])[1];
    // Prometheus writes sample values as strings ("293601280"); accept them as it does
    if (typeof b === "string" && b.trim() !== "") b = Number(b);
    if (!isFiniteNumber(t)) throw new InputError(`${path}[${i}][0]`, "timestamp must be a finite number of unix seconds");
    if (!isFiniteNumber(b)) throw new InputError(`${path}[${i}][1]`, "value must be a finite number of bytes");
    if (b < 0) throw new InputError(`${path}[${i}][1]`, "value must not be negative");
    if (t <= prev) throw new InputError(`${path}[${i}][0]`, `timestamps must be in ascending order (${t} follows ${prev})`);
    prev = t;
    (s as unknown[])[1] = b;
  }
  return v as Sample[];
}

function series(v: unknown, path: string): SeriesInput {
  if (!isObject(v)) throw new InputError(path, "is required: an object with workingSet");
  return {
    workingSet: samples(v.workingSet, `${path}.workingSet`, true)!,
    rss: samples(v.rss, `${path}.rss`, false),
    cache: samples(v.cache, `${path}.cache`, false),
  };
}

function terminations(v: unknown, path: string): Termination[] {
  if (absent(v)) return [];
  if (!Array.isArray(v)) throw new InputError(path, "must be an array of terminations");
  return v.map((x, i) => {
    const p = `${path}[${i}]`;
    if (!isObject(x)) throw new InputError(p, "must be an object {at, reason, exitCode}");
    if (!isFiniteNumber(x.at)) throw new InputError(`${p}.at`, "must be a finite number of unix seconds");
    if (typeof x.reason !== "string") throw new InputError(`${p}.reason`, "must be a string such as \"OOMKilled\"");
    if (!absent(x.exitCode) && !isInteger(x.exitCode)) throw new InputError(`${p}.exitCode`, "must be an integer");
    return { at: x.at, reason: x.reason, exitCode: (x.exitCode as number | null | undefined) ?? null };
  });
}

const strings = (v: unknown, path: string): string[] | null => {
  if (absent(v)) return null;
  if (!Array.isArray(v) || v.some((s) => typeof s !== "string")) throw new InputError(path, "must be an array of strings");
  return v as string[];
};

/** Checks an `analyze` input (contract) and returns it typed; throws InputError naming the field. */
export function parseAnalysisInput(raw: unknown): AnalysisInput {
  if (!isObject(raw)) throw new InputError("(root)", "must be a JSON object");
  if (!isFiniteNumber(raw.now)) throw new InputError("now", "is required: the moment of analysis in unix seconds");
  const c = raw.container;
  if (!isObject(c)) throw new InputError("container", "is required: an object with at least name");
  if (typeof c.name !== "string" || c.name === "") throw new InputError("container.name", "is required: the container name");
  const w = c.workload;
  if (!absent(w) && !isObject(w)) throw new InputError("container.workload", "must be an object {kind, name, replicas}");
  const workload = isObject(w) ? w : null;
  if (workload && !absent(workload.replicas) && (!isInteger(workload.replicas) || workload.replicas < 0)) {
    throw new InputError("container.workload.replicas", "must be a non-negative integer");
  }
  const env = c.env;
  if (!absent(env) && (!isObject(env) || Object.values(env).some((x) => typeof x !== "string"))) throw new InputError("container.env", "must be an object of strings");
  let pods: PodInput[] | null = null;
  if (!absent(raw.pods)) {
    if (!Array.isArray(raw.pods) || raw.pods.length === 0) throw new InputError("pods", "must be a non-empty array of {name, series, terminations}");
    pods = raw.pods.map((p, i) => {
      if (!isObject(p)) throw new InputError(`pods[${i}]`, "must be an object {name, series, terminations}");
      if (!absent(p.name) && typeof p.name !== "string") throw new InputError(`pods[${i}].name`, "must be a string");
      return { name: typeof p.name === "string" ? p.name : `pod-${i}`, series: series(p.series, `pods[${i}].series`), terminations: terminations(p.terminations, `pods[${i}].terminations`) };
    });
  }
  const pricing = raw.pricing;
  if (!absent(pricing)) {
    if (!isObject(pricing)) throw new InputError("pricing", "must be an object {currency, perGiBMonth}");
    if (!absent(pricing.perGiBMonth) && (!isFiniteNumber(pricing.perGiBMonth) || pricing.perGiBMonth < 0)) {
      throw new InputError("pricing.perGiBMonth", "must be a non-negative number");
    }
  }
  const str = (v: unknown) => (typeof v === "string" ? v : null);
  // a name that Kubernetes would refuse cannot be a real container's, and would end up in a command
  assertValidNames(
    { name: c.name, namespace: str(c.namespace), pod: str(c.pod), workload: workload ? { name: str(workload.name) } : null, env: (env as Record<string, string> | undefined) ?? null },
    pods ? pods.map((p) => p.name) : [],
  );
  return {
    now: raw.now,
    container: {
      cluster: str(c.cluster), namespace: str(c.namespace), pod: str(c.pod), name: c.name, image: str(c.image),
      workload: workload ? { kind: str(workload.kind), name: str(workload.name), replicas: (workload.replicas as number | undefined) ?? null } : null,
      command: strings(c.command, "container.command"), args: strings(c.args, "container.args"),
      env: (env as Record<string, string> | undefined) ?? null,
      requestBytes: bytes(c.requestBytes, "container.requestBytes"), limitBytes: bytes(c.limitBytes, "container.limitBytes"),
    },
    series: pods ? null : series(raw.series, "series"),
    terminations: pods ? null : terminations(raw.terminations, "terminations"),
    pods,
    pricing: isObject(pricing) ? { currency: str(pricing.currency), perGiBMonth: (pricing.perGiBMonth as number | undefined) ?? null } : null,
  };
}
