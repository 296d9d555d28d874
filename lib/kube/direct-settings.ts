import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { clusters } from "@/db/schema";
import { SettingsError } from "@/lib/clusters/prometheus-settings";
import { credentialParameter, credentialParameterMessage } from "@/lib/security/outbound";
import { decryptSecret, encryptSecret, SecretKeyError } from "@/lib/security/secrets";

/**
 * Direct mode: Headroom's server reads a cluster's Kubernetes API itself, with a service-account
 * token or the credentials of a kubeconfig. What the settings form sends, what is stored (the API
 * server URL, its CA, and the credential sealed with HEADROOM_SECRET_KEY bound to the cluster row),
 * and what the form may read back (never the credential).
 *
 * A kubeconfig is read, never kept: only its current context's server, CA and static credential are
 * taken. Anything that would make the server run a program or read its own files (exec plugins,
 * auth-provider, file paths) is refused with the reason.
 */

type ClusterRow = typeof clusters.$inferSelect;

/** The credential as stored (sealed): a bearer token, or a client certificate and its key. */
export type KubeCredential = { kind: "token"; token: string } | { kind: "cert"; cert: string; key: string };

/** Everything a read of the API server needs. */
export interface KubeConnection {
  serverUrl: string;
  caPem: string | null;
  skipVerify: boolean;
  credential: KubeCredential;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/;
const oneLine = (v: string) => /^[\x21-\x7e]*$/.test(v);

const serverUrl = z
  .string()
  .trim()
  .max(2048)
  .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), "must be an https:// URL of the API server, e.g. https://10.0.0.1:6443")
  .refine((u) => !URL.canParse(u) || (!new URL(u).username && !new URL(u).password), "no credentials in the URL: use the token or the kubeconfig")
  .superRefine((u, ctx) => {
    const parameter = URL.canParse(u) ? credentialParameter(new URL(u)) : null;
    if (parameter) ctx.addIssue({ code: "custom", message: credentialParameterMessage(parameter) });
  })
  .refine((u) => !URL.canParse(u) || (new URL(u).search === "" && new URL(u).hash === ""), "the API server URL takes no query or fragment");

export const kubeSettingsInput = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("token"),
    serverUrl,
    /** empty keeps the stored token */
    token: z.string().trim().max(16_384).refine(oneLine, "one line without spaces (a service-account token)").optional(),
    caPem: z.string().trim().max(65_536).refine((v) => v === "" || PEM_CERT.test(v), "must be a PEM certificate (-----BEGIN CERTIFICATE----- …)").nullish(),
    skipVerify: z.boolean().default(false),
  }),
  z.object({
    kind: z.literal("kubeconfig"),
    kubeconfig: z.string().min(1, "paste a kubeconfig").max(262_144, "a kubeconfig is at most 256 KiB"),
    /** which context to read; the kubeconfig's current-context when empty */
    context: z.string().trim().max(253).optional(),
  }),
]);
export type KubeSettingsInput = z.infer<typeof kubeSettingsInput>;

const str = (v: unknown) => (typeof v === "string" ? v : undefined);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const named = (list: unknown, name: string, what: string) => {
  const hit = (Array.isArray(list) ? list : []).find((e) => obj(e).name === name);
  if (!hit) throw new SettingsError("kubeconfig", `the kubeconfig has no ${what} named "${name}"`);
  return obj(obj(hit)[what]);
};
const fromBase64 = (v: string, what: string) => {
  const text = Buffer.from(v, "base64").toString("utf8");
  if (!text.includes("-----BEGIN")) throw new SettingsError("kubeconfig", `${what} is not base64 of a PEM block`);
  return text;
};

/** The server, CA and static credential of one context of a kubeconfig; refuses what Headroom must not run or read. */
export function connectionFromKubeconfig(text: string, context?: string): KubeConnection {
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 50 });
  } catch (e) {
    throw new SettingsError("kubeconfig", `not YAML: ${(e as Error).message.split("\n")[0]}`);
  }
  const cfg = obj(doc);
  if (cfg.kind !== undefined && cfg.kind !== "Config") throw new SettingsError("kubeconfig", `not a kubeconfig (kind: ${String(cfg.kind).slice(0, 40)})`);
  const ctxName = context || str(cfg["current-context"]);
  if (!ctxName) throw new SettingsError("kubeconfig", "the kubeconfig has no current-context; name the context to use");
  const ctx = named(cfg.contexts, ctxName, "context");
  const clusterName = str(ctx.cluster);
  const userName = str(ctx.user);
  if (!clusterName || !userName) throw new SettingsError("kubeconfig", `context "${ctxName}" names no cluster or no user`);
  const cluster = named(cfg.clusters, clusterName, "cluster");
  const user = named(cfg.users, userName, "user");

  if (user.exec !== undefined) throw new SettingsError("kubeconfig", `user "${userName}" gets its credential from a program (exec: ${str(obj(user.exec).command) ?? "?"}); Headroom runs no program from a kubeconfig — create a service-account token (kubectl create token) and paste it instead`);
  if (user["auth-provider"] !== undefined) throw new SettingsError("kubeconfig", `user "${userName}" uses an auth-provider plugin; use a service-account token instead`);
  for (const key of ["tokenFile", "client-certificate", "client-key"]) {
    if (user[key] !== undefined) throw new SettingsError("kubeconfig", `user "${userName}" points to a file (${key}); Headroom reads no file of its server — embed it (${key === "tokenFile" ? "token" : `${key}-data`}) with kubectl config view --flatten --minify`);
  }
  if (cluster["certificate-authority"] !== undefined) throw new SettingsError("kubeconfig", `cluster "${clusterName}" points to a file (certificate-authority); embed it with kubectl config view --flatten --minify`);
  if (user.username !== undefined || user.password !== undefined) throw new SettingsError("kubeconfig", `user "${userName}" uses a username and password; use a service-account token instead`);

  const server = serverUrl.safeParse(str(cluster.server) ?? "");
  if (!server.success) throw new SettingsError("kubeconfig", `cluster "${clusterName}": server ${server.error.issues[0]?.message ?? "is invalid"}`);
  const caData = str(cluster["certificate-authority-data"]);
  const token = str(user.token);
  const certData = str(user["client-certificate-data"]);
  const keyData = str(user["client-key-data"]);
  let credential: KubeCredential;
  if (token) {
    if (!oneLine(token)) throw new SettingsError("kubeconfig", `user "${userName}": the token is not one line`);
    credential = { kind: "token", token };
  } else if (certData && keyData) credential = { kind: "cert", cert: fromBase64(certData, "client-certificate-data"), key: fromBase64(keyData, "client-key-data") };
  else throw new SettingsError("kubeconfig", `user "${userName}" has no token and no client certificate with its key`);
  return { serverUrl: server.data.replace(/\/+$/, ""), caPem: caData ? fromBase64(caData, "certificate-authority-data") : null, skipVerify: cluster["insecure-skip-tls-verify"] === true, credential };
}

