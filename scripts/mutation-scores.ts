// Prints the mutation score of each directory `npm run mutate` covers, against its goal (issue: 85% for
// the engine, 90% for the security code). Score as Stryker counts it: killed + timed out, over every
// mutant that compiled (survivors and mutants no test covers count against it).
import fs from "node:fs";

const GOALS: Record<string, number> = { "lib/analysis": 85, "lib/security": 90 };
const report = JSON.parse(fs.readFileSync("reports/mutation/mutation.json", "utf8")) as { files: Record<string, { mutants: { status: string }[] }> };

let ok = true;
for (const [dir, goal] of Object.entries(GOALS)) {
  const counts: Record<string, number> = {};
  for (const [file, { mutants }] of Object.entries(report.files)) {
    if (!file.replace(/\\/g, "/").includes(`${dir}/`)) continue;
    for (const m of mutants) counts[m.status] = (counts[m.status] ?? 0) + 1;
  }
  const detected = (counts.Killed ?? 0) + (counts.Timeout ?? 0);
  const valid = detected + (counts.Survived ?? 0) + (counts.NoCoverage ?? 0);
  const score = valid ? (100 * detected) / valid : 0;
  if (score < goal) ok = false;
  console.log(`${dir.padEnd(14)} ${score.toFixed(1)}% killed (${detected} of ${valid}; ${counts.Survived ?? 0} survived, ${counts.NoCoverage ?? 0} not covered) — goal ${goal}%: ${score >= goal ? "met" : "NOT met"}`);
}
process.exit(ok ? 0 : 1);
