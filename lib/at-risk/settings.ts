import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { orgAlertSettings } from "@/db/schema";
import { writeAudit, type AuditActor } from "@/lib/orgs/audit";
import { alertSettingsInput, DEFAULT_ALERT_SETTINGS, type AlertSettings } from "@/lib/schemas/alerts";

/** The organization's alert levels, the domain guide's defaults until an admin changes them. */
export async function getAlertSettings(db: Db, q: { orgId: string }): Promise<AlertSettings> {
  const [row] = await db.select().from(orgAlertSettings).where(eq(orgAlertSettings.orgId, q.orgId)).limit(1);
  if (!row) return { ...DEFAULT_ALERT_SETTINGS };
  return {
    warningPercent: row.warningPercent, criticalPercent: row.criticalPercent, sustainedPercent: row.sustainedPercent,
    sustainedMinutes: row.sustainedMinutes, leakWithinHours: row.leakWithinHours,
  };
}

/** Saves the organization's alert levels (validated) and records the change from what it was. */
export async function setAlertSettings(db: Db, q: { orgId: string; input: unknown; actor: AuditActor }): Promise<AlertSettings> {
  const next = alertSettingsInput.parse(q.input);
  return db.transaction(async (tx) => {
    const before = await getAlertSettings(tx as unknown as Db, { orgId: q.orgId });
    await tx
      .insert(orgAlertSettings)
      .values({ orgId: q.orgId, ...next, updatedAt: new Date() })
      .onConflictDoUpdate({ target: orgAlertSettings.orgId, set: { ...next, updatedAt: new Date() } });
    await writeAudit(tx, { orgId: q.orgId, actor: q.actor, action: "alert_settings.updated", targetType: "organization", targetId: q.orgId, data: { before, after: next } });
    return next;
  });
}
