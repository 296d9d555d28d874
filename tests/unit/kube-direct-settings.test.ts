import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { SettingsError } from "@/lib/clusters/prometheus-settings";
import { connectionColumns, connectionFromKubeconfig, effectiveConnection, kubeSettingsInput, kubeSettingsView, storedConnection } from "@/lib/kube/direct-settings";
import type { clusters } from "@/db/schema";

const CA = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n";
const b64 = (s: string) => Buffer.from(s).toString("base64");

function kubeconfig(user: Record<string, unknown>, cluster: Record<string, unknown> = { server: "https://k8s.example.com:6443", "certificate-authority-data": b64(CA) }, extra: Record<string, unknown> = {}) {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    "current-context": "prod",
    contexts: [{ name: "prod", context: { cluster: "prod-cluster", user: "headroom" } }, { name: "other", context: { cluster: "prod-cluster", user: "other" } }],
    clusters: [{ name: "prod-cluster", cluster }],
    users: [{ name: "headroom", user }, { name: "other", user: { token: "other-token" } }],
    ...extra,
  });
}

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SettingsError);
    expect((e as SettingsError).path).toBe("kubeconfig");
    return (e as Error).message;
  }
  throw new Error("not refused");
};

describe("a kubeconfig pasted into direct mode", () => {
  it("gives its current context's server, CA and token", () => {
    const c = connectionFromKubeconfig(kubeconfig({ token: "abc.def.ghi" }));
    expect(c).toEqual({ serverUrl: "https://k8s.example.com:6443", caPem: CA, skipVerify: false, credential: { kind: "token", token: "abc.def.ghi" } });
  });

  it("reads a named context instead of the current one", () => {
    expect(connectionFromKubeconfig(kubeconfig({ token: "t" }), "other").credential).toEqual({ kind: "token", token: "other-token" });
    expect(refusal(() => connectionFromKubeconfig(kubeconfig({ token: "t" }), "missing"))).toMatch(/no context named "missing"/);
  });

  it("takes an embedded client certificate and key", () => {
    const cert = "-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----\n";
    const key = "-----BEGIN EC PRIVATE KEY-----\nY\n-----END EC PRIVATE KEY-----\n";
    const c = connectionFromKubeconfig(kubeconfig({ "client-certificate-data": b64(cert), "client-key-data": b64(key) }, { server: "https://k8s.example.com", "insecure-skip-tls-verify": true }));
    expect(c.credential).toEqual({ kind: "cert", cert, key });
    expect(c.skipVerify).toBe(true);
    expect(c.caPem).toBeNull();
  });

  it("refuses an exec plugin, naming the program it would have run", () => {
    expect(refusal(() => connectionFromKubeconfig(kubeconfig({ exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token"] } })))).toMatch(/runs no program.*aws|aws.*runs no program/);
  });

  it("refuses auth-provider plugins, files on the server and passwords", () => {
    expect(refusal(() => connectionFromKubeconfig(kubeconfig({ "auth-provider": { name: "gcp" } })))).toMatch(/auth-provider/);
    expect(refusal(() => connectionFromKubeconfig(kubeconfig({ tokenFile: "/etc/passwd" })))).toMatch(/points to a file \(tokenFile\)/);
    expect(refusal(() => connectionFromKubeconfig(kubeconfig({ "client-certificate": "/root/.kube/cert", "client-key": "/root/.kube/key" })))).toMatch(/client-certificate/);
    expect(refusal(() => connectionFromKubeconfig(kubeconfig({ token: "t" }, { server: "https://k8s.example.com", "certificate-authority": "/etc/ssl/ca.pem" })))).toMatch(/certificate-authority/);
    expect(refusal(() => connectionFromKubeconfig(kubeconfig({ username: "admin", password: "secret" })))).toMatch(/username and password/);
  });

  it("refuses a user with no credential, a bad server, and what is not a kubeconfig", () => {
    expect(refusal(() => connectionFromKubeconfig(kubeconfig({})))).toMatch(/no token and no client certificate/);
    expect(refusal(() => connectionFromKubeconfig(kubeconfig({ token: "t" }, { server: "ftp://k8s.example.com" })))).toMatch(/server must be an https/);
    expect(refusal(() => connectionFromKubeconfig(kubeconfig({ token: "t" }, { server: "https://k8s.example.com/?token=abc" })))).toMatch(/server/);
    expect(refusal(() => connectionFromKubeconfig("kind: Pod\nmetadata: {}\n"))).toMatch(/not a kubeconfig/);
    expect(refusal(() => connectionFromKubeconfig("a: [unclosed"))).toMatch(/not YAML/);
    expect(refusal(() => connectionFromKubeconfig(kubeconfig({ token: "t" }, undefined, { "current-context": "" })))).toMatch(/no current-context/);
    expect(refusal(() => connectionFromKubeconfig(kubeconfig({ "client-certificate-data": b64("not pem"), "client-key-data": b64("x") })))).toMatch(/not base64 of a PEM/);
  });
});

describe("the direct-mode settings form", () => {
  it("validates the server URL and the token with field paths", () => {
    const bad = kubeSettingsInput.safeParse({ kind: "token", serverUrl: "https://user:pw@k8s.example.com", token: "has space" });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["serverUrl", "token"]));
    expect(kubeSettingsInput.safeParse({ kind: "kubeconfig", kubeconfig: "" }).error?.issues[0]?.message).toMatch(/paste a kubeconfig/);
  });

  const key = Buffer.alloc(32, 7);
  const row = (over: Partial<typeof clusters.$inferSelect> = {}) => ({ id: "4f1c3c9e-3f55-4d7b-9a0e-2d7c1c7b5a10", kubeServerUrl: null, kubeCaPem: null, kubeCredentialEnc: null, kubeSkipVerify: false, kubeSyncAt: null, kubeSyncError: null, ...over }) as typeof clusters.$inferSelect;

  it("seals the credential bound to the cluster, reads it back, and never shows it", () => {
    const c = effectiveConnection(row(), { kind: "token", serverUrl: "https://k8s.example.com/", token: "secret-token", skipVerify: false }, key);
    const cols = connectionColumns(row().id, c, key);
    expect(cols.kubeServerUrl).toBe("https://k8s.example.com");
    expect(cols.kubeCredentialEnc).not.toContain("secret-token");
    const stored = row(cols);
    expect(storedConnection(stored, key).connection?.credential).toEqual({ kind: "token", token: "secret-token" });
    // bound to its row: copied onto another cluster it does not open
    expect(storedConnection({ ...stored, id: "0b9f2a43-8c47-4a52-8d9c-1a6b3e2f4c55" }, key)).toEqual({ connection: null, unreadable: true });
    expect(JSON.stringify(kubeSettingsView(stored, key))).not.toContain("secret-token");
    expect(kubeSettingsView(stored, key)).toMatchObject({ configured: true, auth: "token", unreadable: false });
    expect(kubeSettingsView(stored, Buffer.alloc(32, 9)).unreadable).toBe(true);
  });

  it("never sends the stored token to another server, or over a connection it was not sent over before", () => {
    const stored = row(connectionColumns(row().id, { serverUrl: "https://a.example.com:6443", caPem: CA, skipVerify: false, credential: { kind: "token", token: "kept" } }, key));
    const to = (serverUrl: string, skipVerify = false) => () => effectiveConnection(stored, { kind: "token", serverUrl, skipVerify }, key);
    expect(to("https://attacker.example.net")).toThrow(/API server changed: enter the token again/);
    expect(to("https://a.example.com:6444")).toThrow(/API server changed/);
    expect(to("http://a.example.com:6443")).toThrow(/API server changed/);
    expect(to("https://a.example.com:6443", true)).toThrow(/turning TLS verification off: enter the token again/);
    // the same server, verified as before: the token and the CA are kept
    expect(to("https://a.example.com:6443/")()).toMatchObject({ caPem: CA, credential: { token: "kept" } });
    // a new token for a new server is fine, and the old server's CA is not carried over
    expect(effectiveConnection(stored, { kind: "token", serverUrl: "https://b.example.com", token: "new", skipVerify: false }, key)).toMatchObject({ caPem: null, credential: { token: "new" } });
  });

  it("keeps the stored token when the field is left empty, and requires one when none is stored", () => {
    const stored = row(connectionColumns(row().id, { serverUrl: "https://a.example.com", caPem: null, skipVerify: false, credential: { kind: "token", token: "kept" } }, key));
    expect(effectiveConnection(stored, { kind: "token", serverUrl: "https://a.example.com/", skipVerify: false }, key)).toMatchObject({ serverUrl: "https://a.example.com", credential: { kind: "token", token: "kept" } });
    expect(() => effectiveConnection(row(), { kind: "token", serverUrl: "https://b.example.com", skipVerify: false }, key)).toThrow(/token is required/);
  });
});
