// Runs once when the Next.js server starts (lib/server-start.ts: the migration check and the job queue).
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") await (await import("./lib/server-start")).startServer();
}
