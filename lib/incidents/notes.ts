import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { incidentNotes, incidents } from "@/db/schema";
import { NotFoundError } from "@/lib/http/errors";
import { isUuid } from "@/lib/http/ids";
import { writeAudit, type AuditActor } from "@/lib/orgs/audit";
import { addNoteSchema } from "@/lib/schemas/incidents";

/** Adds a note (1–5000 characters, trimmed) by the acting user to an incident of this organization, audited; returns it. */
export async function addIncidentNote(db: Db, q: { orgId: string; incidentId: string; input: unknown; actor: AuditActor; now: Date }) {
  const { body } = addNoteSchema.parse(q.input);
  if (!isUuid(q.incidentId)) throw new NotFoundError("incident");
  return db.transaction(async (tx) => {
    const [inc] = await tx.select({ id: incidents.id }).from(incidents).where(and(eq(incidents.id, q.incidentId), eq(incidents.orgId, q.orgId)));
    if (!inc) throw new NotFoundError("incident");
    const [note] = await tx.insert(incidentNotes).values({ orgId: q.orgId, incidentId: inc.id, authorUserId: q.actor.userId, body, createdAt: q.now }).returning();
    // the audit log says a note was added, not what it says (the note is on the incident)
    await writeAudit(tx, { orgId: q.orgId, actor: q.actor, action: "incident.note_added", targetType: "incident", targetId: inc.id, data: { noteId: note!.id, chars: body.length } });
    return { id: note!.id, body: note!.body, createdAt: note!.createdAt.toISOString() };
  });
}
