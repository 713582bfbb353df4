/**
 * The PDFs of OPDC's s.22 notices (Electronic Government Administration Act B.E. 2565): an agency's progress
 * notice every 15 days, and the report over all agencies every 60 days. Thai typesetting from ../pdf/thai-pdf.
 * Same input → same bytes: every date printed comes from the input.
 */
import type { AgencyFigures } from "~/core/oversight/figures";
import type { LocalizedText } from "~/core/text";
import { COLOR, createThaiPdf, dateTimeLines, drawPageFooters, ensureRoom, heightOf, PAGE, rule, write, type Doc, type Frame, type Style } from "../pdf/thai-pdf.server";

export type ProgressNoticePdfInput = { figures: AgencyFigures; periodLabel: LocalizedText; issuedAt: Date };
export type OversightReportPdfInput = { figures: AgencyFigures[]; periodLabel: LocalizedText; issuedAt: Date };

const MARGIN = 40;
const CONTENT_WIDTH = PAGE.width - 2 * MARGIN;
const FOOTER_Y = PAGE.height - 28;
const FRAME: Frame = { top: MARGIN, bottom: FOOTER_Y - 8 };
const OPDC: LocalizedText = { th: "สำนักงานคณะกรรมการพัฒนาระบบราชการ (ก.พ.ร.)", en: "Office of the Public Sector Development Commission (OPDC)" };

type Column = { header: [string, string]; width: number; align?: "left" | "right" };
const CELL: Style = { size: 9.5 };
const HEAD: Style = { size: 8.5, bold: true };
const PAD = 3;

/** A table with wrapped cells; the header row is drawn again on each new page. */
function table(doc: Doc, y: number, columns: Column[], rows: string[][]): number {
  const xs = columns.reduce<number[]>((acc, c, i) => [...acc, i === 0 ? MARGIN : acc[i - 1]! + columns[i - 1]!.width], []);
  const rowHeight = (cells: string[], style: Style) => Math.max(...cells.map((text, i) => heightOf(doc, text, columns[i]!.width - 2 * PAD, style))) + 2 * PAD;
  const drawRow = (cells: string[], style: Style, shade: boolean) => {
    const h = rowHeight(cells, style);
    if (shade) doc.rect(MARGIN, y, CONTENT_WIDTH, h).fill(COLOR.box);
    cells.forEach((text, i) => write(doc, text, xs[i]! + PAD, y + PAD, columns[i]!.width - 2 * PAD, style, { align: columns[i]!.align ?? "left" }));
    y += h;
    rule(doc, MARGIN, MARGIN + CONTENT_WIDTH, y, { color: COLOR.rule, width: 0.5 });
  };
  const header = columns.map((c) => `${c.header[0]}\n${c.header[1]}`);
  const drawHeader = () => drawRow(header, HEAD, true);
  y = ensureRoom(doc, y, rowHeight(header, HEAD) + 30, FRAME);
  drawHeader();
  for (const cells of rows) {
    const needed = rowHeight(cells, CELL);
    if (y + needed > FRAME.bottom) {
      doc.addPage();
      y = FRAME.top;
      drawHeader();
    }
    drawRow(cells, CELL, false);
  }
  return y + 8;
}

const n = (value: number) => value.toLocaleString("en-US");
const share = (value: number | null) => (value === null ? "–" : `${Math.round(value * 100)}%`);
const days = (value: number | null) => (value === null ? "–" : String(value));

function heading(doc: Doc, y: number, title: LocalizedText, subtitle: LocalizedText, periodLabel: LocalizedText, issuedAt: Date): number {
  y = write(doc, OPDC.th, MARGIN, y, CONTENT_WIDTH, { bold: true, size: 13, color: COLOR.accent });
  y = write(doc, OPDC.en, MARGIN, y, CONTENT_WIDTH, { size: 10, color: COLOR.muted });
  y += 4;
  rule(doc, MARGIN, MARGIN + CONTENT_WIDTH, y, { color: COLOR.accent, width: 0.9 });
  y += 10;
  y = write(doc, title.th, MARGIN, y, CONTENT_WIDTH, { bold: true, size: 18 });
  y = write(doc, title.en, MARGIN, y, CONTENT_WIDTH, { size: 12, color: COLOR.muted });
  y += 4;
  y = write(doc, subtitle.th, MARGIN, y, CONTENT_WIDTH, { bold: true, size: 13 });
  y = write(doc, subtitle.en, MARGIN, y, CONTENT_WIDTH, { size: 10, color: COLOR.muted });
  y += 4;
  const [issuedTh, issuedEn] = dateTimeLines(issuedAt);
  y = write(doc, `${periodLabel.th} · ข้อมูล ณ ${issuedTh}`, MARGIN, y, CONTENT_WIDTH, { size: 11 });
  y = write(doc, `${periodLabel.en} · figures as of ${issuedEn}`, MARGIN, y, CONTENT_WIDTH, { size: 9.5, color: COLOR.muted });
  return y + 10;
}

