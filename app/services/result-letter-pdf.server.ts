/**
 * The result letter (หนังสือแจ้งผลการพิจารณา) for a decision that is not a permit — approval,
 * rejection with reasons, answer, acknowledgement, referral to a competent agency not on the platform (s.10) — laid out like a Thai official letter (ที่ / date
 * / เรื่อง / เรียน / อ้างถึง / body / ขอแสดงความนับถือ) on one A4 page, with a QR code carrying the
 * signed letter.
 */
import type { ResultDocument, ResultKind } from "~/core/permits/types";
import type { LocalizedText } from "~/core/text";

import {
  agencyHeader,
  COLOR,
  dateLines,
  drawPageFooters,
  drawQr,
  ensureRoom,
  field,
  heightOf,
  MM,
  PAGE,
  qrModuleCount,
  qrModules,
  renderOnOnePage,
  scaleStyles,
  stackHeight,
  write,
  writeStack,
  type Columns,
  type Doc,
  type FieldValue,
  type Frame,
  type QrModules,
} from "./pdf/thai-pdf.server";

export type ResultLetterPdfInput = {
  letter: Omit<ResultDocument, "signature" | "issuedAt"> & { issuedAt: Date };
  verifyUrl: string;
  keyId: string;
};

/**
 * Printed width of the QR code: 0.32 mm a module (what a phone camera resolves at reading
 * distance), kept between 30 and 50 mm so a short URL still makes a findable code and a long one
 * leaves room for the letter.
 */
export function resultLetterQrSize(verifyUrl: string): number {
  return Math.min(50 * MM, Math.max(30 * MM, qrModuleCount(verifyUrl) * 0.32 * MM));
}

const MARGIN_X = 60;
const CONTENT_WIDTH = PAGE.width - 2 * MARGIN_X;
const CENTRE_X = PAGE.width / 2;
const TOP = 36;
const FOOTER_Y = PAGE.height - 30;
const FRAME: Frame = { top: TOP, bottom: FOOTER_Y - 8 };

const LABEL_WIDTH = 58;
const COLUMNS: Columns = {
  labelX: MARGIN_X,
  labelWidth: LABEL_WIDTH,
  valueX: MARGIN_X + LABEL_WIDTH + 8,
  valueWidth: CONTENT_WIDTH - LABEL_WIDTH - 8,
};
/** First-line indent of a paragraph, as in a typed Thai letter. */
const INDENT = 42;

const STYLES = {
  agency: { bold: true, size: 15, color: COLOR.accent },
  agencyEn: { size: 9.5, color: COLOR.muted },
  title: { bold: true, size: 17 },
  titleEn: { size: 10, color: COLOR.muted },
  label: { bold: true, size: 12 },
  labelEn: { size: 8.5, color: COLOR.muted },
  value: { size: 12 },
  valueStrong: { bold: true, size: 12 },
  valueEn: { size: 9, color: COLOR.muted },
  body: { size: 12.5 },
  bodyEn: { size: 9, color: COLOR.muted },
  appeal: { bold: true, size: 11.5 },
  caption: { bold: true, size: 9 },
  captionEn: { size: 8, color: COLOR.muted },
};

/** The heading of the letter and its subject line (เรื่อง) by kind. */
const KIND: Record<ResultKind, { heading: LocalizedText; subject: LocalizedText }> = {
  approval: {
    heading: { th: "หนังสือแจ้งผลการพิจารณา", en: "Notice of decision" },
    subject: { th: "แจ้งผลการพิจารณา — อนุญาต", en: "Decision on your request — granted" },
  },
  rejection: {
    heading: { th: "หนังสือแจ้งผลการพิจารณา", en: "Notice of decision" },
    subject: { th: "แจ้งผลการพิจารณา — ไม่อนุญาต", en: "Decision on your request — refused" },
  },
  answer: {
    heading: { th: "หนังสือตอบคำร้อง", en: "Reply to your request" },
    subject: { th: "ตอบคำร้อง", en: "Reply to your request" },
  },
  acknowledgement: {
    heading: { th: "หนังสือแจ้งรับเรื่อง", en: "Acknowledgement of receipt" },
    subject: { th: "แจ้งรับเรื่อง", en: "Your request has been received" },
  },
  referral: {
    heading: { th: "หนังสือแจ้งหน่วยงานที่มีอำนาจ", en: "Notice of the competent agency" },
    subject: { th: "แจ้งหน่วยงานที่มีอำนาจพิจารณาเรื่องของท่าน", en: "The agency competent for your request" },
  },
};

type Letter = ResultLetterPdfInput["letter"];

