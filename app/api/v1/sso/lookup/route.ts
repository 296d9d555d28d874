import { withPublic } from "@/lib/auth/with-public";
import { errorResponse } from "@/lib/http/errors";
import { readJson } from "@/lib/http/read-json";
import { findSsoOrg } from "@/lib/orgs/sso";
import { ssoLookupSchema } from "@/lib/schemas/orgs";

// POST /api/v1/sso/lookup — which organization's identity provider "Continue with SSO" opens for a work email or slug
export const POST = withPublic({ rateLimit: "signin" }, async ({ req, db }) => {
  const { login } = ssoLookupSchema.parse(await readJson(req));
  const org = await findSsoOrg(db, login);
  if (!org) return errorResponse(404, login.includes("@") ? `No organization signs in with single sign-on for ${login.slice(login.lastIndexOf("@") + 1)}.` : `No organization named "${login}" signs in with single sign-on.`);
  return Response.json({ provider: `sso-${org.slug}`, name: org.name });
});
