import { z } from "zod";
import type { clusters } from "@/db/schema";
import type { PrometheusAuth } from "@/lib/metrics/prometheus-client";
import type { PrometheusSourceOptions } from "@/lib/metrics/prometheus-source";
import { isLabelName } from "@/lib/metrics/promql";
import { credentialParameter, credentialParameterMessage } from "@/lib/security/outbound";
import { decryptSecret, encryptSecret } from "@/lib/security/secrets";

/**
 * A cluster's Prometheus endpoint: what the settings form sends, how it is stored (credentials and
 * header values encrypted, bound to the cluster row), and what the form may read back (never a secret).
 */

type ClusterRow = typeof clusters.$inferSelect;

/** Header values (and tokens, which travel in one) must be one line of Latin-1. */
const headerSafe = (v: string) => /^[\x20-\x7e\xa0-\xff\t]*$/.test(v);

const headerName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, "not a valid HTTP header name")
  .refine((n) => !/^(host|content-length|content-type|authorization|connection|transfer-encoding)$/i.test(n), "this header is set by Headroom; use the auth settings for Authorization");

const labelName = z.string().trim().max(128).refine((v) => v === "" || isLabelName(v), "must be a Prometheus label name (letters, digits, _), e.g. exported_namespace");
/** Renamed namespace/pod/container labels of one family of series; empty means the standard name. */
const labelNames = z.object({ namespace: labelName.optional(), pod: labelName.optional(), container: labelName.optional() });

/** Only the names that differ from the standard ones; null when none does. */
export function storedLabelNames(input: PrometheusSettingsInput["labelNames"]): StoredLabelNames | null {
  const out: StoredLabelNames = {};
  for (const family of ["cadvisor", "ksm"] as const) {
    const changed = Object.entries(input?.[family] ?? {}).filter(([k, v]) => v && v !== k);
    if (changed.length) out[family] = Object.fromEntries(changed);
  }
  return Object.keys(out).length ? out : null;
}
type StoredLabelNames = NonNullable<ClusterRow["prometheusLabelNames"]>;

/** The settings form. Secret fields left empty keep what is stored. */
export const prometheusSettingsInput = z.object({
  url: z
    .string()
    .trim()
    .min(1, "the Prometheus URL is required")
    .max(2048)
    .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), "must be an http:// or https:// URL, e.g. https://prometheus.example.com")
    .refine((u) => !URL.canParse(u) || (!new URL(u).username && !new URL(u).password), "no credentials in the URL: use the authentication settings")
    .superRefine((u, ctx) => {
      const parameter = URL.canParse(u) ? credentialParameter(new URL(u)) : null;
      if (parameter) ctx.addIssue({ code: "custom", message: credentialParameterMessage(parameter) });
    })
    .refine((u) => !URL.canParse(u) || !/\/\/|\\/.test(new URL(u).pathname), "the path may not contain // or \\"),
  auth: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("none") }),
    z.object({ kind: z.literal("bearer"), token: z.string().max(8192).refine(headerSafe, "one line of printable characters").optional() }),
    z.object({ kind: z.literal("basic"), username: z.string().trim().min(1, "the username is required").max(256).refine((v) => headerSafe(v) && !v.includes(":"), "printable characters, no colon"), password: z.string().max(1024).refine(headerSafe, "one line of printable characters").optional() }),
  ]),
  headers: z.array(z.object({ name: headerName, value: z.string().max(4096).refine(headerSafe, "one line of printable characters").optional() })).max(20).default([]),
  caPem: z
    .string()
    .trim()
    .max(65_536)
    .refine((v) => v === "" || /-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(v), "must be a PEM certificate (-----BEGIN CERTIFICATE----- …)")
    .nullish(),
  skipVerify: z.boolean().default(false),
  clusterLabel: z
    .string()
    .trim()
    .refine(isLabelName, "must be a Prometheus label name, e.g. cluster")
    .max(128)
    .nullish()
    .or(z.literal("")),
  clusterLabelValue: z.string().trim().max(256).nullish(),
  labelNames: z
    .object({ cadvisor: labelNames.optional(), ksm: labelNames.optional() })
    .nullish(),
  pricePerGibMonth: z.number().min(0).max(10_000).optional(),
  currency: z.string().trim().regex(/^[A-Z]{3}$/, "a three-letter currency code, e.g. USD").optional(),
}).superRefine((v, ctx) => {
  if (v.clusterLabel && !v.clusterLabelValue) ctx.addIssue({ code: "custom", path: ["clusterLabelValue"], message: "the value of the cluster label for this cluster is required" });
});
export type PrometheusSettingsInput = z.infer<typeof prometheusSettingsInput>;

