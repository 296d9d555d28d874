import { describe, expect, it } from "vitest";
import { clusterForRole, containerViewForRole, scrubEndpoints, unavailableForRole } from "@/lib/clusters/visibility";

const err = "https://prom.internal.example:9090/api/v1/query: HTTP 401 unauthorized (check the credentials); via http://10.0.0.5/proxy";

describe("what a viewer sees of sync and metrics errors", () => {
  it("every URL is hidden, the rest of the message kept", () => {
    expect(scrubEndpoints(err)).toBe("[endpoint hidden]: HTTP 401 unauthorized (check the credentials); via [endpoint hidden]");
  });
  it("viewers get the scrubbed message, members and up the whole one", () => {
    expect(clusterForRole({ lastSyncError: err }, "viewer").lastSyncError).not.toContain("prom.internal");
    expect(containerViewForRole({ metricsError: err }, "viewer").metricsError).not.toContain("10.0.0.5");
    for (const role of ["member", "admin", "owner"] as const) {
      expect(clusterForRole({ lastSyncError: err }, role).lastSyncError).toBe(err);
      expect(containerViewForRole({ metricsError: err }, role).metricsError).toBe(err);
    }
    expect(clusterForRole({ lastSyncError: null }, "viewer").lastSyncError).toBeNull();
  });
  it("a Kubernetes read error, which names the API server's host and port, reaches viewers only as the fact that it failed", () => {
    const kube = "10.0.0.1:6443 did not answer within 15 s";
    expect(clusterForRole({ lastSyncError: null, kubeSyncError: kube }, "viewer")).toEqual({ lastSyncError: null, kubeSyncError: "the Kubernetes API could not be read (members see why)" });
    expect(clusterForRole({ lastSyncError: null, kubeSyncError: kube }, "member").kubeSyncError).toBe(kube);
    expect(clusterForRole({ lastSyncError: null, kubeSyncError: null }, "viewer").kubeSyncError).toBeNull();
  });
  it("a fleet view's unreadable clusters reach viewers without the endpoint URLs", () => {
    const r = { unavailable: [{ cluster: "prod", reason: err }], rows: [1] };
    expect(unavailableForRole(r, "viewer").unavailable[0]!.reason).not.toContain("prom.internal");
    expect(unavailableForRole(r, "viewer").rows).toEqual([1]);
    expect(unavailableForRole(r, "member")).toBe(r);
  });
});
