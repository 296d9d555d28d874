import "server-only";
import { createDb, type Db } from "./connect";

const globalForDb = globalThis as unknown as { headroomDb?: Db };

/** The app's shared database handle, created on first use from DATABASE_URL. */
export function getDb(): Db {
  if (!globalForDb.headroomDb) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: start the app with `npm run demo` or set it");
    globalForDb.headroomDb = createDb(url);
  }
  return globalForDb.headroomDb;
}
