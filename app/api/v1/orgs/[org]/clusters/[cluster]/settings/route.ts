import { readJson } from "@/lib/http/read-json";
import { withOrg } from "@/lib/auth/with-org";
import { getSettings, saveSettings } from "@/lib/clusters/manage";
import { prometheusSettingsInput } from "@/lib/clusters/prometheus-settings";
import { NotFoundError } from "@/lib/http/errors";

// GET /api/v1/orgs/[org]/clusters/[cluster]/settings — the Prometheus endpoint, without its secrets (admin)
export const GET = withOrg<{ cluster: string }>({ role: "admin" }, async ({ db, org, params }) => {
  const view = await getSettings(db, { orgId: org.id, slug: params.cluster });
  if (!view) throw new NotFoundError("cluster");
  return Response.json(view);
});

// PUT /api/v1/orgs/[org]/clusters/[cluster]/settings — save the endpoint; empty secret fields keep the stored ones (admin)
export const PUT = withOrg<{ cluster: string }>({ role: "admin" }, async ({ req, db, org, user, actor, params }) => {
  const input = prometheusSettingsInput.parse(await readJson(req));
  const view = await saveSettings(db, { orgId: org.id, userId: user.id, ip: actor.ip, slug: params.cluster, input });
  if (!view) throw new NotFoundError("cluster");
  return Response.json(view);
});
