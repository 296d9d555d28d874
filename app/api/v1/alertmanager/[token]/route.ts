import { withReceiver } from "@/lib/auth/with-receiver";
import { readJson } from "@/lib/http/read-json";
import { receiveAlerts } from "@/lib/notify/alertmanager";

// POST /api/v1/alertmanager/[token] — an Alertmanager webhook (v4), the receiver token in the path (for configs without headers)
export const POST = withReceiver<{ token: string }>(async ({ req, db, receiver }) => Response.json(await receiveAlerts(db, { orgId: receiver.orgId, body: await readJson(req), now: new Date() })));
