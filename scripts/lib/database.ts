import path from "node:path";
import { createDb, migrateDb, type Db } from "@/db/connect";
import { startEmbeddedPostgres } from "@/db/embedded";

export interface Database {
  url: string;
  db: Db;
  embedded: boolean;
  close(): Promise<void>;
}

/** DATABASE_URL when set, else an embedded Postgres with data under `dataDir`; migrated either way. */
export async function openDatabase(opts: { dataDir?: string; persistent?: boolean; log?: (m: string) => void } = {}): Promise<Database> {
  const external = process.env.DATABASE_URL;
  const pg = external
    ? null
    : await startEmbeddedPostgres({ dataDir: opts.dataDir ?? path.join(process.cwd(), ".data", "pg"), persistent: opts.persistent ?? true, log: opts.log });
  const url = external ?? pg!.url;
  const db = createDb(url, 4);
  try {
    await migrateDb(db);
  } catch (e) {
    await db.$client.end().catch(() => {});
    await pg?.stop();
    throw e;
  }
  return {
    url,
    db,
    embedded: !external,
    close: async () => {
      await db.$client.end().catch(() => {});
      await pg?.stop();
    },
  };
}
