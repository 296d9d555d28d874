import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseArgs, UsageError } from "@/lib/cli/prometheus-analyze";

const base = ["--prometheus", "https://prom.example.com"];

describe("analyze --prometheus: arguments", () => {
  it("takes bearer or basic auth, a CA file or skip-verify", () => {
    expect(parseArgs([...base, "--basic-auth", "grafana:s3:cr3t"]).basicAuth).toEqual({ username: "grafana", password: "s3:cr3t" });
    const ca = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "hr-ca-")), "ca.pem");
    fs.writeFileSync(ca, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    expect(parseArgs([...base, "--ca-file", ca]).caPem).toContain("BEGIN CERTIFICATE");
    expect(parseArgs([...base, "--insecure-skip-verify"]).skipVerify).toBe(true);
  });

  it("refuses bad input with a clear message, never a stack trace", () => {
    const bad: [string[], RegExp][] = [
      [["--cluster-label", "a-b", "--cluster", "x"], /--cluster-label must be a Prometheus label name.*"a-b"/],
      [["--basic-auth", "nopassword"], /--basic-auth must be USER:PASSWORD/],
      [["--ca-file", "/nonexistent/ca.pem"], /--ca-file: cannot read \/nonexistent\/ca.pem: ENOENT/],
      [["--ca-file", "/etc/hostname"], /holds no PEM certificate/],
      [["--bearer-token", "t", "--basic-auth", "u:p"], /one or the other/],
      [["--insecure-skip-verify", "--ca-file", "/etc/hostname"], /holds no PEM certificate|one or the other/],
      [["--cluster", "prod"], /--cluster-label and --cluster go together/],
      [["--window", "3x"], /--window must be a duration/],
    ];
    for (const [args] of bad) expect(() => parseArgs([...base, ...args]), args.join(" ")).toThrow(UsageError);
    for (const [args, message] of bad) expect(() => parseArgs([...base, ...args]), args.join(" ")).toThrow(message);
  });
});
