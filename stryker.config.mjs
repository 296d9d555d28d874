// @ts-check
/**
 * `npm run mutate`: mutation testing of the engine (lib/analysis) and the security code (lib/security).
 * Goals: at least 85% of mutants killed in lib/analysis and 90% in lib/security. Not part of `npm test`.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
const config = {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutate.config.ts" },
  plugins: ["@stryker-mutator/vitest-runner"],
  // rate-limit.ts is a thin wrapper over rate-limiter-flexible's Postgres store: its rules are tested against a
  // real Postgres (tests/integration/organizations.test.ts, tests/e2e/surface.spec.ts), which a mutation run does not start
  mutate: ["lib/analysis/**/*.ts", "lib/security/**/*.ts", "!lib/security/rate-limit.ts"],
  coverageAnalysis: "perTest",
  concurrency: 2,
  timeoutMS: 20_000,
  reporters: ["clear-text", "progress", "json"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
  // no incremental mode: it kept reporting as survivors mutants that new tests kill (seen with Stryker 9.6)
};

export default config;