const aad = (clusterId: string) => `cluster:${clusterId}:kube-credential`;

/** The stored connection of a cluster, or null when none is configured (or it cannot be unsealed: `unreadable`). */
export function storedConnection(row: ClusterRow, key: Buffer | null): { connection: KubeConnection | null; unreadable: boolean } {
  if (!row.kubeServerUrl || !row.kubeCredentialEnc) return { connection: null, unreadable: false };
  if (!key) return { connection: null, unreadable: true };
  try {
    const credential = JSON.parse(decryptSecret(row.kubeCredentialEnc, aad(row.id), key)) as KubeCredential;
    return { connection: { serverUrl: row.kubeServerUrl, caPem: row.kubeCaPem, skipVerify: row.kubeSkipVerify, credential }, unreadable: false };
  } catch (e) {
    if (e instanceof SecretKeyError) return { connection: null, unreadable: true };
    throw e;
  }
}

/** The connection the form describes: a kubeconfig's, or the typed URL and token (an empty token or CA keeps the stored one). */
export function effectiveConnection(row: ClusterRow, input: KubeSettingsInput, key: Buffer | null): KubeConnection {
  if (input.kind === "kubeconfig") return connectionFromKubeconfig(input.kubeconfig, input.context);
  const serverUrl = input.serverUrl.replace(/\/+$/, "");
  // the stored token and CA are kept only for the server they were given for, and never sent without the
  // verification they were sent with: otherwise an admin could send the stored token to a server of theirs
  const sameServer = row.kubeServerUrl !== null && new URL(serverUrl).origin === new URL(row.kubeServerUrl).origin;
  const keepsVerification = !input.skipVerify || row.kubeSkipVerify;
  let credential: KubeCredential;
  if (input.token) credential = { kind: "token", token: input.token };
  else {
    const prev = storedConnection(row, key).connection?.credential;
    if (prev?.kind !== "token") throw new SettingsError("token", "the service-account token is required");
    if (!sameServer) throw new SettingsError("token", "the API server changed: enter the token again (the stored one is only sent to the server it was saved for)");
    if (!keepsVerification) throw new SettingsError("token", "turning TLS verification off: enter the token again (the stored one was only ever sent over a verified connection)");
    credential = prev;
  }
  return { serverUrl, caPem: input.caPem || (sameServer ? row.kubeCaPem : null) || null, skipVerify: input.skipVerify, credential };
}

/** The columns that store a connection (the credential sealed, bound to this cluster). */
export function connectionColumns(clusterId: string, c: KubeConnection | null, key: Buffer | null) {
  if (!c) return { kubeServerUrl: null, kubeCaPem: null, kubeCredentialEnc: null, kubeSkipVerify: false };
  if (!key) throw new SecretKeyError("HEADROOM_SECRET_KEY is not set: credentials cannot be stored");
  return { kubeServerUrl: c.serverUrl, kubeCaPem: c.caPem, kubeCredentialEnc: encryptSecret(JSON.stringify(c.credential), aad(clusterId), key), kubeSkipVerify: c.skipVerify };
}

/** What the settings page may read back: never the credential. */
export interface KubeSettingsView {
  configured: boolean;
  serverUrl: string | null;
  auth: KubeCredential["kind"] | null;
  ca: boolean;
  skipVerify: boolean;
  lastSyncAt: string | null;
  lastSyncError: string | null;
  /** sealed with another HEADROOM_SECRET_KEY: enter it again */
  unreadable: boolean;
}

export function kubeSettingsView(row: ClusterRow, key: Buffer | null): KubeSettingsView {
  const { connection, unreadable } = storedConnection(row, key);
  return {
    configured: Boolean(row.kubeServerUrl && row.kubeCredentialEnc),
    serverUrl: row.kubeServerUrl,
    auth: connection?.credential.kind ?? null,
    ca: Boolean(row.kubeCaPem),
    skipVerify: row.kubeSkipVerify,
    lastSyncAt: row.kubeSyncAt?.toISOString() ?? null,
    lastSyncError: row.kubeSyncError,
    unreadable,
  };
}
