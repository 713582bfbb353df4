import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import type { ResultKind } from "~/core/permits/types";
import { linkPlacements, wrongQrModules } from "../support/pdf-qr";
import { renderResultLetterPdf, resultLetterQrSize, type ResultLetterPdfInput } from "~/services/result-letter-pdf.server";

const POPPLER = { pdftotext: "/usr/bin/pdftotext", pdfinfo: "/usr/bin/pdfinfo" };
const hasPoppler = Object.values(POPPLER).every((tool) => existsSync(tool));
const MM = 72 / 25.4;

const REASONS =
  "1. สถานประกอบการไม่มีระบบระบายอากาศตามที่กำหนดในข้อบัญญัติเทศบาลนครนนทบุรี เรื่อง กิจการที่เป็นอันตรายต่อสุขภาพ พ.ศ. 2562 ข้อ 12\n" +
  "2. ไม่มีภาชนะรองรับมูลฝอยที่มีฝาปิดมิดชิด และไม่มีการแยกมูลฝอยติดเชื้อออกจากมูลฝอยทั่วไป\n" +
  "\n" +
  "ท่านอาจยื่นคำขอใหม่ได้เมื่อได้ปรับปรุงสถานประกอบการให้เป็นไปตามหลักเกณฑ์ข้างต้นแล้ว";

function letterInput(kind: ResultKind, overrides: Partial<ResultLetterPdfInput["letter"]> = {}): ResultLetterPdfInput {
  const signature = Buffer.alloc(64, 3).toString("base64url");
  return {
    letter: {
      id: "eff-7f3a",
      number: "NBI-L-2569-00017",
      caseId: "case-001",
      trackingNumber: "NBI-2569-000871",
      agencyId: "nbi",
      agencyName: { th: "เทศบาลนครนนทบุรี", en: "Nonthaburi City Municipality" },
      serviceTitle: { th: "การขออนุญาตประกอบกิจการที่เป็นอันตรายต่อสุขภาพ", en: "Permit to operate a business hazardous to health" },
      kind,
      applicantName: "นางสาวสมหญิง ใจงาม",
      subject: "",
      text: REASONS,
      // 20:00 UTC on the 19th is already the 20th in Bangkok
      issuedAt: new Date("2026-02-19T20:00:00Z"),
      ...overrides,
    },
    verifyUrl: `https://borikan.example.go.th/verify#eyJhbGciOiJFZERTQSIsInR5cCI6ImJvcmlrYW4tcmVzdWx0K2p3cyJ9.${"x".repeat(600)}.${signature}`,
    keyId: "nbi-2026-01",
  };
}

