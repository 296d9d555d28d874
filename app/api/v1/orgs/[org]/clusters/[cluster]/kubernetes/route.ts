import { readJson } from "@/lib/http/read-json";
import { withOrg } from "@/lib/auth/with-org";
import { NotFoundError } from "@/lib/http/errors";
import { deleteKubeSettings, getKubeSettings, saveKubeSettings } from "@/lib/kube/direct-manage";
import { kubeSettingsInput } from "@/lib/kube/direct-settings";

// GET /api/v1/orgs/[org]/clusters/[cluster]/kubernetes — the direct-mode connection, never its credential (admin)
export const GET = withOrg<{ cluster: string }>({ role: "admin" }, async ({ db, org, params }) => {
  const view = await getKubeSettings(db, { orgId: org.id, slug: params.cluster });
  if (!view) throw new NotFoundError("cluster");
  return Response.json(view);
});

// PUT /api/v1/orgs/[org]/clusters/[cluster]/kubernetes — save a token + server URL, or a kubeconfig's credentials (admin)
export const PUT = withOrg<{ cluster: string }>({ role: "admin" }, async ({ req, db, org, actor, params }) => {
  const input = kubeSettingsInput.parse(await readJson(req));
  const view = await saveKubeSettings(db, { orgId: org.id, slug: params.cluster, input, actor });
  if (!view) throw new NotFoundError("cluster");
  return Response.json(view);
});

// DELETE /api/v1/orgs/[org]/clusters/[cluster]/kubernetes — forget the connection (admin)
export const DELETE = withOrg<{ cluster: string }>({ role: "admin" }, async ({ db, org, actor, params }) => {
  if (!(await deleteKubeSettings(db, { orgId: org.id, slug: params.cluster, actor }))) throw new NotFoundError("cluster");
  return new Response(null, { status: 204 });
});
