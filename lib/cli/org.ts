import { ZodError } from "zod";
import type { Db } from "@/db/connect";
import { ConflictError } from "@/lib/clusters/errors";
import { createOrganization, newSetupLink } from "@/lib/orgs/organizations";
import { configuredPublicUrl } from "@/lib/http/public-url";
import { orgSlugSchema } from "@/lib/schemas/orgs";

/** A command line that cannot run: printed as `error: …`, exit 2. */
export class OrgUsageError extends Error {}

export const ORG_USAGE = `usage:
  npm run org -- create --slug SLUG --name "NAME" --owner EMAIL   an organization, its first owner and a one-time setup link
  npm run org -- setup-link --slug SLUG                          a new setup link for the organization's first owner

The setup link signs the owner in once (1 hour, single use) so that they can configure single sign-on.
Links are printed on the app's public URL: NEXTAUTH_URL (else http://127.0.0.1:$PORT, PORT 3000 by default).`;

/** `--name value` pairs of the command line; an unknown flag or a flag without a value is a usage error. */
export function parseFlags(args: string[], allowed: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m || !allowed.includes(m[1]!)) throw new OrgUsageError(`unknown argument ${JSON.stringify(a)} (expected ${allowed.map((f) => `--${f}`).join(", ")})`);
    const value = m[2] ?? args[++i];
    if (value === undefined || value.startsWith("--")) throw new OrgUsageError(`--${m[1]} needs a value`);
    out[m[1]!] = value;
  }
  return out;
}

/** The app's public URL, where the links printed by this command must point: NEXTAUTH_URL, else the local port. */
export function publicUrl(env: Record<string, string | undefined> = process.env): string {
  if (env.NEXTAUTH_URL === undefined) return `http://127.0.0.1:${env.PORT ?? 3000}`;
  const url = configuredPublicUrl(env);
  if (!url) throw new OrgUsageError(`NEXTAUTH_URL is not an http(s) URL: ${JSON.stringify(env.NEXTAUTH_URL)}`);
  return url;
}

const zodMessage = (e: ZodError) => e.issues.map((i) => `--${String(i.path[0] ?? "")}: ${i.message}`).join("; ");

/** Runs `org <command> …` against the database and returns what to print. */
export async function runOrgCommand(db: Db, args: string[], now = new Date(), env = process.env): Promise<string> {
  const [command, ...rest] = args;
  const base = publicUrl(env);
  try {
    if (command === "create") {
      const f = parseFlags(rest, ["slug", "name", "owner"]);
      for (const k of ["slug", "name", "owner"]) if (f[k] === undefined) throw new OrgUsageError(`--${k} is required\n${ORG_USAGE}`);
      const r = await createOrganization(db, f, now);
      return [
        `Created organization "${f.name!.trim()}" (${r.slug}) with owner ${f.owner!.trim().toLowerCase()}.`,
        `One-time setup link (single use, expires ${r.expiresAt.toISOString()}):`,
        `  ${base}/setup/${r.token}`,
        `It signs the owner in to Settings → Single sign-on. It is shown only now; \`npm run org -- setup-link --slug ${r.slug}\` makes a new one.`,
      ].join("\n");
    }
    if (command === "setup-link") {
      const f = parseFlags(rest, ["slug"]);
      if (!f.slug) throw new OrgUsageError(`--slug is required\n${ORG_USAGE}`);
      const r = await newSetupLink(db, { slug: orgSlugSchema.parse(f.slug), now });
      return [`One-time setup link for ${r.email} (single use, expires ${r.expiresAt.toISOString()}):`, `  ${base}/setup/${r.token}`].join("\n");
    }
    throw new OrgUsageError(command ? `unknown command ${JSON.stringify(command)}\n${ORG_USAGE}` : ORG_USAGE);
  } catch (e) {
    if (e instanceof ZodError) throw new OrgUsageError(zodMessage(e));
    if (e instanceof ConflictError) throw new OrgUsageError(e.message);
    throw e;
  }
}