function note(doc: Doc, y: number, th: string, en: string): number {
  y = ensureRoom(doc, y, 60, FRAME);
  y = write(doc, th, MARGIN, y, CONTENT_WIDTH, { size: 9.5 }, { frame: FRAME });
  return write(doc, en, MARGIN, y + 2, CONTENT_WIDTH, { size: 8.5, color: COLOR.muted }, { frame: FRAME });
}

/** An agency's progress notice: its totals, then one row per service. */
export async function renderProgressNoticePdf(input: ProgressNoticePdfInput): Promise<Buffer> {
  const f = input.figures;
  const { doc, finish } = createThaiPdf({
    margin: MARGIN,
    info: {
      Title: `หนังสือแจ้งความคืบหน้า / Progress notice — ${f.name.th} (${f.agencyCode})`,
      Author: `${OPDC.th} / ${OPDC.en}`,
      Subject: `${input.periodLabel.th} / ${input.periodLabel.en}`,
      Creator: "Borikan",
      CreationDate: input.issuedAt,
      ModDate: input.issuedAt,
    },
  });
  let y = heading(doc, MARGIN, { th: "หนังสือแจ้งความคืบหน้าการให้บริการทางอิเล็กทรอนิกส์", en: "Progress notice on electronic services" }, { th: `${f.name.th} (${f.agencyCode})`, en: f.name.en }, input.periodLabel, input.issuedAt);
  y = table(
    doc,
    y,
    [
      { header: ["ตัวชี้วัด", "Figure"], width: CONTENT_WIDTH - 120 },
      { header: ["ค่า", "Value"], width: 120, align: "right" },
    ],
    [
      [`บริการออนไลน์ระดับเริ่มต้น / ระดับมาตรฐาน\nServices online, initial / standard level`, `${n(f.servicesOnline.initial)} / ${n(f.servicesOnline.standard)}`],
      ["คำขอที่ยื่น\nApplications filed", n(f.filed)],
      ["พิจารณาแล้ว (ภายในกำหนด)\nDecided (on time)", `${n(f.decided)} (${n(f.decidedOnTime)})`],
      ["สัดส่วนที่พิจารณาทันกำหนด\nShare decided on time", share(f.onTimeShare)],
      ["ระยะเวลาพิจารณา มัธยฐาน / เปอร์เซ็นไทล์ที่ 90 (วันทำการ)\nProcessing time, median / 90th percentile (working days)", `${days(f.medianDays)} / ${days(f.p90Days)}`],
      ["เรื่องค้างพิจารณา (เกินกำหนด)\nOpen cases (past their limit)", `${n(f.openCases)} (${n(f.openPastLimit)})`],
      ["หนังสือแจ้งความล่าช้าที่ส่งแล้ว\nDelay notices sent", n(f.delayNoticesSent)],
    ],
  );
  y = write(doc, "รายบริการ / Per service", MARGIN, ensureRoom(doc, y, 80, FRAME), CONTENT_WIDTH, { bold: true, size: 12 });
  y = table(
    doc,
    y + 4,
    [
      { header: ["บริการ", "Service"], width: CONTENT_WIDTH - 300 },
      { header: ["ระดับ", "Level"], width: 60 },
      { header: ["ยื่น", "Filed"], width: 45, align: "right" },
      { header: ["พิจารณา", "Decided"], width: 50, align: "right" },
      { header: ["ทันกำหนด", "On time"], width: 50, align: "right" },
      { header: ["มัธยฐาน", "Median"], width: 45, align: "right" },
      { header: ["เกินกำหนด", "Late open"], width: 50, align: "right" },
    ],
    f.services.map((s) => [
      `${s.title.th}\n${s.title.en}`,
      s.level === "standard" ? "มาตรฐาน\nStandard" : "เริ่มต้น\nInitial",
      n(s.filed),
      n(s.decided),
      n(s.decidedOnTime),
      days(s.medianDays),
      n(s.openPastLimit),
    ]),
  );
  note(
    doc,
    y,
    "ก.พ.ร. แจ้งความคืบหน้าทุก 15 วัน ตามมาตรา 22 แห่งพระราชบัญญัติการปฏิบัติราชการทางอิเล็กทรอนิกส์ พ.ศ. 2565 หนังสือนี้จัดทำโดยระบบอิเล็กทรอนิกส์",
    "OPDC sends this progress notice every 15 days under section 22 of the Electronic Government Administration Act B.E. 2565 (2022). Issued electronically.",
  );
  drawPageFooters(doc, `${f.agencyCode} · ${input.periodLabel.en}`, { x: MARGIN, y: FOOTER_Y, width: CONTENT_WIDTH, size: 8 });
  return finish();
}

