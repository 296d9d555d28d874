import { z } from "zod";
import { isUuid } from "@/lib/http/ids";

/** Snooze lengths offered by the incident page. */
export const SNOOZE_PRESETS = { "1h": 3600, "4h": 4 * 3600, "24h": 86_400, "7d": 7 * 86_400 } as const;
export type SnoozePreset = keyof typeof SNOOZE_PRESETS;
/** The longest snooze: past that, resolve the incident instead. */
export const MAX_SNOOZE_SECONDS = 30 * 86_400;

/**
 * A change to an incident (PATCH): its status, its assignee (a member's user id, or null to
 * unassign), a snooze (a preset, or `snoozeUntil` a time; null ends it). One or more at once.
 */
export const updateIncidentSchema = z
  .object({
    status: z.enum(["open", "acknowledged", "resolved"]).optional(),
    assigneeUserId: z.string().refine(isUuid, "a member's user id").nullable().optional(),
    snooze: z.enum(Object.keys(SNOOZE_PRESETS) as [SnoozePreset, ...SnoozePreset[]]).nullable().optional(),
    snoozeUntil: z.iso.datetime({ offset: true, message: "a time such as 2026-01-31T18:00:00Z" }).optional(),
  })
  .strict()
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "nothing to change: give status, assigneeUserId, snooze or snoozeUntil" })
  .refine((v) => v.snooze === undefined || v.snoozeUntil === undefined, { message: "give snooze or snoozeUntil, not both", path: ["snoozeUntil"] });
export type UpdateIncident = z.infer<typeof updateIncidentSchema>;

export const NOTE_MAX_CHARS = 5000;

/** A note on an incident: 1 to 5000 characters once trimmed. */
export const addNoteSchema = z.object({ body: z.string().trim().min(1, "write a note").max(NOTE_MAX_CHARS, `at most ${NOTE_MAX_CHARS} characters`) }).strict();
export type AddNote = z.infer<typeof addNoteSchema>;
