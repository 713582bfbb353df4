import type { LocalizedText } from "~/core/text";
import { formatDateTime } from "~/core/thai/buddhist-date";
import type { MailMessage } from "./mailer.server";

/**
 * The e-mail of a delay notice or a decision notice (Licensing Facilitation Act B.E. 2558): Thai first, English
 * below; only the name, tracking number, service, dates and reason — no form data. Pure.
 */
export type CaseNoticeMailInput = {
  noticeId: string;
  kind: "delay" | "decision";
  n: number;
  to: string;
  applicantName: string;
  trackingNumber: string;
  caseId: string;
  publicUrl: string;
  serviceTitle: LocalizedText;
  agencyName?: LocalizedText;
  /** Delay: the reason for the delay; decision: the decision (the final step's label). */
  reason: LocalizedText;
  /** Delay: the statutory limit passed; decision: when it was decided. */
  at: Date;
};

type Lang = "th" | "en";

const WORDS = {
  th: {
    dear: (name: string) => `เรียน ${name}`,
    delaySubject: (n: number) => `แจ้งเหตุล่าช้าในการพิจารณาคำขอ (ครั้งที่ ${n})`,
    decisionSubject: "แจ้งผลการพิจารณาคำขอ",
    delayIntro: (service: string, tracking: string, due: string) =>
      `คำขอของท่านเรื่อง ${service} เลขที่รับ ${tracking} ยังพิจารณาไม่แล้วเสร็จภายในระยะเวลาที่กำหนดในคู่มือสำหรับประชาชน (ครบกำหนด ${due})`,
    reason: "เหตุที่ล่าช้า",
    every7: "หน่วยงานจะแจ้งความคืบหน้าให้ท่านทราบทุก 7 วันจนกว่าจะพิจารณาแล้วเสร็จ",
    decisionIntro: (service: string, tracking: string, at: string) => `คำขอของท่านเรื่อง ${service} เลขที่รับ ${tracking} พิจารณาแล้วเสร็จเมื่อ ${at}`,
    decision: "ผลการพิจารณา",
    casePage: "ดูรายละเอียดของคำขอ (เข้าสู่ระบบ)",
    footer: "แจ้งตามพระราชบัญญัติการอำนวยความสะดวกในการพิจารณาอนุญาตของทางราชการ พ.ศ. 2558 — อีเมลฉบับนี้ส่งจากระบบโดยอัตโนมัติ โปรดอย่าตอบกลับ",
  },
  en: {
    dear: (name: string) => `Dear ${name},`,
    delaySubject: (n: number) => `Your application is delayed (notice ${n})`,
    decisionSubject: "Your application has been decided",
    delayIntro: (service: string, tracking: string, due: string) =>
      `Your application (${service}), tracking number ${tracking}, has not been decided within the time limit in the service manual (due ${due}).`,
    reason: "Reason for the delay",
    every7: "The agency will tell you how it is going every 7 days until it is decided.",
    decisionIntro: (service: string, tracking: string, at: string) => `Your application (${service}), tracking number ${tracking}, was decided on ${at}.`,
    decision: "Decision",
    casePage: "See the application (sign-in required)",
    footer: "Notice under the Licensing Facilitation Act B.E. 2558 (2015). This message was sent automatically; please do not reply.",
  },
} as const;

function lines(input: CaseNoticeMailInput, lang: Lang): string[] {
  const w = WORDS[lang];
  const when = formatDateTime(input.at, lang);
  const body =
    input.kind === "delay"
      ? [w.delayIntro(input.serviceTitle[lang], input.trackingNumber, when), `${w.reason}: ${input.reason[lang]}`, w.every7]
      : [w.decisionIntro(input.serviceTitle[lang], input.trackingNumber, when), `${w.decision}: ${input.reason[lang]}`];
  return [
    w.dear(input.applicantName),
    "",
    ...body,
    "",
    `${w.casePage}: ${input.publicUrl}/cases/${encodeURIComponent(input.caseId)}`,
    "",
    w.footer,
    ...(input.agencyName ? [input.agencyName[lang]] : []),
  ];
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();

export const caseNoticeMessageId = (noticeId: string) => `<${noticeId.replace(/:/g, ".")}@borikan>`;

export function composeCaseNoticeMail(input: CaseNoticeMailInput): MailMessage {
  const th = lines(input, "th");
  const en = lines(input, "en");
  const subject =
    input.kind === "delay" ? `${WORDS.th.delaySubject(input.n)} / ${WORDS.en.delaySubject(input.n)}` : `${WORDS.th.decisionSubject} / ${WORDS.en.decisionSubject}`;
  const html = (ls: string[], lang: Lang) => `<div lang="${lang}">${ls.map((l) => (l ? `<div>${escapeHtml(l)}</div>` : "<br>")).join("\n")}</div>`;
  return {
    to: input.to,
    subject: oneLine(`[${input.trackingNumber}] ${subject}`),
    text: `${th.join("\n")}\n\n----------------------------------------\n\n${en.join("\n")}\n`,
    html: `<!doctype html><html><body style="font-family: Sarabun, Tahoma, sans-serif; line-height: 1.5">${html(th, "th")}<hr>${html(en, "en")}</body></html>`,
    attachments: [],
    messageId: caseNoticeMessageId(input.noticeId),
    // RFC 3834: keeps out-of-office replies away from the no-reply sender.
    headers: { "Auto-Submitted": "auto-generated" },
  };
}