/** OPDC's report over all agencies: one row per agency, with the totals. */
export async function renderOversightReportPdf(input: OversightReportPdfInput): Promise<Buffer> {
  const { doc, finish } = createThaiPdf({
    margin: MARGIN,
    info: {
      Title: `รายงานผลการให้บริการทางอิเล็กทรอนิกส์ / Report on electronic services — ${input.periodLabel.en}`,
      Author: `${OPDC.th} / ${OPDC.en}`,
      Subject: `${input.periodLabel.th} / ${input.periodLabel.en}`,
      Creator: "Borikan",
      CreationDate: input.issuedAt,
      ModDate: input.issuedAt,
    },
  });
  const all = input.figures;
  const sum = (pick: (f: AgencyFigures) => number) => all.reduce((t, f) => t + pick(f), 0);
  let y = heading(
    doc,
    MARGIN,
    { th: "รายงานผลการให้บริการทางอิเล็กทรอนิกส์ของหน่วยงาน", en: "Report on agencies' electronic services" },
    { th: `ทุกหน่วยงานบนแพลตฟอร์ม (${n(all.length)} หน่วยงาน)`, en: `Every agency on the platform (${n(all.length)})` },
    input.periodLabel,
    input.issuedAt,
  );
  y = table(
    doc,
    y,
    [
      { header: ["หน่วยงาน", "Agency"], width: CONTENT_WIDTH - 320 },
      { header: ["ออนไลน์", "Online"], width: 50, align: "right" },
      { header: ["ยื่น", "Filed"], width: 45, align: "right" },
      { header: ["พิจารณา", "Decided"], width: 50, align: "right" },
      { header: ["ทันกำหนด", "On time"], width: 50, align: "right" },
      { header: ["มัธยฐาน/P90", "Median/P90"], width: 60, align: "right" },
      { header: ["ค้าง(เกิน)", "Open(late)"], width: 65, align: "right" },
    ],
    [
      ...all.map((f) => [
        `${f.name.th} (${f.agencyCode})\n${f.name.en}`,
        n(f.servicesOnline.initial + f.servicesOnline.standard),
        n(f.filed),
        n(f.decided),
        share(f.onTimeShare),
        `${days(f.medianDays)}/${days(f.p90Days)}`,
        `${n(f.openCases)} (${n(f.openPastLimit)})`,
      ]),
      [
        "รวม\nTotal",
        n(sum((f) => f.servicesOnline.initial + f.servicesOnline.standard)),
        n(sum((f) => f.filed)),
        n(sum((f) => f.decided)),
        share(sum((f) => f.decided) > 0 ? sum((f) => f.decidedOnTime) / sum((f) => f.decided) : null),
        "",
        `${n(sum((f) => f.openCases))} (${n(sum((f) => f.openPastLimit))})`,
      ],
    ],
  );
  note(
    doc,
    y,
    "ก.พ.ร. รายงานผลทุก 60 วัน ตามมาตรา 22 แห่งพระราชบัญญัติการปฏิบัติราชการทางอิเล็กทรอนิกส์ พ.ศ. 2565 ระยะเวลาพิจารณานับเป็นวันทำการจากวันที่เริ่มนับระยะเวลา",
    "OPDC reports every 60 days under section 22 of the Electronic Government Administration Act B.E. 2565 (2022). Processing times are in working days from the day the time limit counts from.",
  );
  drawPageFooters(doc, input.periodLabel.en, { x: MARGIN, y: FOOTER_Y, width: CONTENT_WIDTH, size: 8 });
  return finish();
}
