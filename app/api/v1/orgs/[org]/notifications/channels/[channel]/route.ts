import { withOrg } from "@/lib/auth/with-org";
import { readJson } from "@/lib/http/read-json";
import { deleteChannel, updateChannel } from "@/lib/notify/channels";

// PATCH /api/v1/orgs/[org]/notifications/channels/[channel] — name, URL, rules or on/off (admin); another organization's answers 404
export const PATCH = withOrg<{ channel: string }>({ role: "admin" }, async ({ req, db, org, actor, params }) => {
  await updateChannel(db, { orgId: org.id, id: params.channel, input: await readJson(req), actor });
  return new Response(null, { status: 204 });
});

// DELETE /api/v1/orgs/[org]/notifications/channels/[channel] — removes the channel and its deliveries (admin)
export const DELETE = withOrg<{ channel: string }>({ role: "admin" }, async ({ db, org, actor, params }) => {
  await deleteChannel(db, { orgId: org.id, id: params.channel, actor });
  return new Response(null, { status: 204 });
});
