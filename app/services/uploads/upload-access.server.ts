import { canSeeCase, type Actor } from "~/core/actor";
import { AppError } from "~/core/errors";
import { getCase } from "~/models/case.server";
import { getUpload, type UploadDoc } from "~/models/upload.server";

/**
 * Who may read an upload: its uploader until it is attached to a case; afterwards the case's applicant and
 * the staff (or API clients) of the case's agency, and of the cases a referral passed it on from. Anyone else gets the same 404 as for an unknown id.
 */
export async function readableUpload(actor: Actor, id: string): Promise<UploadDoc> {
  const doc = /^[A-Za-z0-9_-]{16,64}$/.test(id) ? await getUpload(id) : null;
  if (doc && doc.status !== "refused") {
    if (doc.attachedTo) {
      // The case that holds it, then any case a referral passed it on from (s.10).
      for (const caseId of [doc.attachedTo, ...(doc.sharedWith ?? [])]) {
        const record = await getCase(caseId);
        if (record && canSeeCase(actor, record)) return doc;
      }
    } else if (doc.owner.id === actor.id) return doc;
  }
  throw new AppError("NOT_FOUND", { th: "ไม่พบไฟล์นี้", en: "No such file" });
}

/** What the API shows of an upload. */
export function uploadStatus(doc: UploadDoc) {
  return {
    id: doc._id,
    name: doc.name,
    size: doc.size,
    type: doc.detectedType ?? doc.declaredType,
    sha256: doc.sha256,
    status: doc.status,
    field: doc.field,
    service: doc.service,
    attached: Boolean(doc.attachedTo),
    expiresAt: doc.attachedTo ? null : doc.expiresAt.toISOString(),
  };
}
