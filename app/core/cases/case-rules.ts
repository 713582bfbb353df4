import { addWorkingDays } from "../calendar/working-days";
import type { WorkingCalendar } from "../calendar/working-days";
import { AppError } from "../errors";
import { getAt, schemaAt, setAt } from "../json-pointer";
import type { StateConfig } from "../workflow/types";

/** `stateDueAt` is absent (never null) while the step has no time limit: the inbox sorts and filters on it. */
export type Sla = { stateDueAt?: Date; paused: boolean; pausedAt: Date | null; statutoryDueAt: Date };

/**
 * SLA on entering a state. States that wait on the applicant pause the clock (Licensing Facilitation Act);
 * when the clock resumes, the statutory due date moves on by the working days spent waiting.
 */
export function slaOnEnter(state: StateConfig | undefined, now: Date, previous: Sla, cal: WorkingCalendar, elapsedPausedDays: number): Sla {
  const statutoryDueAt =
    previous.paused && elapsedPausedDays > 0 ? addWorkingDays(previous.statutoryDueAt, elapsedPausedDays, cal) : previous.statutoryDueAt;
  if (!state || state.type === "final") return { paused: false, pausedAt: null, statutoryDueAt };
  const due = state.meta.slaDays ? { stateDueAt: addWorkingDays(now, state.meta.slaDays, cal) } : {};
  if (state.meta.pausesSla) return { ...due, paused: true, pausedAt: now, statutoryDueAt };
  return { ...due, paused: false, pausedAt: null, statutoryDueAt };
}

/** Officers name the fields/documents to fix; each must exist in the form. */
export function checkMissingItems(schema: object, fields: unknown, note: unknown): { fields: string[]; note: string } {
  if (!Array.isArray(fields) || fields.length === 0 || !fields.every((f) => typeof f === "string")) {
    throw new AppError("FORM_INVALID", {
      th: "ต้องเลือกรายการเอกสารหรือข้อมูลที่ขาดอย่างน้อย 1 รายการ",
      en: "Choose at least one missing field or document",
    }, { pointer: "/missingItems" });
  }
  const unknown = (fields as string[]).filter((f) => !f.startsWith("/") || !schemaAt(schema, f));
  if (unknown.length > 0) {
    throw new AppError("FORM_INVALID", {
      th: `ไม่มีช่องนี้ในแบบฟอร์ม: ${unknown.join(", ")}`,
      en: `The form has no such field: ${unknown.join(", ")}`,
    }, { pointer: "/missingItems", fields: unknown });
  }
  return { fields: [...new Set(fields as string[])], note: typeof note === "string" ? note.trim() : "" };
}

/** The applicant may change only what was asked for; everything else keeps its stored value. */
export function applyCorrections(stored: Record<string, unknown>, submitted: unknown, fields: string[]): Record<string, unknown> {
  let merged = stored;
  for (const pointer of fields) merged = setAt(merged, pointer, getAt(submitted, pointer));
  return merged;
}
