import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { PERMIT_QR_SIZE, renderPermitPdf } from "~/services/permit-pdf.server";
import { linkPlacements, wrongQrModules } from "../support/pdf-qr";
import { samplePermit, samplePermitPdfInput } from "../support/pdf-samples";

const POPPLER = { pdftotext: "/usr/bin/pdftotext", pdfinfo: "/usr/bin/pdfinfo", pdftoppm: "/usr/bin/pdftoppm" };
const hasPoppler = Object.values(POPPLER).every((tool) => existsSync(tool));
const MM = 72 / 25.4;

const tmp = mkdtempSync(path.join(tmpdir(), "borikan-permit-test-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let fileCount = 0;
function saved(pdf: Buffer): string {
  const file = path.join(tmp, `permit-${++fileCount}.pdf`);
  writeFileSync(file, pdf);
  return file;
}

/** The text in drawing order (-raw), so a value wrapped over two lines is not split by its label. */
function textOf(pdf: Buffer): string {
  return execFileSync(POPPLER.pdftotext, ["-raw", "-enc", "UTF-8", saved(pdf), "-"]).toString("utf8");
}

/** Line breaks fall wherever the wrap put them, and Thai has no spaces at a break: compare without whitespace. */
const squash = (text: string) => text.replace(/\s+/g, "");

function infoOf(pdf: Buffer): Record<string, string> {
  const out = execFileSync(POPPLER.pdfinfo, ["-enc", "UTF-8", saved(pdf)]).toString("utf8");
  return Object.fromEntries(out.split("\n").map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1).trim()]));
}