const tmp = mkdtempSync(path.join(tmpdir(), "borikan-letter-test-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let fileCount = 0;
function saved(pdf: Buffer): string {
  const file = path.join(tmp, `letter-${++fileCount}.pdf`);
  writeFileSync(file, pdf);
  return file;
}

/** The text in drawing order (-raw), so a value wrapped over two lines is not split by its label. */
function textOf(pdf: Buffer): string {
  return execFileSync(POPPLER.pdftotext, ["-raw", "-enc", "UTF-8", saved(pdf), "-"]).toString("utf8");
}

/** Line breaks fall wherever the wrap put them, and Thai has no spaces at a break: compare without whitespace. */
const squash = (text: string) => text.replace(/\s+/g, "");

function pagesOf(pdf: Buffer): number {
  const out = execFileSync(POPPLER.pdfinfo, [saved(pdf)]).toString("utf8");
  return Number(/^Pages:\s+(\d+)/m.exec(out)![1]);
}

const APPEAL = [
  "ท่านมีสิทธิอุทธรณ์ภายใน 15 วัน",
  "พระราชบัญญัติวิธีปฏิบัติราชการทางปกครอง พ.ศ. 2539",
  "ยื่นต่อเทศบาลนครนนทบุรี",
].map(squash);

describe("renderResultLetterPdf", () => {
  it("is a deterministic A4 PDF with Sarabun, the letter's metadata and a QR code", async () => {
    const input = letterInput("rejection");
    const pdf = await renderResultLetterPdf(input);
    const raw = pdf.toString("latin1");
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+Sarabun-Regular/);
    expect(raw).not.toContain("Helvetica");
    expect(raw).toContain("/Lang (th-TH)");
    expect(raw).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);
    expect(raw).toContain("(D:20260219200000Z)"); // dated by issuedAt
    expect((await renderResultLetterPdf(input)).equals(pdf)).toBe(true);

    // one QR code, no smaller than 30 mm
    const widths = linkPlacements(pdf).map((qr) => qr.width);
    expect(widths).toHaveLength(1);
    expect(widths[0]).toBeCloseTo(resultLetterQrSize(input.verifyUrl), 2);
    expect(widths[0]! / MM).toBeGreaterThanOrEqual(30);
  });

  it.skipIf(!hasPoppler)("draws the QR code of verifyUrl, module for module, with its quiet zone", async () => {
    const input = letterInput("approval");
    const pdf = await renderResultLetterPdf(input);
    const [qr] = linkPlacements(pdf);
    const { wrong, size } = wrongQrModules(saved(pdf), qr!, input.verifyUrl, path.join(tmp, "qr"));
    expect(size).toBeGreaterThan(21);
    expect(wrong).toBe(0);
  });

  it.skipIf(!hasPoppler)("a refusal gives the reasons and the right to appeal, on one page", async () => {
    // given a rejection / when it is rendered
    const pdf = await renderResultLetterPdf(letterInput("rejection"));
    const text = squash(textOf(pdf));
    // then
    expect(pagesOf(pdf)).toBe(1);
    for (const expected of [
      "เทศบาลนครนนทบุรี",
      "ที่ NBI-L-2569-00017",
      "20 กุมภาพันธ์ 2569",
      "20 February 2026",
      "หนังสือแจ้งผลการพิจารณา",
      "เรื่อง Subject แจ้งผลการพิจารณา — ไม่อนุญาต",
      "เรียน To นางสาวสมหญิง ใจงาม",
      "คำขอเลขที่ NBI-2569-000871 การขออนุญาตประกอบกิจการที่เป็นอันตรายต่อสุขภาพ",
      "ไม่อนุญาตตามคำขอ ด้วยเหตุผลดังนี้",
      ...REASONS.split("\n").filter(Boolean),
      "ลงนามอิเล็กทรอนิกส์ (Ed25519) รหัสกุญแจ nbi-2026-01",
      "สแกนเพื่อตรวจสอบความถูกต้อง",
    ]) {
      expect(text).toContain(squash(expected));
    }
    for (const part of APPEAL) expect(text).toContain(part);
  });

  it.skipIf(!hasPoppler)("an approval says so and carries no appeal notice", async () => {
    const text = squash(textOf(await renderResultLetterPdf(letterInput("approval", { text: "ให้ผู้ขอรับใบอนุญาตได้ที่ระบบภายใน 30 วัน" }))));
    expect(text).toContain(squash("แจ้งผลการพิจารณา — อนุญาต"));
    expect(text).toContain(squash("อนุญาตตามคำขอ โดยมีรายละเอียดดังนี้"));
    expect(text).toContain(squash("ให้ผู้ขอรับใบอนุญาตได้ที่ระบบภายใน 30 วัน"));
    expect(text).not.toContain(squash("ไม่อนุญาต"));
    expect(text).not.toContain(squash("อุทธรณ์"));
  });

  it.skipIf(!hasPoppler).each([
    ["answer", "ตอบคำร้อง", "หนังสือตอบคำร้อง"],
    ["acknowledgement", "แจ้งรับเรื่อง", "หนังสือแจ้งรับเรื่อง"],
  ] as const)("%s: its own heading and subject line", async (kind, subject, heading) => {
    const text = squash(textOf(await renderResultLetterPdf(letterInput(kind, { text: "" }))));
    expect(text).toContain(squash(`เรื่อง Subject ${subject}`));
    expect(text).toContain(squash(heading));
    expect(text).not.toContain(squash("อุทธรณ์"));
  });

  it.skipIf(!hasPoppler)("prints a stored subject that says more than the kind", async () => {
    const text = squash(textOf(await renderResultLetterPdf(letterInput("answer", { subject: "ขอทราบหลักเกณฑ์การต่ออายุใบอนุญาต" }))));
    expect(text).toContain(squash("ตอบคำร้อง ขอทราบหลักเกณฑ์การต่ออายุใบอนุญาต"));
  });

  it.skipIf(!hasPoppler)("fits long multi-paragraph reasons on one page without losing a word", async () => {
    // given over 2,000 characters of reasons in ten paragraphs
    const paragraphs = Array.from(
      { length: 10 },
      (_, i) =>
        `${i + 1}. จากการตรวจสถานประกอบการเมื่อวันที่ ${i + 3} กุมภาพันธ์ 2569 พบว่าสถานที่ไม่เป็นไปตามหลักเกณฑ์ด้านสุขลักษณะ ` +
        `ตามข้อบัญญัติเทศบาลนครนนทบุรี เรื่อง กิจการที่เป็นอันตรายต่อสุขภาพ พ.ศ. 2562 ข้อ ${10 + i} และยังไม่ได้แก้ไขตามคำแนะนำ`,
    );
    const text = paragraphs.join("\n\n");
    expect(text.length).toBeGreaterThan(2000);
    // when
    const pdf = await renderResultLetterPdf(letterInput("rejection", { text }));
    // then
    expect(pagesOf(pdf)).toBe(1);
    const read = squash(textOf(pdf));
    for (const paragraph of paragraphs) expect(read).toContain(squash(paragraph));
    for (const part of APPEAL) expect(read).toContain(part);
  });
});
