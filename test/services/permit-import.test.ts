import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, describe, expect, it } from "vitest";
import { AppError } from "~/core/errors";
import { payloadMismatches } from "~/core/permits/permit-rules";
import { verifyPermitJws } from "~/core/permits/permit-signature";
import { validateRow } from "~/core/permits/permit-import";
import { loadThaiAddressBook } from "~/core/thai/address";
import { getPermit, getPermits, upsertImportedPermits } from "~/models/permit.server";
import { sequenceHint } from "~/models/counter.server";
import { publishedKeySet } from "~/services/document-signing.server";
import { newStoredPermit } from "~/services/permit-signing.server";
import { DEMO_LEGACY_REGISTERS, importDemoLegacyPermits } from "~/services/permit-import/demo-legacy-permits.server";
import { importPermits, type ImportProgress } from "~/services/permit-import/import-permits.server";
import { getImportJobView, importJobErrorsCsv, startImportJob } from "~/services/permit-import/import-jobs.server";
import { countRows, readTable } from "~/services/permit-import/read-table.server";
import { importDir, newImportId } from "~/services/permit-import/uploads.server";
import { withTestDatabase } from "../support/db";

withTestDatabase();

const dir = mkdtempSync(path.join(os.tmpdir(), "borikan-import-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = ["เลขที่ใบอนุญาต", "ชื่อผู้ได้รับอนุญาต", "ชื่อสถานประกอบการ", "ประเภทกิจการ", "ที่ตั้ง", "ตำบล/แขวง", "อำเภอ/เขต", "จังหวัด", "รหัสไปรษณีย์", "วันที่ออกใบอนุญาต", "วันหมดอายุ", "สถานะ"];
type Row = string[];
const row = (n: number, overrides: Partial<Record<(typeof HEADER)[number], string>> = {}): Row => {
  const base: Record<string, string> = {
    เลขที่ใบอนุญาต: `SKJ-HH-2560-${String(n).padStart(5, "0")}`,
    ชื่อผู้ได้รับอนุญาต: `นางสาวทดสอบ นำเข้า${n}`,
    ชื่อสถานประกอบการ: `ร้านเสริมสวยทดสอบ ${n}`,
    ประเภทกิจการ: "กิจการเสริมสวย ตัดผม แต่งผม",
    ที่ตั้ง: `${n} ถนนรัตนาธิเบศร์`,
    "ตำบล/แขวง": "บางกระสอ",
    "อำเภอ/เขต": "เมืองนนทบุรี",
    จังหวัด: "นนทบุรี",
    รหัสไปรษณีย์: "11000",
    วันที่ออกใบอนุญาต: "15/03/2560",
    วันหมดอายุ: "14/03/2561",
    สถานะ: "ใช้ได้",
  };
  return HEADER.map((h) => overrides[h] ?? base[h]);
};
const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
function writeCsv(name: string, rows: Row[], header: string[] = HEADER): string {
  const file = path.join(dir, name);
  writeFileSync(file, "\uFEFF" + [header, ...rows].map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n");
  return file;
}
const numbers = (from: number, count: number) => Array.from({ length: count }, (_, i) => `SKJ-HH-2560-${String(from + i).padStart(5, "0")}`);

describe("importing a paper-era permit register", () => {
  it("imports the good rows of a CSV and reports each bad row with its reasons", async () => {
    const file = writeCsv("mixed.csv", [
      row(1),
      row(2),
      row(3, { วันที่ออกใบอนุญาต: "15/03/2017" }), // Gregorian year
      row(4, { จังหวัด: "นนทบรี" }), // misspelt province
      row(5),
      row(1, { ชื่อผู้ได้รับอนุญาต: "นายซ้ำ ซ้ำ" }), // same number as row 2 of the sheet
      row(6, { ชื่อสถานประกอบการ: "" }),
    ]);
    const report = await importPermits({ agencyId: "sukjai", filePath: file, kind: "csv", defaultTypeCode: "HH" });
    expect(report).toMatchObject({ total: 7, imported: 3, updated: 0, unchanged: 0, failed: 4 });
    expect(report.errors.map((e) => [e.row, e.column])).toEqual([
      [4, "วันที่ออกใบอนุญาต"],
      [5, "จังหวัด"],
      [7, "เลขที่ใบอนุญาต"],
      [8, "ชื่อสถานประกอบการ"],
    ]);
    expect(report.errors[0].message.th).toContain("15/03/2560");
    expect(report.errors[1].message.en).toContain("นนทบรี");
    expect(report.errors[2].message).toEqual({ th: "เลขที่ใบอนุญาต SKJ-HH-2560-00001 ซ้ำกับแถวที่ 2", en: "Permit number SKJ-HH-2560-00001 duplicates row 2" });
    expect(report.errors[2].number).toBe("SKJ-HH-2560-00001");

    const stored = await getPermits(numbers(1, 6));
    expect(stored.map((p) => p.number).sort()).toEqual(["SKJ-HH-2560-00001", "SKJ-HH-2560-00002", "SKJ-HH-2560-00005"]);
    const first = stored.find((p) => p.number === "SKJ-HH-2560-00001")!;
    expect(first).toMatchObject({
      agencyId: "sukjai",
      typeCode: "HH",
      holderName: "นางสาวทดสอบ นำเข้า1",
      issuedOn: "2017-03-15",
      validFrom: "2017-03-15",
      validUntil: "2018-03-14",
      status: "valid",
      source: "import",
      rev: 0,
      address: { text: "1 ถนนรัตนาธิเบศร์ ตำบลบางกระสอ อำเภอเมืองนนทบุรี จังหวัดนนทบุรี 11000", province: "นนทบุรี", district: "เมืองนนทบุรี", subdistrict: "บางกระสอ", postcode: "11000" },
    });
    expect(first.typeName.th).toContain("ใบอนุญาตประกอบกิจการที่เป็นอันตรายต่อสุขภาพ");
    expect(first.conditions.length).toBeGreaterThan(0);
  });

  it("signs every imported permit with the agency's key over exactly its printed content", async () => {
    const permit = (await getPermit("SKJ-HH-2560-00002"))!;
    const check = await verifyPermitJws(permit.signature.jws, await publishedKeySet());
    expect(check.ok).toBe(true);
    if (check.ok) {
      expect(check.agency).toBe("sukjai");
      expect(payloadMismatches(check.payload, permit)).toEqual([]);
    }
  });

  it("imports the same file again without duplicates: every row unchanged", async () => {
    const file = writeCsv("twice.csv", [row(10), row(11), row(12)]);
    const first = await importPermits({ agencyId: "sukjai", filePath: file, kind: "csv", defaultTypeCode: "HH" });
    expect(first).toMatchObject({ imported: 3, unchanged: 0, failed: 0 });
    const before = await getPermits(numbers(10, 3));
    const second = await importPermits({ agencyId: "sukjai", filePath: file, kind: "csv", defaultTypeCode: "HH" });
    expect(second).toMatchObject({ total: 3, imported: 0, updated: 0, unchanged: 3, failed: 0 });
    const after = await getPermits(numbers(10, 3));
    expect(after).toHaveLength(3);
    expect(after.map((p) => [p.number, p.rev, p.signature.jws])).toEqual(before.map((p) => [p.number, p.rev, p.signature.jws]));
  });

  it("replaces a permit whose row changed, as a new revision with a new signature", async () => {
    const file = writeCsv("changed.csv", [row(10), row(11, { สถานะ: "พักใช้" }), row(12)]);
    const before = (await getPermit("SKJ-HH-2560-00011"))!;
    const report = await importPermits({ agencyId: "sukjai", filePath: file, kind: "csv", defaultTypeCode: "HH" });
    expect(report).toMatchObject({ imported: 0, updated: 1, unchanged: 2, failed: 0 });
    const after = (await getPermit("SKJ-HH-2560-00011"))!;
    expect(after).toMatchObject({ status: "suspended", rev: before.rev + 1 });
    // The status is not signed (it changes after printing), so the signature stays valid and the same.
    expect(after.signature.jws).toBe(before.signature.jws);
    const renamed = writeCsv("renamed.csv", [row(12, { ชื่อผู้ได้รับอนุญาต: "บริษัท ทดสอบนำเข้า จำกัด" })]);
    const before12 = (await getPermit("SKJ-HH-2560-00012"))!;
    expect(await importPermits({ agencyId: "sukjai", filePath: renamed, kind: "csv", defaultTypeCode: "HH" })).toMatchObject({ updated: 1 });
    const after12 = (await getPermit("SKJ-HH-2560-00012"))!;
    expect(after12.holderName).toBe("บริษัท ทดสอบนำเข้า จำกัด");
    expect(after12.signature.jws).not.toBe(before12.signature.jws);
  });

  it("refuses a row whose number already belongs to another agency", async () => {
    const file = writeCsv("other-agency.csv", [
      row(10, { จังหวัด: "นครราชสีมา", "อำเภอ/เขต": "โชคชัย", "ตำบล/แขวง": "ทุ่งอรุณ", รหัสไปรษณีย์: "30190" }),
      ["TTG-FD-2560-00001", ...row(20, { จังหวัด: "นครราชสีมา", "อำเภอ/เขต": "โชคชัย", "ตำบล/แขวง": "ทุ่งอรุณ", รหัสไปรษณีย์: "30190" }).slice(1)],
    ]);
    const report = await importPermits({ agencyId: "thungthong", filePath: file, kind: "csv", defaultTypeCode: "FD" });
    expect(report).toMatchObject({ imported: 1, failed: 1 });
    expect(report.errors).toEqual([
      { row: 2, number: "SKJ-HH-2560-00010", column: "เลขที่ใบอนุญาต", message: { th: expect.stringContaining("หน่วยงานอื่น"), en: expect.stringContaining("another agency") } },
    ]);
    expect((await getPermit("SKJ-HH-2560-00010"))!.agencyId).toBe("sukjai");
  });

  it("reports, and leaves alone, a number another agency takes while the import runs", async () => {
    const file = writeCsv("race.csv", [row(60), row(61)]);
    const report = await importPermits({
      agencyId: "sukjai",
      filePath: file,
      kind: "csv",
      defaultTypeCode: "HH",
      // Called once the file and the store have been read, before the first write.
      onProgress: async ({ processed }) => {
        if (processed > 0) return;
        const theirs = validateRow(
          { number: "SKJ-HH-2560-00061", holder: "นายอื่น", business: "ร้านอื่น", province: "นครราชสีมา", issued: "01/01/2560", until: "31/12/2560" },
          { number: "number", holder: "holderName", business: "businessName", province: "province", issued: "issuedOn", until: "validUntil" },
          { agency: { _id: "thungthong", name: { th: "อบต.ทุ่งทอง", en: "Thung Thong SAO" } }, permitTypes: { FD: { typeName: { th: "FD", en: "FD" }, displayRequired: true, conditions: [] } }, defaultTypeCode: "FD", addressBook: await loadThaiAddressBook(), today: "2026-11-25" },
        );
        if (!("permit" in theirs)) throw new Error("bad fixture");
        await upsertImportedPermits([await newStoredPermit(theirs.permit)], () => false);
      },
    });
    expect(report).toMatchObject({ imported: 1, failed: 1 });
    expect(report.errors).toEqual([{ row: 3, number: "SKJ-HH-2560-00061", column: "เลขที่ใบอนุญาต", message: expect.objectContaining({ en: expect.stringContaining("was taken by a permit issued in Borikan or by another agency") }) }]);
    expect((await getPermit("SKJ-HH-2560-00061"))!.agencyId).toBe("thungthong");
  });

  it("reads an XLSX register with date cells, text dates and numeric postcodes", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("ทะเบียน");
    ws.addRow(["Permit No.", "Holder name", "Business name", "Province", "District", "Subdistrict", "Postcode", "Issue date", "Expiry date", "Status"]);
    ws.addRow(["SKJ-HH-2560-00030", "นายเอ็กเซล ทดสอบ", "อู่เอ็กเซลการช่าง", "นนทบุรี", "ปากเกร็ด", "บางตลาด", 11120, new Date(Date.UTC(2017, 5, 1)), new Date(Date.UTC(2018, 4, 31)), "valid"]);
    ws.addRow(["SKJ-HH-2560-00031", "นางเอ็กเซล ทดสอบ", "ร้านซักรีดเอ็กเซล", "นนทบุรี", "ปากเกร็ด", "บางตลาด", 11120, "1/6/2560", "31/5/2561", "Revoked"]);
    ws.addRow([]);
    ws.addRow(["SKJ-HH-2560-00032", "นายวันที่ ผิด", "ร้านวันที่ผิด", "นนทบุรี", "ปากเกร็ด", "บางตลาด", 11120, new Date(Date.UTC(2017, 5, 1)), new Date(Date.UTC(2017, 4, 31)), ""]);
    ws.getColumn(8).numFmt = "d/m/yyyy";
    ws.getColumn(9).numFmt = "d/m/yyyy";
    const file = path.join(dir, "register.xlsx");
    await wb.xlsx.writeFile(file);

    expect(await countRows(file, "xlsx")).toBe(3);
    const report = await importPermits({ agencyId: "sukjai", filePath: file, kind: "xlsx", defaultTypeCode: "HH" });
    expect(report).toMatchObject({ total: 3, imported: 2, failed: 1 });
    expect(report.errors).toEqual([{ row: 5, number: "SKJ-HH-2560-00032", column: "Expiry date", message: expect.objectContaining({ en: "The expiry date is before the issue date" }) }]);
    const [a, b] = await getPermits(["SKJ-HH-2560-00030", "SKJ-HH-2560-00031"]);
    expect(a).toMatchObject({ issuedOn: "2017-06-01", validUntil: "2018-05-31", status: "valid", address: { postcode: "11120", district: "ปากเกร็ด" } });
    expect(b).toMatchObject({ issuedOn: "2017-06-01", validUntil: "2018-05-31", status: "revoked" });
  });

  it("stops with a clear message when the file's columns do not fit", async () => {
    const file = writeCsv("wrong-columns.csv", [["a", "b", "c"]], ["ลำดับ", "ชื่อ", "หมายเหตุ"]);
    const error = await importPermits({ agencyId: "sukjai", filePath: file, kind: "csv", defaultTypeCode: "HH" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("BAD_REQUEST");
    expect((error as AppError).text.th).toContain('ยังไม่ได้เลือกคอลัมน์สำหรับ "เลขที่ใบอนุญาต"');
    expect((error as AppError).text.en).toContain("columns in the file: ลำดับ, ชื่อ, หมายเหตุ");
    // A mapping that names a column the file does not have is refused too.
    const named = await importPermits({ agencyId: "sukjai", filePath: file, kind: "csv", mapping: { เลขที่: "number" }, defaultTypeCode: "HH" }).catch((e: unknown) => e);
    expect((named as AppError).text.en).toContain('The file has no column "เลขที่"');
  });

  it("refuses a file that is not what it claims, a CSV that is not UTF-8 and an unknown permit type", async () => {
    const fake = path.join(dir, "fake.xlsx");
    writeFileSync(fake, "เลขที่,ชื่อ\n1,2\n");
    await expect(readTable(fake, "xlsx")).rejects.toMatchObject({ code: "BAD_REQUEST", text: { en: expect.stringContaining("Excel file could not be read") } });
    const tis620 = path.join(dir, "tis620.csv");
    writeFileSync(tis620, Buffer.from([0xe0, 0xc5, 0xa2, 0x2c, 0x41, 0x0a, 0x31, 0x2c, 0x32, 0x0a])); // "เลข,A" in TIS-620
    await expect(readTable(tis620, "csv")).rejects.toMatchObject({ code: "BAD_REQUEST", text: { en: expect.stringContaining("not UTF-8") } });
    const file = writeCsv("type.csv", [row(40)]);
    await expect(importPermits({ agencyId: "sukjai", filePath: file, kind: "csv", defaultTypeCode: "XX" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      text: { en: expect.stringContaining('no permit type "XX"') },
    });
  });

  it("reports progress up to the total, in batches", async () => {
    const file = writeCsv("progress.csv", Array.from({ length: 700 }, (_, i) => row(100 + i)));
    const seen: ImportProgress[] = [];
    const report = await importPermits({ agencyId: "sukjai", filePath: file, kind: "csv", defaultTypeCode: "HH", onProgress: (p) => void seen.push(p) });
    expect(report).toMatchObject({ total: 700, imported: 700, failed: 0 });
    expect(seen[0]).toEqual({ processed: 0, total: 700 });
    expect(seen.at(-1)).toEqual({ processed: 700, total: 700 });
    expect(seen.map((p) => p.processed)).toEqual([...seen.map((p) => p.processed)].sort((a, b) => a - b));
    expect(seen.some((p) => p.processed === 500)).toBe(true);
    expect((await getPermits(numbers(100, 700))).length).toBe(700);
  });

  it("moves Borikan's permit sequence past imported numbers in its own format", async () => {
    // Imported up to SKJ-HH-2560-00799 (previous test): the next permit Borikan issues for 2560 is 00800.
    expect(await sequenceHint("permit:sukjai:HH:2560")).toBe(799);
  });

  it("seeds the demo registers once: a second run changes nothing", async () => {
    const sukjai = DEMO_LEGACY_REGISTERS[0];
    expect(await countRows(sukjai.file, sukjai.kind)).toBe(300);
    const reports = await importDemoLegacyPermits({ log: () => undefined });
    expect(reports.map((r) => [r.total, r.imported, r.updated, r.unchanged, r.failed])).toEqual([
      [300, 0, 0, 300, 0],
      [60, 0, 0, 60, 0],
    ]);
    const sample = await getPermits(["SKJ-HH-2563-00001", "TTG-FD-2563-00001"]);
    expect(sample.map((p) => [p.agencyId, p.typeCode, p.source])).toEqual([
      ["sukjai", "HH", "import"],
      ["thungthong", "FD", "import"],
    ]);
  });

  it("runs a browser import as a background job whose record reaches done with the errors kept", async () => {
    await mkdir(importDir(), { recursive: true });
    const id = newImportId();
    const filePath = path.join(importDir(), `${id}.csv`);
    await writeFile(filePath, "\uFEFF" + [HEADER, row(50), row(51, { วันหมดอายุ: "31/02/2561" })].map((r) => r.map(csvCell).join(",")).join("\n"));
    const actor = { id: "admin-test", agencyId: "sukjai" };
    const upload = { id, agencyId: "sukjai", createdBy: actor.id, fileName: "ทะเบียน.csv", kind: "csv" as const, size: 1, createdAt: new Date().toISOString(), filePath };
    const mapping = Object.fromEntries(HEADER.map((h, i) => [h, (["number", "holderName", "businessName", "activity", "addressLine", "subdistrict", "district", "province", "postcode", "issuedOn", "validUntil", "status"] as const)[i]]));
    const jobId = await startImportJob({ actor, upload, mapping, defaultTypeCode: "HH" });
    let view = await getImportJobView(jobId, actor);
    for (let i = 0; i < 100 && (view.status === "queued" || view.status === "running"); i++) {
      await new Promise((r) => setTimeout(r, 100));
      view = await getImportJobView(jobId, actor);
    }
    expect(view).toMatchObject({ status: "done", processed: 2, total: 2, percent: 100, errorCount: 1, summary: { imported: 1, failed: 1 } });
    expect(view.errors[0]).toMatchObject({ row: 3, column: "วันหมดอายุ" });
    const csv = await importJobErrorsCsv(jobId, actor);
    expect(csv.fileName).toBe("ทะเบียน.errors.csv");
    const text = typeof csv.body === "string" ? csv.body : await new Response(csv.body).text();
    expect(text).toContain("SKJ-HH-2560-00051");
    // Another agency cannot see the job.
    await expect(getImportJobView(jobId, { agencyId: "thungthong" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
