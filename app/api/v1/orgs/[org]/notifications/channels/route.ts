import { withOrg } from "@/lib/auth/with-org";
import { readJson } from "@/lib/http/read-json";
import { createChannel, listChannels } from "@/lib/notify/channels";

// GET /api/v1/orgs/[org]/notifications/channels — the organization's notification channels with their last delivery (admin)
export const GET = withOrg({ role: "admin" }, async ({ db, org }) => Response.json({ channels: await listChannels(db, { orgId: org.id }) }));

// POST /api/v1/orgs/[org]/notifications/channels — a Slack-compatible or signed JSON webhook; a webhook's signing secret is in this answer only (admin)
export const POST = withOrg({ role: "admin" }, async ({ req, db, org, actor }) =>
  Response.json(await createChannel(db, { orgId: org.id, input: await readJson(req), actor }), { status: 201 }),
);