interface StoredAuth {
  kind: PrometheusAuth["kind"];
  token?: string;
  username?: string;
  password?: string;
}

const aad = (clusterId: string, what: "auth" | "headers") => `cluster:${clusterId}:prometheus-${what}`;

function storedAuth(row: Pick<ClusterRow, "id" | "prometheusSecretEnc">, key: Buffer): StoredAuth | null {
  return row.prometheusSecretEnc ? (JSON.parse(decryptSecret(row.prometheusSecretEnc, aad(row.id, "auth"), key)) as StoredAuth) : null;
}

function storedHeaders(row: Pick<ClusterRow, "id" | "prometheusHeadersEnc">, key: Buffer): Record<string, string> {
  return row.prometheusHeadersEnc ? (JSON.parse(decryptSecret(row.prometheusHeadersEnc, aad(row.id, "headers"), key)) as Record<string, string>) : {};
}

/**
 * Merges the form with what is stored: a secret field left empty keeps the stored value, but only
 * while the endpoint stays on the same origin (stored credentials never follow a changed URL to
 * another server). Stored values that no longer decrypt (the key changed) count as absent, so the
 * form asks for them again instead of failing.
 */
export function effectiveConfig(row: Pick<ClusterRow, "id" | "prometheusUrl" | "prometheusSecretEnc" | "prometheusHeadersEnc">, input: PrometheusSettingsInput, key: Buffer) {
  const sameOrigin = row.prometheusUrl !== null && URL.canParse(row.prometheusUrl) && new URL(row.prometheusUrl).origin === new URL(input.url).origin;
  const readable = <T>(read: () => T, fallback: T): T => {
    if (!sameOrigin) return fallback;
    try {
      return read();
    } catch {
      return fallback;
    }
  };
  const needStored = (input.auth.kind === "bearer" && !input.auth.token) || (input.auth.kind === "basic" && !input.auth.password);
  const before = needStored ? readable(() => storedAuth(row, key), null) : null;
  const elsewhere = sameOrigin ? "" : " (the URL's host changed, so the stored one is not sent there)";
  let auth: PrometheusAuth;
  if (input.auth.kind === "bearer") {
    const token = input.auth.token || (before?.kind === "bearer" ? before.token : undefined);
    if (!token) throw new SettingsError("auth.token", `the bearer token is required${row.prometheusSecretEnc ? elsewhere : ""}`);
    auth = { kind: "bearer", token };
  } else if (input.auth.kind === "basic") {
    const password = input.auth.password || (before?.kind === "basic" && before.username === input.auth.username ? before.password : undefined);
    if (password === undefined) throw new SettingsError("auth.password", `the password is required${row.prometheusSecretEnc ? elsewhere : ""}`);
    auth = { kind: "basic", username: input.auth.username, password };
  } else auth = { kind: "none" };
  const oldHeaders = input.headers.some((h) => !h.value) ? readable(() => storedHeaders(row, key), {} as Record<string, string>) : {};
  const headers: Record<string, string> = {};
  input.headers.forEach((h, i) => {
    const value = h.value || oldHeaders[h.name];
    if (value === undefined) throw new SettingsError(`headers.${i}.value`, `a value for ${h.name} is required${elsewhere}`);
    headers[h.name] = value;
  });
  return {
    url: input.url.replace(/\/+$/, ""),
    auth,
    headers,
    caPem: input.caPem || null,
    skipVerify: input.skipVerify,
    clusterLabel: input.clusterLabel || null,
    clusterLabelValue: input.clusterLabel ? (input.clusterLabelValue ?? null) : null,
    labelNames: storedLabelNames(input.labelNames),
  };
}
export type EffectiveConfig = ReturnType<typeof effectiveConfig>;

