import type { LocalizedText } from "~/core/text";
import { issuesDocument } from "~/core/workflow/catalogue";
import { getAgencyForDocuments } from "~/models/agency.server";
import type { CaseDoc, CaseEffect } from "~/models/case.server";
import type { ReferralTarget } from "~/core/cases/referral";
import { getEffectRuns } from "~/models/effect-run.server";
import { getPermit } from "~/models/permit.server";
import { getReceipt } from "~/models/receipt.server";
import { getResultDocument } from "~/models/result-document.server";
import type { PublishedService } from "~/models/service.server";
import { getFile } from "~/models/stored-file.server";
import { caseDocuments } from "~/services/case-documents.server";
import { ensurePermitPdf, ensureResultPdf, permitFileId, resultFileId } from "~/services/permit-documents.server";
import { ensurePaymentReceiptPdf, paymentReceiptFileId } from "~/services/payments/receipt-documents.server";
import { env } from "~/utils/env.server";
import { sendMail, type MailMessage } from "./mailer.server";

/**
 * Act s.11: an application filed electronically is answered electronically. When the workflow runs
 * `notifyApplicant`, the applicant gets an e-mail (Thai, English below) saying what happened, with the
 * documents issued in the same transition attached. Only what the applicant needs is in it — the name
 * they gave, the tracking number, the status, the officer's note, the documents — never the national
 * ID or any other form data.
 */

/** A document issued in the same transition as the notice; `pdf` is absent while it is still being prepared. */
export type NoticeDocument =
  | { kind: "permit"; number: string; title: LocalizedText; pdf?: Buffer }
  | { kind: "letter"; number: string; title: LocalizedText; pdf?: Buffer }
  | { kind: "receipt"; number: string; title: LocalizedText; pdf?: Buffer }
  | { kind: "pending"; title: LocalizedText };

export type NoticeInput = {
  /** The notifyApplicant effect's id: the Message-ID, so a resend after a crash is the same message. */
  effectId: string;
  to: string;
  applicantName: string;
  trackingNumber: string;
  caseId: string;
  publicUrl: string;
  serviceTitle: LocalizedText;
  agencyName?: LocalizedText;
  /** Label of the workflow state the case entered. */
  state: LocalizedText;
  /** The action's `params.message`, written by the workflow's author for the applicant. */
  message?: LocalizedText;
  /** The officer's comment on the transition (reasons for a rejection, what is missing, …). */
  comment?: string;
  documents: NoticeDocument[];
  /** s.10: the agency the case was referred to in this transition, and the new case when it is on the platform. */
  referral?: NoticeReferral;
};

export type NoticeReferral = { agencyName: LocalizedText; address?: string; trackingNumber?: string; caseId?: string };

export type ComposedNotice = Omit<MailMessage, "headers">;

export const noticeMessageId = (effectId: string) => `<${effectId}@borikan>`;

const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

const attachmentName = (doc: { number: string }) => `${doc.number.replace(/[^A-Za-z0-9._-]/g, "_")}.pdf`;

type Lang = "th" | "en";
type Line = { text: string; href?: string; indent?: true } | { blank: true };

