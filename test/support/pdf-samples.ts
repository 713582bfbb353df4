import { signedPayloadOf } from "~/core/permits/permit-rules";
import { PERMIT_JWS_TYPE } from "~/core/permits/permit-signature";
import type { PublicPermit } from "~/core/permits/types";
import type { PermitPdfInput } from "~/services/permit-pdf.server";

/** Realistic input for the PDF renderers, shared by their tests and scripts/render-pdf-samples.ts. */
export const SAMPLE_KEY_ID = "nbi-2026-01";

/** A compact JWS as long as a real one; the signature bytes are a placeholder (layout only needs the length). */
export function sampleJws(typ: string, payload: unknown): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "EdDSA", typ, kid: SAMPLE_KEY_ID })}.${part(payload)}.${Buffer.alloc(64, 9).toString("base64url")}`;
}

export function samplePermit(overrides: Partial<PublicPermit> = {}): PublicPermit {
  return {
    number: "NBI-HH-2569-00045",
    agencyId: "nbi",
    agencyName: { th: "เทศบาลนครนนทบุรี", en: "Nonthaburi City Municipality" },
    typeCode: "HH",
    typeName: { th: "ใบอนุญาตประกอบกิจการที่เป็นอันตรายต่อสุขภาพ", en: "Permit to operate a business hazardous to health" },
    holderName: "นางสาวสมหญิง ใจงาม",
    businessName: "ร้านเสริมสวยสมหญิงบิวตี้",
    activity: "กิจการเสริมสวย ตัดผม แต่งผม (กิจการที่เป็นอันตรายต่อสุขภาพ กลุ่มที่ 9 กิจการอื่น ๆ)",
    address: { text: "เลขที่ 88/12 หมู่ที่ 4 ถนนรัตนาธิเบศร์ ตำบลบางกระสอ อำเภอเมืองนนทบุรี จังหวัดนนทบุรี 11000" },
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
    ],
    issuedOn: "2026-01-15",
    validFrom: "2026-01-15",
    validUntil: "2027-01-14",
    status: "valid",
    displayRequired: true,
    source: "issued",
    ...overrides,
  };
}

/** The renderer's input for a sample permit, with a QR URL as long as a real signed one. */
export function samplePermitPdfInput(overrides: Partial<PublicPermit> = {}): PermitPdfInput {
  const permit = samplePermit(overrides);
  return { permit, verifyUrl: `https://borikan.example.go.th/verify#${sampleJws(PERMIT_JWS_TYPE, signedPayloadOf(permit))}`, keyId: SAMPLE_KEY_ID };
}