/** The opening paragraph: which request, and what the agency decided or does. */
function opening(letter: Letter, hasText: boolean): LocalizedText {
  const { agencyName: agency, serviceTitle: service } = letter;
  const th = `ตามที่ท่านได้ยื่นคำขอเลขที่ ${letter.trackingNumber} เรื่อง ${service.th} นั้น ${agency.th}`;
  const en = `Regarding your request ${letter.trackingNumber} (${service.en}), ${agency.en}`;
  switch (letter.kind) {
    case "approval":
      return {
        th: `${th}ได้พิจารณาแล้ว อนุญาตตามคำขอ${hasText ? " โดยมีรายละเอียดดังนี้" : ""}`,
        en: `${en} has considered it and grants it${hasText ? " as follows." : "."}`,
      };
    case "rejection":
      return {
        th: `${th}ได้พิจารณาแล้ว ไม่อนุญาตตามคำขอ${hasText ? " ด้วยเหตุผลดังนี้" : ""}`,
        en: `${en} has considered it and refuses it${hasText ? " for the following reasons." : "."}`,
      };
    case "answer":
      return { th: `${th}ขอเรียนชี้แจงดังนี้`, en: `${en} replies as follows.` };
    case "acknowledgement":
      return {
        th: `${th}ได้รับเรื่องของท่านไว้แล้ว และจะแจ้งผลการพิจารณาให้ทราบต่อไป`,
        en: `${en} has received it and will let you know the result.`,
      };
    case "referral": {
      // s.10: the matter is outside this agency's powers; the applicant is told which agency is competent.
      const to = letter.referredTo;
      const address = to?.address ? ` (${to.address})` : "";
      return {
        th: `${th}ได้ตรวจสอบแล้ว เรื่องดังกล่าวไม่อยู่ในอำนาจหน้าที่ของ${agency.th} หน่วยงานที่มีอำนาจพิจารณาเรื่องนี้คือ ${to?.name.th ?? "-"}${address} จึงขอให้ท่านยื่นเรื่องต่อหน่วยงานดังกล่าว${hasText ? " โดยมีรายละเอียดดังนี้" : ""}`,
        en: `${en} has found that the matter is outside its powers. The competent agency is ${to?.name.en ?? "-"}${address}; please take your request to it${hasText ? ", as explained below." : "."}`,
      };
    }
  }
}

/** s.40 of the Administrative Procedure Act: an appealable order must say how, where and by when. */
function appealRights(agency: LocalizedText): LocalizedText {
  return {
    th:
      "หากท่านไม่เห็นด้วยกับคำสั่งนี้ ท่านมีสิทธิอุทธรณ์ภายใน 15 วัน นับแต่วันที่ได้รับแจ้งคำสั่งนี้ " +
      "ตามมาตรา 44 แห่งพระราชบัญญัติวิธีปฏิบัติราชการทางปกครอง พ.ศ. 2539 " +
      `โดยทำเป็นหนังสือระบุข้อโต้แย้งและเหตุผล ยื่นต่อ${agency.th}`,
    en:
      "If you disagree with this decision you may appeal within 15 days of being notified of it, under " +
      "section 44 of the Administrative Procedure Act B.E. 2539 (1996), in writing with your grounds, " +
      `to ${agency.en}.`,
  };
}

/** Renders the letter as a one-page A4 PDF. Same input → same bytes (dated by issuedAt). */
export async function renderResultLetterPdf(input: ResultLetterPdfInput): Promise<Buffer> {
  const { letter } = input;
  const qrSize = resultLetterQrSize(input.verifyUrl);
  const qr = qrModules(input.verifyUrl);
  const kind = KIND[letter.kind];
  return renderOnOnePage(
    {
      margin: TOP,
      info: {
        Title: `${kind.heading.th} ${letter.number} / ${kind.heading.en}`,
        Author: `${letter.agencyName.th} / ${letter.agencyName.en}`,
        Subject: `${kind.subject.th} — ${letter.trackingNumber} ${letter.serviceTitle.th}`,
        Creator: "Borikan",
        CreationDate: letter.issuedAt,
        ModDate: letter.issuedAt,
      },
    },
    (doc, { scale }) => drawLetter(doc, input, { modules: qr, size: qrSize }, scale),
  );
}