const WORDS = {
  th: {
    dear: (name: string) => `เรียน ${name}`,
    intro: (service: string, tracking: string) => `คำขอของท่านเรื่อง ${service} เลขที่รับ ${tracking} มีความคืบหน้าดังนี้`,
    status: "สถานะ",
    note: "ข้อความจากเจ้าหน้าที่",
    attached: "เอกสารที่ออกให้ แนบมาพร้อมอีเมลนี้",
    number: "เลขที่",
    file: "ไฟล์แนบ",
    preparing: "กำลังจัดทำ จะแสดงในหน้าคำขอเมื่อพร้อม",
    registry: "ตรวจสอบสถานะใบอนุญาตออนไลน์",
    casePage: "ดูรายละเอียดและเอกสารทั้งหมดของคำขอ (เข้าสู่ระบบ)",
    referredTo: "ส่งต่อเรื่องของท่านไปยัง",
    competent: "หน่วยงานที่มีอำนาจพิจารณาเรื่องของท่าน",
    newTracking: "เลขที่รับเรื่องใหม่",
    referredPage: "ติดตามเรื่องที่ส่งต่อ",
    footer: "อีเมลฉบับนี้ส่งจากระบบโดยอัตโนมัติ โปรดอย่าตอบกลับ — แจ้งทางอิเล็กทรอนิกส์ตามมาตรา 11 แห่งพระราชบัญญัติการปฏิบัติราชการทางอิเล็กทรอนิกส์ พ.ศ. 2565",
  },
  en: {
    dear: (name: string) => `Dear ${name},`,
    intro: (service: string, tracking: string) => `There is news about your application (${service}), tracking number ${tracking}.`,
    status: "Status",
    note: "Note from the officer",
    attached: "Documents issued, attached to this e-mail",
    number: "No.",
    file: "attachment",
    preparing: "being prepared; it will appear on the case page when ready",
    registry: "Check the licence's status online",
    casePage: "See the application and all its documents (sign-in required)",
    referredTo: "Your case was referred to",
    competent: "The agency competent for your matter",
    newTracking: "new tracking number",
    referredPage: "Follow the referred case",
    footer: "This message was sent automatically; please do not reply. Notice given electronically under s.11 of the Electronic Government Administration Act B.E. 2565 (2022).",
  },
} as const;

function section(input: NoticeInput, lang: Lang): Line[] {
  const w = WORDS[lang];
  const caseUrl = `${input.publicUrl}/cases/${encodeURIComponent(input.caseId)}`;
  const lines: Line[] = [
    { text: w.dear(input.applicantName) },
    { blank: true },
    { text: w.intro(input.serviceTitle[lang], input.trackingNumber) },
    { text: `${w.status}: ${input.state[lang]}` },
  ];
  if (input.message) lines.push({ text: input.message[lang] });
  if (input.comment) lines.push({ text: `${w.note}: ${input.comment}` });
  const referral = input.referral;
  if (referral?.caseId) {
    lines.push({ text: `${w.referredTo}: ${referral.agencyName[lang]}${referral.trackingNumber ? ` — ${w.newTracking} ${referral.trackingNumber}` : ""}` });
    lines.push({ text: `${w.referredPage}: `, href: `${input.publicUrl}/cases/${encodeURIComponent(referral.caseId)}`, indent: true });
  } else if (referral) {
    lines.push({ text: `${w.competent}: ${[referral.agencyName[lang], referral.address].filter(Boolean).join(", ")}` });
  }
  if (input.documents.length > 0) {
    lines.push({ blank: true }, { text: `${w.attached}:` });
    for (const doc of input.documents) {
      if (doc.kind === "pending") {
        lines.push({ text: `- ${doc.title[lang]} (${w.preparing})` });
        continue;
      }
      const file = doc.pdf ? ` — ${w.file} ${attachmentName(doc)}` : ` (${w.preparing})`;
      lines.push({ text: `- ${doc.title[lang]} ${w.number} ${doc.number}${file}` });
      if (doc.kind === "permit") {
        lines.push({ text: `${w.registry}: `, href: `${input.publicUrl}/permits/${encodeURIComponent(doc.number)}`, indent: true });
      }
    }
  }
  lines.push({ blank: true }, { text: `${w.casePage}: `, href: caseUrl }, { blank: true }, { text: w.footer });
  if (input.agencyName) lines.push({ text: input.agencyName[lang] });
  return lines;
}

const asText = (lines: Line[]) => lines.map((l) => ("blank" in l ? "" : `${l.indent ? "  " : ""}${l.text}${l.href ?? ""}`)).join("\n");

