// npm run agent:build — bundles agents/collector to one file (dist/collector.js) for the container image.
import { build } from "esbuild";
import path from "node:path";

const root = process.cwd();
await build({
  entryPoints: [path.join(root, "agents/collector/src/main.ts")],
  outfile: path.join(root, "agents/collector/dist/collector.js"),
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  minify: false,
  sourcemap: false,
  alias: { "@": root },
  // node's own modules stay outside; everything else is in the file
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  logLevel: "warning",
});
console.log("agents/collector/dist/collector.js");
