import { Readable } from "node:stream";
import type { Actor } from "~/core/actor";
import { PRIVACY_NOTICE_VERSION } from "~/core/privacy-notice";
import type { Lang } from "~/core/text";
import { listFullCasesOfApplicant } from "~/models/case.server";
import { listDraftsOfUser } from "~/models/draft.server";
import { listPermitsOfCases } from "~/models/permit.server";
import { listReceiptsOfCases } from "~/models/receipt.server";
import { listResultDocumentsOfCases } from "~/models/result-document.server";
import { getServiceVersion } from "~/models/service.server";
import { listUploadsOfOwner } from "~/models/upload.server";
import { getUser } from "~/models/user.server";
import { caseAttachments, openAttachment, streamZip, zipNames, type ZipEntry } from "../uploads/case-attachments.server";

/**
 * PDPA s.30–31: everything held about the signed-in person, as one zip streamed as it is written:
 * `personal-data.json` (account, cases with their data and history, drafts, uploads, permits, result
 * letters and fee receipts) and `attachments/<tracking number>/…` with every file of their cases. Only the actor's own data:
 * every query is keyed by their id. The password hash is never included.
 */
export async function exportPersonalData(actor: Actor, lang: Lang, now = new Date()): Promise<{ stream: Readable; fileName: string }> {
  const [user, cases, drafts, uploads] = await Promise.all([
    actor.kind === "api" ? null : getUser(actor.id),
    listFullCasesOfApplicant(actor.id),
    listDraftsOfUser(actor.id),
    listUploadsOfOwner(actor.id),
  ]);
  const caseIds = cases.map((c) => String(c._id));
  const [permits, letters, feeReceipts] = await Promise.all([listPermitsOfCases(caseIds), listResultDocumentsOfCases(caseIds), listReceiptsOfCases(caseIds)]);

  const files: ZipEntry[] = [];
  const caseEntries = [];
  for (const record of cases) {
    const service = await getServiceVersion(record.serviceVersionId);
    const data = JSON.parse(record.dataJson) as unknown;
    const attachments = service ? await caseAttachments(service.definition.form.schema, data, lang) : [];
    const names = zipNames(attachments).map((name) => `attachments/${record.trackingNumber}/${name}`);
    attachments.forEach((item, i) => files.push({ name: names[i]!, open: () => openAttachment(item) }));
    caseEntries.push({
      id: String(record._id),
      trackingNumber: record.trackingNumber,
      service: { slug: record.serviceSlug, version: service?.version ?? null, title: service?.definition.manifest.title ?? null },
      agencyId: record.agencyId,
      channel: record.channel,
      state: record.stateValue,
      status: record.status,
      outcome: record.outcome ?? null,
      receipt: record.receipt,
      consent: record.consent ?? null,
      closedAt: record.closedAt ?? null,
      personalDataRemovedAt: record.personalDataRemovedAt ?? null,
      data,
      missingItems: record.missingItems,
      history: record.history,
      attachments: attachments.map(({ dataUrl: _inline, ...meta }, i) => ({ ...meta, file: names[i] })),
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
    });
  }

  const document = {
    exportedAt: now,
    privacyNoticeVersion: PRIVACY_NOTICE_VERSION,
    account: user
      ? { id: String(user._id), email: user.email, name: user.name, kind: user.kind, lang: user.lang ?? null, createdAt: user.createdAt }
      : { id: actor.id, name: actor.name },
    cases: caseEntries,
    drafts,
    uploads: uploads.map((u) => ({
      id: u._id,
      service: u.service,
      field: u.field,
      name: u.name,
      size: u.size,
      type: u.detectedType ?? u.declaredType,
      sha256: u.sha256,
      status: u.status,
      attachedTo: u.attachedTo,
      createdAt: u.createdAt,
      completedAt: u.completedAt,
    })),
    permits,
    resultLetters: letters,
    feeReceipts,
  };
  const json = Buffer.from(JSON.stringify(document, null, 2), "utf8");
  const stream = await streamZip([{ name: "personal-data.json", open: () => Readable.from([json]) }, ...files]);
  return { stream, fileName: `personal-data-${now.toISOString().slice(0, 10)}.zip` };
}
