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

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The requested items a resubmission leaves exactly as they were. */
export function unchangedCorrections(stored: unknown, corrected: unknown, fields: string[]): string[] {
  return fields.filter((pointer) => sameValue(getAt(stored, pointer), getAt(corrected, pointer)));
}

/** A reason the applicant gives for leaving a requested item unchanged: said in a few words at least. */
export const MIN_REASON_LENGTH = 5;

/**
 * Each item the officer asked to fix must be changed, or the applicant says why not (e.g. "the document is
 * correct: see page 2"). Returns one error per item left unchanged without a reason, and the reasons given,
 * by item, for the history. Reasons for items that were changed, or not requested, are ignored.
 */
export function checkCorrections(
  stored: unknown,
  corrected: unknown,
  fields: string[],
  reasons: Record<string, string>,
  titleOf: (pointer: string) => { th: string; en: string },
): { errors: { pointer: string; message: { th: string; en: string } }[]; kept: { pointer: string; reason: string }[] } {
  const errors: { pointer: string; message: { th: string; en: string } }[] = [];
  const kept: { pointer: string; reason: string }[] = [];
  for (const pointer of unchangedCorrections(stored, corrected, fields)) {
    const reason = (reasons[pointer] ?? "").trim();
    if (reason.length >= MIN_REASON_LENGTH) {
      kept.push({ pointer, reason });
      continue;
    }
    const title = titleOf(pointer);
    errors.push({
      pointer,
      message: {
        th: `ยังไม่ได้แก้ไข “${title.th}” ตามที่เจ้าหน้าที่ขอ: แก้ไข หรือบอกเหตุผลที่ไม่แก้ไข (อย่างน้อย ${MIN_REASON_LENGTH} ตัวอักษร)`,
        en: `You have not changed “${title.en}” as the officer asked: change it, or say why not (at least ${MIN_REASON_LENGTH} characters)`,
      },
    });
  }
  return { errors, kept };
}