describe("renderPermitPdf", () => {
  it("renders one A4 page with Sarabun embedded and the permit's metadata", async () => {
    // given a realistic permit / when it is rendered
    const pdf = await renderPermitPdf(samplePermitPdfInput());
    const raw = pdf.toString("latin1");
    // then
    expect(raw.startsWith("%PDF-")).toBe(true);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+Sarabun-Regular/);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+Sarabun-Bold/);
    expect(raw).not.toContain("Helvetica");
    expect(raw).toContain("/Lang (th-TH)");
    if (!hasPoppler) return;
    const info = infoOf(pdf);
    expect(info.Pages).toBe("1");
    expect(info["Page size"]).toContain("595.28 x 841.89");
    expect(info.Title).toBe(
      "NBI-HH-2569-00045 ใบอนุญาตประกอบกิจการที่เป็นอันตรายต่อสุขภาพ / Permit to operate a business hazardous to health",
    );
    expect(info.Author).toBe("เทศบาลนครนนทบุรี / Nonthaburi City Municipality");
    expect(info.Subject).toContain("ร้านเสริมสวยสมหญิงบิวตี้");
  });

  it("is deterministic: the same input gives the same bytes", async () => {
    const input = samplePermitPdfInput();
    expect((await renderPermitPdf(input)).equals(await renderPermitPdf(input))).toBe(true);
  });

  it.skipIf(!hasPoppler)("reads back every printed field, Buddhist-era dates and the conditions", async () => {
    const input = samplePermitPdfInput();
    const text = squash(textOf(await renderPermitPdf(input)));
    const p = input.permit;
    for (const expected of [
      "เทศบาลนครนนทบุรี",
      "ใบอนุญาตประกอบกิจการที่เป็นอันตรายต่อสุขภาพ",
      "เลขที่ / No. NBI-HH-2569-00045",
      "นางสาวสมหญิง ใจงาม",
      "ร้านเสริมสวยสมหญิงบิวตี้",
      p.activity, // "…อันตรายต่อสุขภาพ…" inside the activity
      p.address.text,
      "พื้นที่ประกอบกิจการ",
      "48 ตารางเมตร",
      "500 บาท (ใบเสร็จรับเงินเลขที่ 2569/00342)",
      ...p.conditions.flatMap((c, i) => [`${i + 1}.${c.th}`, c.en]),
      "ออกให้ ณ วันที่ 15 มกราคม 2569",
      "ใช้ได้ถึงวันที่ 14 มกราคม 2570",
      "Valid until 14 January 2027",
      "สแกนเพื่อตรวจสอบความถูกต้อง / Scan to verify",
      "ลงนามอิเล็กทรอนิกส์ (Ed25519) รหัสกุญแจ nbi-2026-01",
      "ใบอนุญาตนี้ต้องแสดงไว้ในที่เปิดเผย ณ สถานประกอบกิจการ",
      "แสดงทางอิเล็กทรอนิกส์ได้ตามมาตรา 13",
    ]) {
      expect(text).toContain(squash(expected));
    }
    expect(text).toContain("อันตราย");
    expect(text).not.toMatch(/มกราคม202[67]/); // Thai dates are Buddhist era
    expect(text).not.toContain("Renews");
  });

  it.skipIf(!hasPoppler)("leaves out the display notice when the permit need not be displayed, and prints a renewal", async () => {
    const text = squash(
      textOf(await renderPermitPdf(samplePermitPdfInput({ displayRequired: false, renews: "NBI-HH-2568-00012", validFrom: "2026-01-20" }))),
    );
    expect(text).not.toContain(squash("ต้องแสดงไว้ในที่เปิดเผย"));
    expect(text).toContain(squash("ต่ออายุจากใบอนุญาตเลขที่ Renews permit No. NBI-HH-2568-00012"));
    expect(text).toContain(squash("มีผลตั้งแต่วันที่ 20 มกราคม 2569"));
  });

  it.skipIf(!hasPoppler)("draws the QR code at least 55 mm wide, and it carries verifyUrl", async () => {
    // given a verify URL the length of a signed permit
    const input = samplePermitPdfInput();
    expect(input.verifyUrl.length).toBeGreaterThan(1000);
    const pdf = await renderPermitPdf(input);

    // then the one QR code on the page (where its link is) is a square of at least 55 mm
    const placements = linkPlacements(pdf);
    expect(placements).toHaveLength(1);
    const qr = placements[0]!;
    expect(qr.width).toBeCloseTo(PERMIT_QR_SIZE, 1);
    expect(qr.height).toBeCloseTo(qr.width, 3);
    expect(qr.width / MM).toBeGreaterThanOrEqual(55);

    // and, rasterised at 300 dpi, every module (quiet zone included) is what the QR code of verifyUrl has there
    const { wrong, size } = wrongQrModules(saved(pdf), qr, input.verifyUrl, path.join(tmp, "qr"));
    expect(size).toBeGreaterThanOrEqual(121); // a big symbol: the case that needs the size
    expect(wrong).toBe(0);
  });

  it.skipIf(!hasPoppler)("keeps a 200-character business name whole and still fits on one page", async () => {
    // given a business name of 200 characters and long values elsewhere
    const businessName =
      "ห้างหุ้นส่วนจำกัดร้านเสริมสวยและแต่งผมสมหญิงบิวตี้ซาลอนแอนด์สปา สาขาถนนรัตนาธิเบศร์ ตรงข้ามศูนย์ราชการจังหวัดนนทบุรี " +
      "ใกล้สถานีรถไฟฟ้าสายสีม่วง ศูนย์ราชการนนทบุรี บริการทำผม ทำเล็บ แต่งหน้า ครบวงจร ฯลฯ";
    expect([...businessName]).toHaveLength(200);
    const input = samplePermitPdfInput({
      businessName,
      holderName: "นางสาวสมหญิง ใจงาม ในนามห้างหุ้นส่วนจำกัด สมหญิงบิวตี้ซาลอนแอนด์สปา (สำนักงานใหญ่)",
      details: [
        ...samplePermit().details,
        { key: "chairs", label: { th: "จำนวนเก้าอี้ให้บริการ", en: "Service chairs" }, value: "6 ตัว" },
      ],
      conditions: [
        ...samplePermit().conditions,
        {
          th: "ต้องจัดให้มีภาชนะรองรับมูลฝอยที่มีฝาปิดมิดชิด และแยกมูลฝอยติดเชื้อ เช่น ใบมีดโกน ออกจากมูลฝอยทั่วไป แล้วส่งกำจัดตามที่ราชการกำหนด",
          en: "Provide covered waste bins and keep infectious waste such as razor blades apart from general waste, for disposal as the authorities require.",
        },
      ],
    });
    // when it is rendered
    const pdf = await renderPermitPdf(input);
    // then
    expect(infoOf(pdf).Pages).toBe("1");
    const text = squash(textOf(pdf));
    expect(text).toContain(squash(businessName));
    expect(text).toContain(squash(input.permit.holderName));
    expect(text).toContain(squash("ส่งกำจัดตามที่ราชการกำหนด"));
    expect(text).toContain(squash("ลงนามอิเล็กทรอนิกส์ (Ed25519) รหัสกุญแจ nbi-2026-01"));
  });

  it("refuses a permit whose dates are not calendar days rather than print a wrong one", async () => {
    await expect(renderPermitPdf(samplePermitPdfInput({ validUntil: "2027-02-30" }))).rejects.toThrow(/ISO calendar date/);
  });
});
