import type { LocalizedText } from "~/core/text";
import { actionSpec, isActionName, type ActionName, type ActionSpec } from "~/core/workflow/catalogue";
import type { CaseDoc, CaseEffect } from "~/models/case.server";
import { getEffectRuns, getPendingEffects } from "~/models/effect-run.server";
import { getPermit } from "~/models/permit.server";
import { getReceipt } from "~/models/receipt.server";
import { getResultDocument } from "~/models/result-document.server";

const RESULT_TITLES: Record<string, LocalizedText> = {
  approval: { th: "หนังสือแจ้งผลการพิจารณา (อนุญาต)", en: "Decision letter (approved)" },
  rejection: { th: "หนังสือแจ้งผลการพิจารณา (ไม่อนุญาต) พร้อมเหตุผล", en: "Decision letter (refused) with reasons" },
  answer: { th: "หนังสือตอบคำร้อง", en: "Answer to the petition" },
  acknowledgement: { th: "หนังสือแจ้งรับเรื่อง", en: "Acknowledgement letter" },
  referral: { th: "หนังสือแจ้งหน่วยงานที่มีอำนาจ", en: "Letter naming the competent agency" },
};

export type IssuedDocument =
  | { kind: "permit"; number: string; title: LocalizedText; issuedOn: string; validUntil: string; pdfUrl: string; pageUrl: string }
  | { kind: "letter"; id: string; number: string; title: LocalizedText; issuedAt: string; pdfUrl: string }
  | { kind: "receipt"; id: string; number: string; title: LocalizedText; issuedAt: string; pdfUrl: string; amountSatang: number };

export const RECEIPT_TITLE: LocalizedText = { th: "ใบเสร็จรับเงินอิเล็กทรอนิกส์", en: "Electronic receipt" };

/**
 * Something the applicant will receive that is still being produced off the request path. `state` is
 * "preparing" while it waits for or is in its first run, "retrying" once its run (or an earlier effect of the
 * case, which it waits for) failed; `retryAfter` is then the earliest time the worker may try again.
 */
export type PendingDocument = {
  kind: NonNullable<ActionSpec["pending"]>["kind"];
  effect: ActionName;
  title: LocalizedText;
  queuedAt: string;
  state: "preparing" | "retrying";
  failures: number;
  retryAfter: string | null;
};

export type CaseDocuments = { issued: IssuedDocument[]; pending: PendingDocument[] };

/** Effects the applicant waits for: the catalogue says which ones produce something, and what. */
const isPendingKind = (type: string): type is ActionName => isActionName(type) && actionSpec(type).pending !== undefined;

/** What a transition that just queued these effects will produce: all of it is being prepared. */
export function pendingDocumentsOf(effects: Pick<CaseEffect, "type" | "createdAt">[]): PendingDocument[] {
  return effects.flatMap((e) => (isPendingKind(e.type) ? [pendingDocument(e.type, e.createdAt, "preparing", 0, null)] : []));
}

function pendingDocument(effect: ActionName, queuedAt: Date | string, state: PendingDocument["state"], failures: number, retryAfter: Date | null): PendingDocument {
  const pending = actionSpec(effect).pending!;
  return {
    kind: pending.kind,
    effect,
    title: pending.label,
    queuedAt: new Date(queuedAt).toISOString(),
    state,
    failures,
    retryAfter: retryAfter ? new Date(retryAfter).toISOString() : null,
  };
}

/**
 * What the agency has issued on a case (s.11: the applicant receives results electronically): permits
 * and signed letters, in issue order, and what is still being prepared (documents and e-mail notices).
 */
export async function caseDocuments(record: Pick<CaseDoc, "_id" | "effects">): Promise<CaseDocuments> {
  const tracked = record.effects.filter((e) => isPendingKind(e.type));
  const runs = await getEffectRuns(tracked.map((e) => e.id));
  const unfinished = tracked.filter((e) => !runs.has(e.id));
  const entries = await getPendingEffects(unfinished.map((e) => e.id));
  const issued: IssuedDocument[] = [];
  const pending: PendingDocument[] = [];
  // Effects run in order: once one has failed, everything after it waits for the same retry.
  let failedBefore: { retryAfter: Date | null } | null = null;
  for (const effect of tracked) {
    const run = runs.get(effect.id);
    if (!run) {
      const entry = entries.get(effect.id);
      if (entry?.failedAt && !failedBefore) failedBefore = { retryAfter: entry.retryAfter ?? null };
      pending.push(
        pendingDocument(effect.type as ActionName, effect.createdAt, failedBefore ? "retrying" : "preparing", entry?.failures ?? 0, failedBefore?.retryAfter ?? null),
      );
    } else if (run.result.permitNumber) {
      const permit = await getPermit(run.result.permitNumber);
      if (permit) {
        const path = `/permits/${encodeURIComponent(permit.number)}`;
        issued.push({ kind: "permit", number: permit.number, title: permit.typeName, issuedOn: permit.issuedOn, validUntil: permit.validUntil, pdfUrl: `${path}/permit.pdf`, pageUrl: path });
      }
    } else if (run.result.letterId) {
      const letter = await getResultDocument(run.result.letterId);
      if (letter) {
        issued.push({
          kind: "letter",
          id: letter.id,
          number: letter.number,
          title: RESULT_TITLES[letter.kind] ?? RESULT_TITLES.answer,
          issuedAt: new Date(letter.issuedAt).toISOString(),
          pdfUrl: `/cases/${String(record._id)}/letters/${letter.id}.pdf`,
        });
      }
    } else if (run.result.receiptId) {
      const receipt = await getReceipt(run.result.receiptId);
      if (receipt) {
        issued.push({
          kind: "receipt",
          id: receipt.id,
          number: receipt.number,
          title: RECEIPT_TITLE,
          issuedAt: new Date(receipt.issuedAt).toISOString(),
          pdfUrl: `/cases/${String(record._id)}/receipts/${receipt.id}.pdf`,
          amountSatang: receipt.amountSatang,
        });
      }
    }
  }
  return { issued, pending };
}
