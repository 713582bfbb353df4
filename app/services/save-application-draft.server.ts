import type { Actor } from "~/core/actor";
import { AppError, notFound } from "~/core/errors";
import { assertNoForbiddenKeys } from "~/core/forbidden-keys";
import { undeclaredFieldErrors } from "~/core/forms/form-validation";
import { saveDraft } from "~/models/draft.server";
import { getCurrentService } from "~/models/service.server";

/**
 * Keeps a citizen's unfinished application. A draft may be incomplete, but it holds only what the published
 * form declares: undeclared properties are refused with their pointers (FORM_INVALID), forbidden keys with
 * BAD_REQUEST. Errors: NOT_FOUND (unknown service), BAD_REQUEST, FORM_INVALID.
 */
export async function saveApplicationDraft(actor: Actor, slug: string, data: unknown): Promise<Date> {
  const found = await getCurrentService(slug);
  if (!found || found.summary.isTemplate) throw notFound({ th: "บริการนี้", en: "Service" });
  const draft = data ?? {};
  if (typeof draft !== "object" || Array.isArray(draft)) {
    throw new AppError("BAD_REQUEST", { th: "ข้อมูลฉบับร่างต้องเป็นออบเจกต์ JSON", en: "Draft data must be a JSON object" });
  }
  assertNoForbiddenKeys(draft);
  const fields = undeclaredFieldErrors(found.service.definition.form.schema, draft);
  if (fields.length > 0) {
    throw new AppError("FORM_INVALID", { th: "ฉบับร่างมีข้อมูลที่ไม่ใช่ช่องของแบบคำขอ", en: "The draft holds data that is not a field of the form" }, { fields });
  }
  return saveDraft(actor.id, slug, draft);
}
