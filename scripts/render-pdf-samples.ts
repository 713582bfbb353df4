/**
 * Renders a sample permit and a sample rejection letter to docs/permit-sample.png and
 * docs/result-letter-sample.png so the Thai typesetting can be checked by eye:
 *   npx tsx scripts/render-pdf-samples.ts            (KEEP_PDF_DIR=/some/dir keeps the PDFs)
 * Needs poppler's pdftoppm (apt: poppler-utils).
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { RESULT_JWS_TYPE } from "../app/core/permits/permit-signature";
import { resultPayloadOf } from "../app/services/effects/issue-result.server";
import { renderPermitPdf } from "../app/services/permit-pdf.server";
import { renderResultLetterPdf } from "../app/services/result-letter-pdf.server";
import { SAMPLE_KEY_ID, sampleJws, samplePermit, samplePermitPdfInput } from "../test/support/pdf-samples";

const root = path.resolve(import.meta.dirname, "..");
const agencyName = samplePermit().agencyName;

// The sample in the README: the shared sample permit with its whole address and a fourth condition.
const permitPdf = await renderPermitPdf(
  samplePermitPdfInput({
    address: {
      text: "เลขที่ 88/12 หมู่ที่ 4 ถนนรัตนาธิเบศร์ ตำบลบางกระสอ อำเภอเมืองนนทบุรี จังหวัดนนทบุรี 11000",
      province: "นนทบุรี",
      district: "เมืองนนทบุรี",
      subdistrict: "บางกระสอ",
      postcode: "11000",
    },
    conditions: [
      ...samplePermit().conditions,
      { th: "ต้องยื่นคำขอต่ออายุใบอนุญาตก่อนใบอนุญาตสิ้นอายุ", en: "Apply for renewal before this permit expires." },
    ],
  }),
);

const letter = {
  id: "eff-7f3a",
  number: "NBI-L-2569-00017",
  caseId: "case-001",
  trackingNumber: "NBI-2569-000871",
  agencyId: "nbi",
  agencyName,
  serviceTitle: {
    th: "การขออนุญาตประกอบกิจการที่เป็นอันตรายต่อสุขภาพ",
    en: "Permit to operate a business hazardous to health",
  },
  kind: "rejection" as const,
  applicantName: "นายประเสริฐ ศักดิ์สิทธิ์ไพบูลย์",
  subject: "ร้านเสริมสวยประเสริฐแฮร์ดีไซน์",
  text:
    "1. สถานประกอบการไม่มีระบบระบายอากาศตามที่กำหนดในข้อบัญญัติเทศบาลนครนนทบุรี เรื่อง กิจการที่เป็นอันตรายต่อสุขภาพ " +
    "พ.ศ. 2562 ข้อ 12 โดยพื้นที่ให้บริการทำสีผมไม่มีพัดลมดูดอากาศหรือช่องระบายอากาศ\n" +
    "2. ไม่มีภาชนะรองรับมูลฝอยที่มีฝาปิดมิดชิด และไม่มีการแยกมูลฝอยติดเชื้อ (เข็ม ใบมีด) ออกจากมูลฝอยทั่วไป\n" +
    "3. เจ้าหน้าที่ได้แจ้งให้แก้ไขเมื่อวันที่ 3 กุมภาพันธ์ 2569 แล้ว แต่เมื่อตรวจซ้ำเมื่อวันที่ 17 กุมภาพันธ์ 2569 " +
    "ยังไม่ได้ดำเนินการแก้ไขให้ถูกต้อง\n" +
    "ท่านอาจยื่นคำขอใหม่ได้เมื่อได้ปรับปรุงสถานประกอบการให้เป็นไปตามหลักเกณฑ์ข้างต้นแล้ว",
  issuedAt: new Date("2026-02-20T10:30:00+07:00"),
};

const letterPdf = await renderResultLetterPdf({
  letter,
  verifyUrl: `https://borikan.example.go.th/verify#${sampleJws(RESULT_JWS_TYPE, resultPayloadOf(letter))}`,
  keyId: SAMPLE_KEY_ID,
});

const tmp = mkdtempSync(path.join(tmpdir(), "borikan-pdf-samples-"));
try {
  for (const [name, pdf] of [
    ["permit-sample", permitPdf],
    ["result-letter-sample", letterPdf],
  ] as const) {
    const pdfFile = path.join(tmp, `${name}.pdf`);
    writeFileSync(pdfFile, pdf);
    if (process.env.KEEP_PDF_DIR) writeFileSync(path.join(process.env.KEEP_PDF_DIR, `${name}.pdf`), pdf);
    execFileSync("pdftoppm", ["-r", "110", "-png", "-singlefile", pdfFile, path.join(tmp, name)]);
    const out = path.join(root, "docs", `${name}.png`);
    copyFileSync(path.join(tmp, `${name}.png`), out);
    console.log(`wrote ${path.relative(root, out)} (${pdf.length} bytes of PDF)`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
