/**
 * Renders a sample electronic receipt to docs/receipt-sample.png (and .pdf next to it in a temp
 * dir) so the Thai typesetting can be checked by eye: npx tsx scripts/render-receipt-sample.ts
 * Needs poppler's pdftoppm (apt: poppler-utils).
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { addWorkingDays, countedFrom, loadWorkingCalendar } from "../app/core/calendar/working-days";
import { renderReceiptPdf } from "../app/services/receipt-pdf.server";

const root = path.resolve(import.meta.dirname, "..");
const calendar = loadWorkingCalendar(JSON.parse(readFileSync(path.join(root, "config/holidays.json"), "utf8")));

// Friday evening before the Visakha Bucha long weekend: counts from Tuesday 2 June 2026.
const receivedAt = new Date("2026-05-29T17:12:45+07:00");
const statutoryDays = 45;

const pdf = await renderReceiptPdf({
  trackingNumber: "BRK-2569-000123",
  trackingUrl: "https://borikan.example.go.th/track/BRK-2569-000123",
  agencyName: { th: "สำนักงานเขตบางรัก กรุงเทพมหานคร", en: "Bang Rak District Office, Bangkok Metropolitan Administration" },
  serviceTitle: {
    th: "การขออนุญาตก่อสร้าง ดัดแปลง หรือรื้อถอนอาคาร ตามพระราชบัญญัติควบคุมอาคาร พ.ศ. 2522",
    en: "Permit to construct, modify or demolish a building under the Building Control Act B.E. 2522",
  },
  applicantName: "นางสาวปุณณ์ญาดา ศุภฤกษ์ชัย",
  receivedAt,
  countedFrom: countedFrom(receivedAt, calendar),
  dueAt: addWorkingDays(receivedAt, statutoryDays, calendar),
  statutoryDays,
  documents: [
    { name: "สำเนาบัตรประจำตัวประชาชน" },
    { name: "สำเนาโฉนดที่ดิน (น.ส.4 จ.) ทุกหน้า พร้อมหนังสือยินยอมให้ใช้ที่ดินก่อสร้างอาคาร" },
    { name: "แบบแปลนอาคาร ผังบริเวณ แปลนพื้น รูปตัด รูปด้าน และรายการคำนวณโครงสร้าง" },
    { name: "ใบอนุญาตประกอบวิชาชีพวิศวกรรมควบคุมของผู้ออกแบบ" },
    // tall consonants, stacked marks and sara am: the cases that show a shaping bug first
    { name: "ภาพถ่ายที่ตั้งปั๊มน้ำ บ่อพักน้ำเสีย และรั้วกั้นเขตที่ดินด้านทิศใต้ (ฐานราก ฎีกา ญี่ปุ่น)" },
  ],
});

const tmp = mkdtempSync(path.join(tmpdir(), "borikan-receipt-"));
try {
  const pdfFile = path.join(tmp, "receipt-sample.pdf");
  writeFileSync(pdfFile, pdf);
  if (process.env.KEEP_PDF) writeFileSync(process.env.KEEP_PDF, pdf);
  execFileSync("pdftoppm", ["-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", pdfFile, path.join(tmp, "receipt-sample")]);
  const out = path.join(root, "docs", "receipt-sample.png");
  copyFileSync(path.join(tmp, "receipt-sample.png"), out);
  console.log(`wrote ${path.relative(root, out)} (${pdf.length} bytes of PDF)`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
