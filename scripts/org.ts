// npm run org -- create --slug globex --name "Globex" --owner alice@globex.example
import fs from "node:fs";
import path from "node:path";
import { createDb } from "@/db/connect";
import { ORG_USAGE, OrgUsageError, runOrgCommand } from "@/lib/cli/org";
import { openDatabase, type Database } from "./lib/database";

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

const args = process.argv.slice(2).filter((a) => a !== "--");
if (args.length === 0 || args[0] === "--help" || args[0] === "-h") {
  console.log(ORG_USAGE);
  process.exit(0);
}

// DATABASE_URL; else the database of a running `npm run demo`; else the demo's embedded one, started here
async function database(): Promise<Database> {
  const running = path.join(process.cwd(), ".data", "database-url");
  if (!process.env.DATABASE_URL && fs.existsSync(running)) {
    const url = fs.readFileSync(running, "utf8").trim();
    const db = createDb(url, 2);
    try {
      await db.$client.query("select 1");
      return { url, db, embedded: true, close: () => db.$client.end() };
    } catch {
      await db.$client.end().catch(() => {});
    }
  }
  return openDatabase();
}

let exitCode = 0;
const d = await database().catch((e: Error) => fail(`cannot open the database: ${e.message}`));
try {
  console.log(await runOrgCommand(d.db, args));
} catch (e) {
  process.stderr.write(`error: ${e instanceof OrgUsageError ? e.message : `unexpected: ${(e as Error).message}`}\n`);
  exitCode = 2;
} finally {
  await d.close();
}
process.exit(exitCode);