const asHtml = (lines: Line[], lang: Lang) =>
  `<div lang="${lang}">` +
  lines
    .map((l) => {
      if ("blank" in l) return "<br>";
      const link = l.href ? `<a href="${escapeHtml(l.href)}">${escapeHtml(l.href)}</a>` : "";
      return `<div${l.indent ? ' style="margin-left: 1.5em"' : ""}>${escapeHtml(l.text)}${link}</div>`;
    })
    .join("\n") +
  "</div>";

/** The notice, Thai first and English below, as one message with the issued PDFs attached. Pure. */
export function composeApplicantNotice(input: NoticeInput): ComposedNotice {
  const headline = input.message ?? input.state;
  const th = section(input, "th");
  const en = section(input, "en");
  return {
    to: input.to,
    // Headers must be one line; labels and messages come from workflow files.
    subject: oneLine(`[${input.trackingNumber}] ${headline.th} / ${headline.en}`),
    text: `${asText(th)}\n\n----------------------------------------\n\n${asText(en)}\n`,
    html:
      `<!doctype html><html><body style="font-family: Sarabun, Tahoma, sans-serif; line-height: 1.5">` +
      `${asHtml(th, "th")}<hr>${asHtml(en, "en")}</body></html>`,
    attachments: input.documents.flatMap((doc) =>
      doc.kind !== "pending" && doc.pdf ? [{ filename: attachmentName(doc), content: doc.pdf, contentType: "application/pdf" }] : [],
    ),
    messageId: noticeMessageId(input.effectId),
  };
}

export type NoticeResult = { channel: "email" | "case-page" | "api"; note?: string };

const isLocalizedText = (v: unknown): v is LocalizedText =>
  typeof v === "object" && v !== null && typeof (v as LocalizedText).th === "string" && typeof (v as LocalizedText).en === "string";

// Loose on purpose: the form already validated the address; this only keeps junk away from SMTP.
const looksLikeEmail = (s: string) => /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/.test(s);

/**
 * The documents issued by the issuePermit/issueResult/recordPayment effects queued with this notice (same `createdAt`),
 * with their stored PDFs, generated now if missing. The runner runs effects in order, so they are
 * normally done; one that is not yet (a workflow listing the notice first) is announced as being prepared.
 */
async function documentsOfTransition(record: CaseDoc, effect: CaseEffect): Promise<NoticeDocument[]> {
  const at = new Date(effect.createdAt).getTime();
  const issuing = record.effects.filter(
    (e) => issuesDocument(e.type) && new Date(e.createdAt).getTime() === at,
  );
  const out: NoticeDocument[] = [];
  const { issued, pending } = await caseDocuments({ _id: record._id, effects: issuing });
  for (const doc of issued) {
    if (doc.kind === "permit") {
      const permit = await getPermit(doc.number);
      if (permit) await ensurePermitPdf(permit);
      out.push({ kind: "permit", number: doc.number, title: doc.title, pdf: (await getFile(permitFileId(doc.number)))?.data });
    } else if (doc.kind === "receipt") {
      const receipt = await getReceipt(doc.id);
      if (receipt) await ensurePaymentReceiptPdf(receipt);
      out.push({ kind: "receipt", number: doc.number, title: doc.title, pdf: (await getFile(paymentReceiptFileId(doc.id)))?.data });
    } else {
      const letter = await getResultDocument(doc.id);
      if (letter) await ensureResultPdf(letter);
      out.push({ kind: "letter", number: doc.number, title: doc.title, pdf: (await getFile(resultFileId(doc.id)))?.data });
    }
  }
  for (const doc of pending) out.push({ kind: "pending", title: doc.title });
  return out;
}

