import type { Actor } from "~/core/actor";
import { AppError } from "~/core/errors";
import type { FieldError } from "~/core/forms/form-validation";
import { attachmentField, uploadRefsIn } from "~/core/uploads/upload-rules";
import { claim, releaseClaim } from "~/models/claim.server";
import { attachUpload, detachUpload, getUploads, type UploadDoc } from "~/models/upload.server";

const attachKey = (uploadId: string) => `upload-attached:${uploadId}`;
/** `/documents/plans/2` and `/documents/plans/0` are the same field. */
const fieldOf = (pointer: string) => pointer.replace(/\/\d+$/, "");

function problem(ref: { pointer: string }, doc: UploadDoc | undefined, actor: Actor, caseId: string, schema: unknown, now: Date): FieldError | null {
  const say = (th: string, en: string): FieldError => ({ pointer: ref.pointer, message: { th, en } });
  // Someone else's upload looks exactly like a missing one: no hint that it exists.
  if (!doc || doc.owner.id !== actor.id) return say("ไม่พบไฟล์แนบนี้ กรุณาแนบไฟล์ใหม่", "This attachment was not found; please attach the file again");
  if (doc.status === "refused") return say("ไฟล์แนบนี้ถูกปฏิเสธ กรุณาแนบไฟล์ใหม่", "This attachment was refused; please attach another file");
  if (doc.status !== "complete") return say("ไฟล์แนบยังอัปโหลดไม่เสร็จ", "This attachment has not finished uploading");
  if (doc.attachedTo && doc.attachedTo !== caseId) return say("ไฟล์นี้แนบกับคำขออื่นแล้ว กรุณาแนบไฟล์ใหม่", "This file is attached to another application; please attach it again");
  if (!doc.attachedTo && doc.expiresAt <= now) return say("ไฟล์แนบหมดอายุแล้ว กรุณาแนบไฟล์ใหม่", "This attachment has expired; please attach the file again");
  if (fieldOf(doc.field) !== fieldOf(ref.pointer) || !attachmentField(schema, ref.pointer)) {
    return say("ไฟล์นี้อัปโหลดไว้สำหรับช่องอื่น กรุณาแนบไฟล์ในช่องนี้ใหม่", "This file was uploaded for another field; please attach it in this field");
  }
  return null;
}

/**
 * Attaches the uploads a form refers to (`upload:<id>` values) to a case, or refuses with per-field errors and
 * attaches nothing. Each upload is claimed for the case by a unique insert, so one upload can never end up on
 * two cases, even when two submissions race. Returns the ids attached, for `detachUploads` if the case write fails.
 */
export async function attachUploads(actor: Actor, schema: unknown, data: unknown, caseId: string, now = new Date()): Promise<string[]> {
  const refs = uploadRefsIn(schema, data);
  if (refs.length === 0) return [];
  const docs = new Map((await getUploads([...new Set(refs.map((r) => r.id))])).map((d) => [d._id, d]));
  const errors = refs.map((ref) => problem(ref, docs.get(ref.id), actor, caseId, schema, now)).filter((e): e is FieldError => e !== null);
  const seen = new Set<string>();
  for (const ref of refs) {
    if (seen.has(ref.id)) errors.push({ pointer: ref.pointer, message: { th: "แนบไฟล์เดียวกันซ้ำในหลายช่อง", en: "The same file is attached in more than one field" } });
    seen.add(ref.id);
  }
  if (errors.length > 0) throw invalid(errors);

  const claimed: string[] = [];
  for (const ref of refs) {
    if (docs.get(ref.id)!.attachedTo === caseId) continue;
    if (!(await claim(attachKey(ref.id), caseId))) {
      await detachUploads(claimed);
      throw invalid([{ pointer: ref.pointer, message: { th: "ไฟล์นี้แนบกับคำขออื่นแล้ว กรุณาแนบไฟล์ใหม่", en: "This file is attached to another application; please attach it again" } }]);
    }
    claimed.push(ref.id);
  }
  for (const id of claimed) await attachUpload(id, caseId);
  return claimed;
}

/** Undoes attachUploads when the case could not be written. */
export async function detachUploads(ids: string[]): Promise<void> {
  for (const id of ids) {
    await detachUpload(id);
    await releaseClaim(attachKey(id));
  }
}

function invalid(fields: FieldError[]): AppError {
  return new AppError("FORM_INVALID", { th: "ไฟล์แนบในแบบคำขอไม่ถูกต้อง", en: "The application's attachments have errors" }, { fields });
}
