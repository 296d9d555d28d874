import { spawn } from "node:child_process";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { createTestDatabase } from "../support/test-database";

test("a production start refuses an unmigrated database with a clear message", async () => {
  const fresh = await createTestDatabase();
  try {
    const port = 42_000 + (process.pid % 1000);
    const child = spawn(path.join("node_modules", ".bin", "next"), ["start", "-H", "127.0.0.1", "-p", String(port)], {
      env: { ...process.env, DATABASE_URL: fresh.url, NEXTAUTH_SECRET: "x", NEXTAUTH_URL: `http://127.0.0.1:${port}`, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve(null);
      }, 45_000);
      child.on("exit", (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(code, output).toBe(1);
    expect(output).toContain("the database is not migrated");
    expect(output).toContain("npm run db:migrate");
  } finally {
    await fresh.drop();
  }
});
