// npm run --silent analyze -- FILE|-   (shared/contracts/analyze-cli.md)
// npm run --silent analyze -- --prometheus URL [...]   (every container Prometheus knows of)
import fs from "node:fs";
import { analyzeInput, InputError, parseAnalysisInput } from "@/lib/analysis";
import { analyzeFromPrometheus, formatJson, formatTable, parseArgs, UsageError } from "@/lib/cli/prometheus-analyze";
import { PrometheusError } from "@/lib/metrics/prometheus-client";

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

const args = process.argv.slice(2).filter((a) => a !== "--");
if (args.includes("--prometheus")) {
  try {
    const opts = parseArgs(args);
    const { results, refused, skipped } = await analyzeFromPrometheus(opts);
    process.stdout.write(opts.format === "table" ? formatTable(results) : formatJson(results));
    if (skipped) process.stderr.write(`warning: ${skipped}\n`);
    // statistics that cannot be true are an error, never a recommendation
    if (refused.length) fail(`no verdict for ${refused.map((r) => `${r.namespace}/${r.workload}/${r.container}`).join(", ")}: ${refused[0]!.error}`);
    process.exit(0);
  } catch (e) {
    if (e instanceof UsageError || e instanceof PrometheusError) fail(e.message);
    // anything else is still one line, never a stack trace (HEADROOM_DEBUG=1 shows it)
    if (process.env.HEADROOM_DEBUG) console.error(e);
    fail(`unexpected: ${(e as Error).message}`);
  }
}
if (args.length !== 1 || args[0] === "--help" || args[0] === "-h") {
  fail("usage: npm run --silent analyze -- INPUT.json   (or - to read standard input)");
}
const file = args[0]!;
let text: string;
try {
  text = fs.readFileSync(file === "-" ? 0 : file, "utf8");
} catch (e) {
  fail(`cannot read ${file === "-" ? "standard input" : file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
}
let raw: unknown;
try {
  raw = JSON.parse(text);
} catch (e) {
  fail(`input is not JSON: ${(e as Error).message}`);
}
try {
  const output = analyzeInput(parseAnalysisInput(raw));
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
} catch (e) {
  if (e instanceof InputError) fail(e.message);
  throw e;
}
