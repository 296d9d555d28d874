import { withReceiver } from "@/lib/auth/with-receiver";
import { readJson } from "@/lib/http/read-json";
import { receiveAlerts } from "@/lib/notify/alertmanager";

// POST /api/v1/alertmanager — an Alertmanager webhook (v4) with Authorization: Bearer <receiver token>
export const POST = withReceiver(async ({ req, db, receiver }) => Response.json(await receiveAlerts(db, { orgId: receiver.orgId, body: await readJson(req), now: new Date() })));
