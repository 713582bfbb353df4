/**
 * Renders a sample permit and a sample rejection letter to docs/permit-sample.png and
 * docs/result-letter-sample.png so the Thai typesetting can be checked by eye:
 *   npx tsx scripts/render-pdf-samples.ts            (KEEP_PDF_DIR=/some/dir keeps the PDFs)
 * Needs poppler's pdftoppm (apt: poppler-utils).
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import type { PublicPermit } from "../app/core/permits/types";
import { renderPermitPdf } from "../app/services/permit-pdf.server";
import { renderResultLetterPdf } from "../app/services/result-letter-pdf.server";

const root = path.resolve(import.meta.dirname, "..");
const KEY_ID = "nbi-2026-01";

/** A compact JWS the size of a real one; the signature is a placeholder (the picture only needs the length). */
function sampleJws(typ: string, payload: unknown): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "EdDSA", typ, kid: KEY_ID })}.${part(payload)}.${Buffer.alloc(64, 7).toString("base64url")}`;
}

const agencyName = { th: "เทศบาลนครนนทบุรี", en: "Nonthaburi City Municipality" };

const permit: PublicPermit = {
  number: "NBI-HH-2569-00045",
  agencyId: "nbi",
  agencyName,
  typeCode: "HH",
  typeName: {
    th: "ใบอนุญาตประกอบกิจการที่เป็นอันตรายต่อสุขภาพ",
    en: "Permit to operate a business hazardous to health",
  },
  holderName: "นางสาวสมหญิง ใจงาม",
  businessName: "ร้านเสริมสวยสมหญิงบิวตี้",
  activity: "กิจการเสริมสวย ตัดผม แต่งผม (กิจการที่เป็นอันตรายต่อสุขภาพ กลุ่มที่ 9 กิจการอื่น ๆ)",
  address: {
    text: "เลขที่ 88/12 หมู่ที่ 4 ถนนรัตนาธิเบศร์ ตำบลบางกระสอ อำเภอเมืองนนทบุรี จังหวัดนนทบุรี 11000",
    province: "นนทบุรี",
    district: "เมืองนนทบุรี",
    subdistrict: "บางกระสอ",
    postcode: "11000",
  },
  details: [
    { key: "area", label: { th: "พื้นที่ประกอบกิจการ", en: "Floor area" }, value: "48 ตารางเมตร" },
    { key: "workers", label: { th: "จำนวนผู้ปฏิบัติงาน", en: "Workers" }, value: "4 คน" },
    { key: "hours", label: { th: "เวลาทำการ", en: "Opening hours" }, value: "ทุกวัน เวลา 09.00 – 20.00 น." },
    { key: "fee", label: { th: "ค่าธรรมเนียม", en: "Fee" }, value: "500 บาท (ใบเสร็จรับเงินเลขที่ 2569/00342)" },
  ],
  conditions: [
    {
      th: "ต้องรักษาความสะอาดของสถานประกอบการ เครื่องมือ และเครื่องใช้ให้ถูกสุขลักษณะอยู่เสมอ",
      en: "Keep the premises, tools and equipment clean and hygienic at all times.",
    },
    {
      th: "ต้องทำความสะอาดและฆ่าเชื้ออุปกรณ์ที่สัมผัสผิวหนังของผู้รับบริการทุกครั้งก่อนนำกลับมาใช้ใหม่",
      en: "Clean and disinfect every tool that touches a client's skin before it is used again.",
    },
    {
      th: "ผู้ให้บริการต้องได้รับการตรวจสุขภาพประจำปี และไม่เป็นโรคติดต่อหรือโรคที่สังคมรังเกียจ",
      en: "Staff must have a yearly health check and must not have a communicable disease.",
    },
    {
      th: "ต้องยื่นคำขอต่ออายุใบอนุญาตก่อนใบอนุญาตสิ้นอายุ",
      en: "Apply for renewal before this permit expires.",
    },
  ],
  issuedOn: "2026-01-15",
  validFrom: "2026-01-15",
  validUntil: "2027-01-14",
  status: "valid",
  displayRequired: true,
  source: "issued",
};

// the shape of signedPayloadOf in app/core/permits/permit-rules.ts
const permitPayload = {
  v: 1,
  number: permit.number,
  agency: permit.agencyId,
  type: permit.typeCode,
  holder: permit.holderName,
  business: permit.businessName,
  activity: permit.activity,
  address: permit.address.text,
  issued: permit.issuedOn,
  from: permit.validFrom,
  until: permit.validUntil,
};

const permitPdf = await renderPermitPdf({
  permit,
  verifyUrl: `https://borikan.example.go.th/verify#${sampleJws("borikan-permit+jws", permitPayload)}`,
  keyId: KEY_ID,
});

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
  // the shape of resultPayloadOf in app/services/effects/issue-result.server.ts
  verifyUrl: `https://borikan.example.go.th/verify#${sampleJws("borikan-result+jws", {
    v: 1,
    kind: letter.kind,
    number: letter.number,
    agency: letter.agencyId,
    tracking: letter.trackingNumber,
    applicant: letter.applicantName,
    issued: letter.issuedAt.toISOString(),
    textSha256: createHash("sha256").update(letter.text).digest("hex"),
  })}`,
  keyId: KEY_ID,
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
