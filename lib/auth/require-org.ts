import "server-only";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import { getOrgMembership, setLastOrg, type OrgMembership } from "@/lib/queries/organizations";
import { getSessionUser, type SessionUser } from "./session";

/** The sign-in page's URL that brings the user back to the page they asked for (set by proxy.ts). */
export async function signInUrlForThisPage(): Promise<string> {
  const path = (await headers()).get("x-headroom-path");
  return path && path.startsWith("/") && !path.startsWith("//") ? `/login?callbackUrl=${encodeURIComponent(path)}` : "/login";
}

/**
 * For org pages: the signed-in user and their membership of `slug`. Redirects to sign-in (and back
 * to this page afterwards) without a session and answers 404 for an organization the user does not
 * belong to. Memoised per request, because Next renders the layout and the page concurrently.
 */
export const requireOrg = cache(async (slug: string): Promise<{ user: SessionUser; org: OrgMembership }> => {
  const user = await getSessionUser();
  if (!user) redirect(await signInUrlForThisPage());
  const db = getDb();
  const org = await getOrgMembership(db, { slug, userId: user.id });
  if (!org) notFound();
  await setLastOrg(db, { userId: user.id, orgId: org.id });
  return { user, org };
});
