import { replayBacktest, type BacktestBasis } from "./backtest";
import { fixCommands } from "./commands";
import { specFindings } from "./findings";
import { formatQuantity, mib, Mi, parseMemoryQuantity, roundUpClean } from "./quantity";
import { costDelta, requestCost } from "./recommend";
import { CEILING_SHARE, ceilingBytesAt, fillAdvice, runtimeName, type CeilingSize, type HeapCeiling, type Runtime } from "./runtime";
import type { AnalysisOutput, Backtest, ContainerInput } from "./types";

/**
 * The what-if: a proposed request and limit replayed by the same engine as the recommendation (the
 * backtest over the window, the heap-ceiling rule, the cost rule, the kubectl command), from a compact
 * basis the server computes once with the verdict. The basis carries no env values, command line or
 * samples: the page replays it in the browser on every keystroke.
 */

/** A heap ceiling without the env value that carries it. */
export interface WhatIfCeiling {
  runtime: Runtime;
  flag: string;
  variable: string | null;
  size: CeilingSize;
  adviceTemplate: string;
}

export interface WhatIfBasis {
  /** the container as the engine saw it, without env, command or args */
  container: ContainerInput;
  backtest: BacktestBasis;
  ceilings: WhatIfCeiling[];
  pricing: { currency: string; perGiBMonth: number } | null;
  /** pods running at the end of the window */
  runningPods: string[];
}

/** The what-if basis for a container: what the backtest, the heap rule, the cost rule and the commands read. */
export function whatIfBasis(c: ContainerInput, backtest: BacktestBasis, ceilings: HeapCeiling[], pricing: { currency?: string | null; perGiBMonth?: number | null } | null | undefined, runningPods: string[]): WhatIfBasis {
  const { env: _env, command: _command, args: _args, ...container } = c;
  void _env; void _command; void _args;
  return {
    container,
    backtest,
    ceilings: ceilings.map((h) => ({ runtime: h.runtime, flag: h.flag, variable: h.variable, size: h.size, adviceTemplate: h.adviceTemplate })),
    pricing: pricing && typeof pricing.perGiBMonth === "number" ? { currency: pricing.currency ?? "USD", perGiBMonth: pricing.perGiBMonth } : null,
    runningPods,
  };
}

export interface WhatIfValues {
  requestBytes: number;
  limitBytes: number;
  /** as typed (validated): what the command writes */
  request: string;
  limit: string;
}

/** A request and a limit as typed, validated: the values, or a message per field. */
export function parseWhatIf(request: string, limit: string): { values: WhatIfValues } | { errors: { request?: string; limit?: string } } {
  const r = parseMemoryQuantity(request);
  const l = parseMemoryQuantity(limit);
  const errors: { request?: string; limit?: string } = {};
  if ("error" in l) errors.limit = l.error;
  if ("error" in r) errors.request = r.error;
  if ("bytes" in r && "bytes" in l && r.bytes > l.bytes) {
    errors.request = `The request (${request.trim()}) is above the limit (${limit.trim()}): Kubernetes refuses such a pod. Lower the request or raise the limit.`;
  }
  if (errors.request || errors.limit || !("bytes" in r) || !("bytes" in l)) return { errors };
  return { values: { requestBytes: r.bytes, limitBytes: l.bytes, request: request.trim(), limit: limit.trim() } };
}

export interface WhatIfCeilingCheck {
  runtime: Runtime;
  flag: string;
  /** the ceiling's size under the proposed limit, as set today */
  bytes: number;
  /** at or above the limit; above its share of it; within it */
  status: "exceeds" | "near" | "ok";
  /** the size the backtest assumes: lowered to its share through the env where it is set there, as the fix does */
  afterBytes: number;
  message: string;
}

export interface WhatIfResult {
  backtest: Backtest;
  ceilings: WhatIfCeilingCheck[];
  cost: AnalysisOutput["cost"];
  today: ReturnType<typeof requestCost>;
  /** `kubectl set resources …` with the values as typed; null for a bare pod */
  kubectl: string | null;
  /** the proposal equals today's request and limit */
  unchanged: boolean;
  /** the engine's warnings about the proposal itself (limit above 2x the request) */
  warnings: string[];
}

