import path from "node:path";
import { defineConfig } from "vitest/config";

// `npm run mutate`: the fast suites that pin the engine's and the security code's rules (no Postgres,
// no Prometheus, no browser), so Stryker can run them once per mutant.
export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      "server-only": path.resolve(import.meta.dirname, "tests/support/empty-module.ts"),
    },
  },
  test: {
    // only the suites that test lib/analysis and lib/security: every other file would be loaded for each mutant
    include: ["tests/unit/analysis-*.test.ts", "tests/unit/analyze-*.test.ts", "tests/unit/security*.test.ts", "tests/integration/commands-in-a-shell.test.ts", "tests/integration/kubectl-fix.test.ts"],
    environment: "node",
    testTimeout: 60_000,
  },
});