function drawLetter(doc: Doc, { letter, verifyUrl, keyId }: ResultLetterPdfInput, qr: { modules: QrModules; size: number }, scale: number): void {
  const S = scaleStyles(STYLES, scale);
  const gap = (points: number) => points * scale;
  const flow = { frame: FRAME };
  const kind = KIND[letter.kind];

  let y = agencyHeader(doc, letter.agencyName, TOP, {
    x: MARGIN_X,
    width: CONTENT_WIDTH,
    th: S.agency,
    en: S.agencyEn,
    gap: gap(6),
  });

  // ที่ (letter number) on the left, the date from the centre line, as in a typed letter
  const [dateTh, dateEn] = dateLines(letter.issuedAt);
  const halfWidth = PAGE.width - MARGIN_X - CENTRE_X;
  let ny = write(doc, `ที่ ${letter.number}`, MARGIN_X, y, CENTRE_X - MARGIN_X - 10, S.value, flow);
  ny = write(doc, "Our reference", MARGIN_X, ny, CENTRE_X - MARGIN_X - 10, S.valueEn, flow);
  let dy = write(doc, dateTh, CENTRE_X, y, halfWidth, S.value, flow);
  dy = write(doc, dateEn, CENTRE_X, dy, halfWidth, S.valueEn, flow);
  y = Math.max(ny, dy) + gap(6);

  y = write(doc, kind.heading.th, MARGIN_X, y, CONTENT_WIDTH, S.title, { ...flow, align: "center" });
  y = write(doc, kind.heading.en, MARGIN_X, y, CONTENT_WIDTH, S.titleEn, { ...flow, align: "center" }) + gap(6);

  const row = { columns: COLUMNS, label: S.label, labelEn: S.labelEn, frame: FRAME, gap: gap(4) };
  const subject: FieldValue[] = [
    { text: kind.subject.th, style: S.valueStrong },
    // The stored subject is part of what was signed; print it when it says more than the kind does
    ...(letter.subject.trim() && letter.subject.trim() !== kind.subject.th ? [{ text: letter.subject, style: S.value }] : []),
    { text: kind.subject.en, style: S.valueEn },
  ];
  y = field(doc, y, row, ["เรื่อง", "Subject"], subject);
  y = field(doc, y, row, ["เรียน", "To"], [{ text: letter.applicantName, style: S.value }]);
  y = field(
    doc,
    y,
    row,
    ["อ้างถึง", "Reference"],
    [
      { text: `คำขอเลขที่ ${letter.trackingNumber} ${letter.serviceTitle.th}`, style: S.value },
      { text: `Request ${letter.trackingNumber}: ${letter.serviceTitle.en}`, style: S.valueEn },
    ],
  );
  y += gap(6);

  // Body: opening, the officer's text, appeal rights for a refusal, closing
  const paragraph = { ...flow, indent: gap(INDENT) };
  const text = letter.text.replace(/\r\n?/g, "\n").trim();
  const open = opening(letter, text !== "");
  y = write(doc, open.th, MARGIN_X, y, CONTENT_WIDTH, S.body, paragraph) + gap(2);
  y = write(doc, open.en, MARGIN_X, y, CONTENT_WIDTH, S.bodyEn, paragraph) + gap(4);
  if (text) {
    for (const para of text.split(/\n\s*\n|\n/)) {
      y = write(doc, para.trim(), MARGIN_X, y, CONTENT_WIDTH, S.body, paragraph) + gap(2);
    }
    y += gap(4);
  }
  if (letter.kind === "rejection") {
    const appeal = appealRights(letter.agencyName);
    const pad = gap(8);
    const inner = CONTENT_WIDTH - 2 * pad;
    const height = heightOf(doc, appeal.th, inner, S.appeal) + heightOf(doc, appeal.en, inner, S.bodyEn) + 2 * pad;
    y = ensureRoom(doc, y, height, FRAME);
    doc.roundedRect(MARGIN_X, y, CONTENT_WIDTH, height, 5).fillAndStroke(COLOR.box, COLOR.rule);
    const ay = write(doc, appeal.th, MARGIN_X + pad, y + pad, inner, S.appeal);
    write(doc, appeal.en, MARGIN_X + pad, ay, inner, S.bodyEn);
    y += height + gap(8);
  }
  y = write(doc, "จึงเรียนมาเพื่อโปรดทราบ", MARGIN_X, y, CONTENT_WIDTH, S.body, paragraph);
  y = write(doc, "For your information.", MARGIN_X, y, CONTENT_WIDTH, S.bodyEn, paragraph) + gap(10);

  // Sign-off from the centre line, with room to sign above the name as on paper; the QR code and
  // its captions on the left, level with it
  const closing: FieldValue[] = [
    { text: "ขอแสดงความนับถือ", style: S.body },
    { text: "Yours faithfully", style: S.bodyEn },
  ];
  const signer: FieldValue[] = [
    { text: letter.agencyName.th, style: S.valueStrong },
    { text: letter.agencyName.en, style: S.valueEn },
    { text: `ลงนามอิเล็กทรอนิกส์ (Ed25519) รหัสกุญแจ ${keyId}`, style: S.captionEn },
  ];
  const captions: FieldValue[] = [
    { text: "สแกนเพื่อตรวจสอบความถูกต้อง", style: S.caption },
    { text: "Scan to verify", style: S.captionEn },
  ];
  const captionWidth = qr.size + 40; // centred under the QR, reaching into the margin
  const signOffHeight = stackHeight(doc, closing, halfWidth) + gap(18) + stackHeight(doc, signer, halfWidth);
  y = ensureRoom(doc, y, Math.max(qr.size + gap(4) + stackHeight(doc, captions, captionWidth), signOffHeight), FRAME);
  drawQr(doc, qr.modules, MARGIN_X, y, qr.size, verifyUrl);
  writeStack(doc, captions, MARGIN_X - 20, y + qr.size + gap(4), captionWidth, { align: "center" });
  writeStack(doc, signer, CENTRE_X, writeStack(doc, closing, CENTRE_X, y, halfWidth) + gap(18), halfWidth);

  drawPageFooters(doc, letter.number, { x: MARGIN_X, y: FOOTER_Y, width: CONTENT_WIDTH, size: 7.5 });
}