/** The heap rule at a proposed limit: each ceiling's size, and what the fix must do about it (lowered through env as the recommendation does). */
export function checkCeilings(ceilings: WhatIfCeiling[], limitBytes: number): WhatIfCeilingCheck[] {
  return ceilings.map((h) => {
    const share = CEILING_SHARE[h.runtime];
    const bytes = ceilingBytesAt(h.size, limitBytes);
    const name = h.runtime === "go" ? `Go's soft memory limit ${h.flag}` : `the ${runtimeName(h.runtime)} heap ceiling ${h.flag}${h.variable ? ` in ${h.variable}` : " in the command"}`;
    const pct = `${Math.round(share * 100)}%`;
    if (bytes <= share * limitBytes) {
      return { runtime: h.runtime, flag: h.flag, bytes, status: "ok", afterBytes: bytes, message: `${cap(name)} (${mib(bytes)}) leaves the runtime ${Math.round((1 - bytes / limitBytes) * 100)}% of ${formatQuantity(limitBytes)}: fine.` };
    }
    const status = bytes >= limitBytes ? "exceeds" : "near";
    const problem = status === "exceeds" ? `is at or above the ${formatQuantity(limitBytes)} limit: the heap can grow until the kernel kills the process` : `leaves under ${100 - Math.round(share * 100)}% of ${formatQuantity(limitBytes)} for everything outside the heap`;
    if (h.variable !== null) {
      // the same target and read-back as planSizing: floor(share x limit), written in whole MiB (a relative setting becomes 75%)
      const target = Math.floor(share * limitBytes);
      const relative = !("bytes" in h.size) && h.size.capBytes === null;
      const afterBytes = relative ? share * limitBytes : Math.max(1, Math.floor(target / Mi)) * Mi;
      return {
        runtime: h.runtime, flag: h.flag, bytes, status, afterBytes,
        message: `${cap(name)} (${mib(bytes)}) ${problem}. Lower it to ${fillAdvice(h.adviceTemplate, target)} (${pct} of the limit) in ${h.variable} together with the limit; the backtest assumes you do.`,
      };
    }
    return {
      runtime: h.runtime, flag: h.flag, bytes, status, afterBytes: bytes,
      message: `${cap(name)} (${mib(bytes)}) ${problem}. Change it in the command to ${fillAdvice(h.adviceTemplate, Math.floor(share * limitBytes))}, or raise the limit to at least ${formatQuantity(roundUpClean(Math.ceil(bytes / share)))}.`,
    };
  });
}

/** Replays a proposed request and limit: the backtest, the heap ceilings, the cost change and the command, all from the engine's rules. */
export function runWhatIf(b: WhatIfBasis, v: WhatIfValues): WhatIfResult {
  const ceilings = checkCeilings(b.ceilings, v.limitBytes);
  // the ceiling closest to the limit once lowered decides whether kills count as avoided, as in analyzeContainer
  const heap = ceilings.reduce<{ flag: string; afterBytes: number } | null>((m, p) => {
    if (m !== null && !(p.afterBytes / v.limitBytes > m.afterBytes / v.limitBytes)) return m;
    const h = b.ceilings.find((x) => x.runtime === p.runtime)!;
    return { flag: p.afterBytes !== p.bytes ? fillAdvice(h.adviceTemplate, p.afterBytes) : p.flag, afterBytes: p.afterBytes };
  }, null);
  const c = b.container;
  const rec = { profile: "stateless" as const, requestBytes: v.requestBytes, limitBytes: v.limitBytes, request: v.request, limit: v.limit, basis: "", noChange: false };
  const proposed: ContainerInput = { ...c, requestBytes: v.requestBytes, limitBytes: v.limitBytes };
  return {
    backtest: replayBacktest(b.backtest, v.limitBytes, heap),
    ceilings,
    cost: costDelta(c, rec, b.pricing),
    today: requestCost(c, b.pricing),
    kubectl: fixCommands(c, rec).kubectl,
    unchanged: c.requestBytes === v.requestBytes && c.limitBytes === v.limitBytes,
    warnings: specFindings(proposed).filter((f) => f.code === "limit_above_2x_request").map((f) => f.message),
  };
}

const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
