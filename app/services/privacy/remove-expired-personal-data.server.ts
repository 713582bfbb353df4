import { isPastRetention } from "~/core/cases/retention";
import type { Retention } from "~/core/definitions/types";
import { unindexCaseForSearch } from "~/models/case-search.server";
import { forEachClosedCaseHoldingPersonalData, getCase, removeCasePersonalData } from "~/models/case.server";
import { getServiceVersion } from "~/models/service.server";
import { deleteUploadsAttachedTo, uploadsAttachedTo } from "~/models/upload.server";
import { uploadStorage } from "../uploads/upload-storage.server";

/**
 * PDPA retention, run by the worker: every closed case kept longer than its service's manifest allows
 * (`retention`, 10 years when absent) loses its personal data — its attachments' bytes and records, its form
 * data, the summary's name, subject and e-mail, and free-text comments. The tracking number, the receipt, the
 * outcome, the history of who did what and when, the permit (its public fields are the public register) and
 * the audit log stay. Files go first, then the record is blanked, so a crash in between is finished by the
 * next sweep. `now` is injectable for tests. Returns how many cases were cleared.
 */
export async function removeExpiredPersonalData(now = new Date()): Promise<number> {
  const retentionOf = new Map<string, Retention | undefined>();
  let removed = 0;
  await forEachClosedCaseHoldingPersonalData(async (batch) => {
    for (const ref of batch) {
      if (!retentionOf.has(ref.serviceVersionId)) {
        retentionOf.set(ref.serviceVersionId, (await getServiceVersion(ref.serviceVersionId))?.definition.manifest.retention);
      }
      const closedAt = ref.closedAt ?? ref.updatedAt;
      if (!isPastRetention(closedAt, retentionOf.get(ref.serviceVersionId), now)) continue;
      const caseId = String(ref._id);
      for (const upload of await uploadsAttachedTo(caseId)) await uploadStorage().remove(upload._id);
      await deleteUploadsAttachedTo(caseId);
      const record = await getCase(caseId);
      if (!record) continue;
      // First, so the name never outlives the data: the inbox then finds the case only by its tracking number.
      await unindexCaseForSearch(record);
      if (await removeCasePersonalData(record._id, record.rev, now)) removed++;
    }
  });
  return removed;
}
