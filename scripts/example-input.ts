// npm run --silent example-input -- CLUSTER/WORKLOAD [--days N] [--step SECONDS]
// Prints an `analyze` input (shared/contracts/analyze-cli.md) for one container of the demo fleet,
// from the same scenario models as the demo, ending now. Pipe it into `npm run --silent analyze -- -`.
import { demoAnalysisInput } from "@/lib/scenarios/analysis-input";
import { DEMO_FLEET } from "@/lib/scenarios/demo-fleet";

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

const args = process.argv.slice(2).filter((a) => a !== "--");
const names = DEMO_FLEET.flatMap((c) => c.workloads.map((w) => `${c.slug}/${w.name}`));
const target = args.find((a) => !a.startsWith("--") && !/^\d+$/.test(a));
if (!target) fail(`usage: npm run --silent example-input -- CLUSTER/WORKLOAD [--days N] [--step SECONDS]; one of: ${names.join(", ")}`);
const option = (flag: string, fallback: number, max: number) => {
  const i = args.indexOf(flag);
  if (i < 0) return fallback;
  const v = Number(args[i + 1]);
  if (!Number.isInteger(v) || v < 1 || v > max) fail(`${flag} must be a whole number from 1 to ${max}`);
  return v;
};
const days = option("--days", 7, 30);
const step = option("--step", 300, 3600);
const [cluster, workload] = target.split("/");
if (!names.includes(target)) fail(`no demo workload "${target}"; one of: ${names.join(", ")}`);
process.stdout.write(`${JSON.stringify(demoAnalysisInput(cluster!, workload!, Math.floor(Date.now() / 1000), { days, step }))}\n`);