/** The referral queued with this notice (same `createdAt`), with the case it filed once that has run. */
async function referralOfTransition(record: CaseDoc, effect: CaseEffect): Promise<NoticeReferral | undefined> {
  const at = new Date(effect.createdAt).getTime();
  const referring = record.effects.find((e) => e.type === "referToAgency" && new Date(e.createdAt).getTime() === at);
  const target = referring ? (JSON.parse(referring.paramsJson || "{}") as { target?: ReferralTarget }).target : undefined;
  if (!referring || !target) return undefined;
  if (target.kind === "external") return { agencyName: target.name, ...(target.address ? { address: target.address } : {}) };
  const run = (await getEffectRuns([referring.id])).get(referring.id);
  return {
    agencyName: target.agencyName,
    ...(run?.result.referredCaseId ? { caseId: run.result.referredCaseId, trackingNumber: run.result.referredTrackingNumber } : {}),
  };
}

type SmtpError = { code?: string; command?: string; responseCode?: number; response?: string };

/** The server refused the address itself (5xx to RCPT TO): retrying would never succeed. */
function isAddressRefused(error: unknown): error is SmtpError {
  const e = error as SmtpError | null;
  return typeof e === "object" && e !== null && e.command === "RCPT TO" && typeof e.responseCode === "number" && e.responseCode >= 500;
}

/**
 * The notifyApplicant effect. Sends the notice when the case has an e-mail address and SMTP is configured;
 * otherwise the case page (or the API, for cases filed through it) remains the channel. A temporary SMTP
 * failure is thrown so the effect is retried; the retry sends the same Message-ID. A permanently refused
 * address is not retried: the effect queue of the case would otherwise stop for good, permits included.
 */
export async function sendApplicantNotice(input: { record: CaseDoc; service: PublishedService; effect: CaseEffect }): Promise<NoticeResult> {
  const { record, service, effect } = input;
  const otherChannel: NoticeResult["channel"] = record.channel === "api" ? "api" : "case-page";
  const to = record.summary.email?.trim() ?? "";
  if (!to) return { channel: otherChannel };
  if (!looksLikeEmail(to)) return { channel: otherChannel, note: "no usable e-mail address on the case" };
  if (!env().SMTP_URL) return { channel: otherChannel, note: "e-mail is not configured (SMTP_URL)" };

  const at = new Date(effect.createdAt).getTime();
  // The transition that queued the effect was written with the same timestamp; the case may have moved on since.
  const entry = record.history.find((h) => new Date(h.at).getTime() === at);
  const stateId = entry?.to ?? record.stateValue;
  const params = JSON.parse(effect.paramsJson || "{}") as { message?: unknown };
  const missingNote =
    record.missingItems && new Date(record.missingItems.requestedAt).getTime() === at ? record.missingItems.note.trim() : "";
  const comment = entry?.comment?.trim() || missingNote || undefined;
  const agency = await getAgencyForDocuments(record.agencyId);

  const notice = composeApplicantNotice({
    effectId: effect.id,
    to,
    applicantName: record.summary.applicantName,
    trackingNumber: record.trackingNumber,
    caseId: String(record._id),
    publicUrl: env().PUBLIC_URL,
    serviceTitle: service.definition.manifest.title,
    agencyName: agency?.name,
    state: service.definition.workflow.states[stateId]?.meta.label ?? { th: stateId, en: stateId },
    message: isLocalizedText(params.message) ? params.message : undefined,
    comment,
    documents: await documentsOfTransition(record, effect),
    referral: await referralOfTransition(record, effect),
  });

  try {
    // RFC 3834: keeps out-of-office replies away from the no-reply sender.
    const sent = await sendMail({ ...notice, headers: { "Auto-Submitted": "auto-generated" } });
    if (!sent.delivered) return { channel: otherChannel, note: "e-mail is not configured (SMTP_URL)" };
    return { channel: "email", note: `${sent.messageId}, ${notice.attachments.length} attachment(s)` };
  } catch (error) {
    if (!isAddressRefused(error)) throw error;
    // No address in the log or the note: the server's reply usually repeats it.
    console.warn(`applicant notice ${effect.id} of case ${String(record._id)}: the mail server refused the address (${error.responseCode}); the case page remains the channel`);
    return { channel: otherChannel, note: `e-mail address refused by the mail server (${error.responseCode})` };
  }
}