/** A settings problem on one field, answered 400 with its path. */
export class SettingsError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** Columns to store: the URL and options in clear, credentials and header values encrypted. */
export function toColumns(clusterId: string, cfg: EffectiveConfig, key: Buffer) {
  const auth: StoredAuth = cfg.auth.kind === "bearer" ? { kind: "bearer", token: cfg.auth.token } : cfg.auth.kind === "basic" ? { kind: "basic", username: cfg.auth.username, password: cfg.auth.password } : { kind: "none" };
  return {
    metricsKind: "prometheus" as const,
    prometheusUrl: cfg.url,
    prometheusAuth: cfg.auth.kind,
    prometheusSecretEnc: cfg.auth.kind === "none" ? null : encryptSecret(JSON.stringify(auth), aad(clusterId, "auth"), key),
    prometheusHeadersEnc: Object.keys(cfg.headers).length ? encryptSecret(JSON.stringify(cfg.headers), aad(clusterId, "headers"), key) : null,
    prometheusCaPem: cfg.caPem,
    prometheusSkipVerify: cfg.skipVerify,
    clusterLabel: cfg.clusterLabel,
    clusterLabelValue: cfg.clusterLabelValue,
    prometheusLabelNames: cfg.labelNames,
  };
}

/** The stored endpoint as options for a PrometheusSource (decrypting the credentials). Null without a URL. */
export function sourceOptions(row: ClusterRow, key: Buffer): PrometheusSourceOptions | null {
  if (!row.prometheusUrl) return null;
  const a = storedAuth(row, key);
  const auth: PrometheusAuth = a?.kind === "bearer" ? { kind: "bearer", token: a.token ?? "" } : a?.kind === "basic" ? { kind: "basic", username: a.username ?? "", password: a.password ?? "" } : { kind: "none" };
  return {
    url: row.prometheusUrl,
    auth,
    headers: storedHeaders(row, key),
    caPem: row.prometheusCaPem,
    skipVerify: row.prometheusSkipVerify,
    labels: { clusterLabel: row.clusterLabel, clusterValue: row.clusterLabelValue, ...(row.prometheusLabelNames ?? {}) },
  };
}

/** What the settings form may show: never a secret, only whether one is stored. */
export function settingsView(row: ClusterRow, key: Buffer | null) {
  let username: string | null = null;
  let headerNames: string[] = [];
  let unreadable = false;
  if (key) {
    try {
      username = storedAuth(row, key)?.username ?? null;
      headerNames = Object.keys(storedHeaders(row, key));
    } catch {
      unreadable = true;
    }
  }
  return {
    metricsKind: row.metricsKind,
    url: row.prometheusUrl,
    authKind: row.prometheusAuth,
    username,
    hasSecret: row.prometheusSecretEnc !== null,
    headers: headerNames.map((name) => ({ name, hasValue: true })),
    caPem: row.prometheusCaPem,
    skipVerify: row.prometheusSkipVerify,
    clusterLabel: row.clusterLabel,
    clusterLabelValue: row.clusterLabelValue,
    labelNames: row.prometheusLabelNames ?? null,
    pricePerGibMonth: row.pricePerGibMonth,
    currency: row.currency,
    lastSyncAt: row.lastSyncAt?.toISOString() ?? null,
    lastSyncError: row.lastSyncError,
    /** the stored credentials do not decrypt with this server's key */
    unreadable,
  };
}
export type SettingsView = ReturnType<typeof settingsView>;
