import "server-only";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import { getOrgMembership, type OrgMembership } from "@/lib/queries/organizations";
import { getSessionUser, type SessionUser } from "./session";

/**
 * For org pages: the signed-in user and their membership of `slug`. Redirects to sign-in without a
 * session and answers 404 for an organization the user does not belong to. Memoised per request,
 * because Next renders the layout and the page concurrently and both must check.
 */
export const requireOrg = cache(async (slug: string): Promise<{ user: SessionUser; org: OrgMembership }> => {
  const user = await getSessionUser();
  if (!user) redirect("/login");
  const org = await getOrgMembership(getDb(), { slug, userId: user.id });
  if (!org) notFound();
  return { user, org };
});
