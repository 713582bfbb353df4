import { beforeAll, describe, expect, it } from "vitest";
import {
  importedContentKey,
  mappingFromChoices,
  parseImportDate,
  sequenceOfNumber,
  suggestMapping,
  validateMapping,
  validateRow,
  type ColumnMapping,
  type ImportContext,
  type RowResult,
} from "~/core/permits/permit-import";
import { loadThaiAddressBook } from "~/core/thai/address";

const HEADERS = ["ลำดับ", "เลขที่ใบอนุญาต", "ชื่อผู้ได้รับอนุญาต", "ชื่อสถานประกอบการ", "ประเภทกิจการ", "ที่ตั้ง", "ตำบล/แขวง", "อำเภอ/เขต", "จังหวัด", "รหัสไปรษณีย์", "วันที่ออก", "วันหมดอายุ", "สถานะ", "เหตุผล"];

let context: ImportContext;
const mapping: ColumnMapping = suggestMapping(HEADERS);
const good: Record<string, string> = {
  ลำดับ: "1",
  เลขที่ใบอนุญาต: "SKJ-HH-2566-00123",
  ชื่อผู้ได้รับอนุญาต: "นางสาวสุภาพร  ใจดี ",
  ชื่อสถานประกอบการ: "ร้านเสริมสวยสุภาพร",
  ประเภทกิจการ: "กิจการเสริมสวย ตัดผม แต่งผม",
  ที่ตั้ง: "12/3 ซอยรัตนาธิเบศร์ 18 ถนนรัตนาธิเบศร์",
  "ตำบล/แขวง": "บางกระสอ",
  "อำเภอ/เขต": "เมืองนนทบุรี",
  จังหวัด: "นนทบุรี",
  รหัสไปรษณีย์: "11000",
  วันที่ออก: "15/03/2566",
  วันหมดอายุ: "14/03/2567",
  สถานะ: "",
  เหตุผล: "",
};

beforeAll(async () => {
  context = {
    agency: { _id: "sukjai", name: { th: "เทศบาลเมืองสุขใจ", en: "Sukjai Town Municipality" } },
    permitTypes: {
      HH: { typeName: { th: "ใบอนุญาตประกอบกิจการที่เป็นอันตรายต่อสุขภาพ", en: "Health-hazard business licence" }, displayRequired: true, conditions: [{ th: "แสดงใบอนุญาต", en: "Display the licence" }] },
      FD: { typeName: { th: "ใบอนุญาตจัดตั้งสถานที่จำหน่ายอาหาร", en: "Food premises licence" }, displayRequired: true, conditions: [] },
    },
    defaultTypeCode: "HH",
    addressBook: await loadThaiAddressBook(),
    today: "2026-11-25",
  };
});

const validate = (changes: Record<string, string>, extra: Partial<ImportContext> = {}, row = 2): RowResult => validateRow({ ...good, ...changes }, mapping, { ...context, ...extra }, row);
const errorsOf = (result: RowResult) => ("errors" in result ? result.errors : []);

describe("column mapping", () => {
  it("recognises Thai and English header names and leaves unknown columns out", () => {
    expect(mapping).toEqual({
      ลำดับ: null,
      เลขที่ใบอนุญาต: "number",
      ชื่อผู้ได้รับอนุญาต: "holderName",
      ชื่อสถานประกอบการ: "businessName",
      ประเภทกิจการ: "activity",
      ที่ตั้ง: "addressLine",
      "ตำบล/แขวง": "subdistrict",
      "อำเภอ/เขต": "district",
      จังหวัด: "province",
      รหัสไปรษณีย์: "postcode",
      วันที่ออก: "issuedOn",
      วันหมดอายุ: "validUntil",
      สถานะ: "status",
      เหตุผล: "statusReason",
    });
    expect(suggestMapping(["Permit No.", "Holder Name", "Business name", "Province", "District", "Sub-district", "Issue date", "Expiry date", "Phone", "Type"])).toEqual({
      "Permit No.": "number",
      "Holder Name": "holderName",
      "Business name": "businessName",
      Province: "province",
      District: "district",
      "Sub-district": "subdistrict",
      "Issue date": "issuedOn",
      "Expiry date": "validUntil",
      Phone: null,
      Type: "typeCode",
    });
  });

  it("matches headers that contain a known name, and gives each field to the best column only", () => {
    expect(suggestMapping(["เลขที่ใบอนุญาต (เล่ม/ปี)", "ชื่อผู้ได้รับอนุญาต", "ผู้ได้รับอนุญาต", "วันที่ออกใบอนุญาต", "ใช้ได้ถึงวันที่"])).toEqual({
      "เลขที่ใบอนุญาต (เล่ม/ปี)": "number",
      ชื่อผู้ได้รับอนุญาต: "holderName",
      ผู้ได้รับอนุญาต: null,
      วันที่ออกใบอนุญาต: "issuedOn",
      ใช้ได้ถึงวันที่: "validUntil",
    });
  });

  it("requires each required field once and a permit type, in Thai and English", () => {
    expect(validateMapping(mapping, { defaultTypeCode: "HH" })).toEqual([]);
    const errors = validateMapping({ ...mapping, จังหวัด: null, ที่ตั้ง: "holderName" });
    expect(errors.map((e) => e.field)).toEqual(["holderName", "province", "typeCode"]);
    expect(errors[0].message.th).toContain('"ชื่อผู้ได้รับอนุญาต" ถูกเลือกให้หลายคอลัมน์');
    expect(errors[0].message.en).toContain('"Permit holder" is chosen for several columns: "ชื่อผู้ได้รับอนุญาต", "ที่ตั้ง"');
    expect(errors[1].message).toEqual({ th: 'ยังไม่ได้เลือกคอลัมน์สำหรับ "จังหวัด" (จำเป็น)', en: 'No column is chosen for "Province" (required)' });
    expect(errors[2].message.en).toBe("Choose a permit type for the whole file or a column that gives the type");
  });

  it("turns the form's column per field into a mapping and refuses a column used twice", () => {
    expect(mappingFromChoices(["ก", "ข"], { number: "ก", holderName: "ข" })).toEqual({ mapping: { ก: "number", ข: "holderName" }, errors: [] });
    expect(mappingFromChoices(["ก"], { number: "ก", holderName: "ก" }).errors[0].en).toBe('Column "ก" is chosen for both "Permit number" and "Permit holder" — a column fills one field');
  });
});

describe("dates", () => {
  it("accepts ISO dates (spreadsheet cells), Thai BE day-first dates and Thai month names", () => {
    expect(parseImportDate("2023-03-15")).toEqual({ iso: "2023-03-15" });
    expect(parseImportDate("15/03/2566")).toEqual({ iso: "2023-03-15" });
    expect(parseImportDate("5/1/2567")).toEqual({ iso: "2024-01-05" });
    expect(parseImportDate("29.02.2567")).toEqual({ iso: "2024-02-29" });
    expect(parseImportDate("15 มี.ค. 2566")).toEqual({ iso: "2023-03-15" });
    expect(parseImportDate("1 มกราคม 2570")).toEqual({ iso: "2027-01-01" });
    // A cell typed as 15/03/2566 in Excel is stored as the Gregorian year 2566.
    expect(parseImportDate("2566-03-15")).toEqual({ iso: "2023-03-15" });
  });

  it("refuses a Gregorian year in a day-first date, naming the BE date to write", () => {
    expect(parseImportDate("15/03/2023")).toEqual({
      error: { th: '"15/03/2023" ใช้ปี ค.ศ. — ให้ใช้ปี พ.ศ. เช่น 15/03/2566', en: '"15/03/2023" has a Gregorian year — use the Buddhist-era year, e.g. 15/03/2566' },
    });
  });

  it("refuses impossible dates, two-digit years and text", () => {
    for (const bad of ["31/02/2566", "29/02/2566", "15/13/2566", "15/03/66", "เมื่อวาน", "2023-02-30", "15/03/1500"]) {
      expect(parseImportDate(bad)).toHaveProperty("error");
    }
    expect((parseImportDate("15/03/66") as { error: { en: string } }).error.en).toContain("four-digit Buddhist-era year");
  });
});

describe("validating a row", () => {
  it("builds the public permit of a good row: trimmed names, the address text as permits print it", () => {
    const result = validate({});
    expect(result).toEqual({
      permit: {
        number: "SKJ-HH-2566-00123",
        agencyId: "sukjai",
        agencyName: { th: "เทศบาลเมืองสุขใจ", en: "Sukjai Town Municipality" },
        typeCode: "HH",
        typeName: { th: "ใบอนุญาตประกอบกิจการที่เป็นอันตรายต่อสุขภาพ", en: "Health-hazard business licence" },
        holderName: "นางสาวสุภาพร ใจดี",
        businessName: "ร้านเสริมสวยสุภาพร",
        activity: "กิจการเสริมสวย ตัดผม แต่งผม",
        address: {
          text: "12/3 ซอยรัตนาธิเบศร์ 18 ถนนรัตนาธิเบศร์ ตำบลบางกระสอ อำเภอเมืองนนทบุรี จังหวัดนนทบุรี 11000",
          province: "นนทบุรี",
          district: "เมืองนนทบุรี",
          subdistrict: "บางกระสอ",
          postcode: "11000",
        },
        details: [],
        conditions: [{ th: "แสดงใบอนุญาต", en: "Display the licence" }],
        issuedOn: "2023-03-15",
        validFrom: "2023-03-15",
        validUntil: "2024-03-14",
        status: "valid",
        displayRequired: true,
        source: "import",
      },
    });
  });

  it("reads prefixed address names, fills a missing postcode and accepts Thai and English statuses", () => {
    const result = validate({ จังหวัด: "จ.นนทบุรี", "อำเภอ/เขต": "อำเภอเมือง", "ตำบล/แขวง": "ต.บางกระสอ", รหัสไปรษณีย์: "", สถานะ: "พักใช้", เหตุผล: "ไม่ปรับปรุงสุขลักษณะ" });
    expect(result).toMatchObject({ permit: { address: { district: "เมืองนนทบุรี", subdistrict: "บางกระสอ", postcode: "11000" }, status: "suspended", statusReason: "ไม่ปรับปรุงสุขลักษณะ" } });
    expect(validate({ สถานะ: "Revoked" })).toMatchObject({ permit: { status: "revoked" } });
    expect(validate({ สถานะ: "เพิกถอน" })).toMatchObject({ permit: { status: "revoked" } });
    // "Expired" is not stored: it follows from the date.
    expect(validate({ สถานะ: "หมดอายุ" })).toMatchObject({ permit: { status: "valid" } });
    // A row may name its own type.
    expect(validateRow({ ...good, ประเภท: "fd" }, { ...mapping, ประเภท: "typeCode" }, context)).toMatchObject({ permit: { typeCode: "FD", conditions: [] } });
  });

  it("reports a missing required value in the column it belongs to", () => {
    const errors = errorsOf(validate({ ชื่อผู้ได้รับอนุญาต: " ", เลขที่ใบอนุญาต: "" }));
    expect(errors).toEqual([
      { column: "เลขที่ใบอนุญาต", message: { th: "ไม่ได้กรอกเลขที่ใบอนุญาต", en: "Permit number is missing" } },
      { column: "ชื่อผู้ได้รับอนุญาต", message: { th: "ไม่ได้กรอกชื่อผู้ได้รับอนุญาต", en: "Permit holder is missing" } },
    ]);
  });

  it("reports a bad date and a Gregorian year", () => {
    expect(errorsOf(validate({ วันที่ออก: "31/02/2566" }))).toEqual([
      { column: "วันที่ออก", message: expect.objectContaining({ en: expect.stringContaining('Issued on: "31/02/2566" is not a valid date') }) },
    ]);
    expect(errorsOf(validate({ วันหมดอายุ: "14/03/2024" }))).toEqual([
      { column: "วันหมดอายุ", message: expect.objectContaining({ th: expect.stringContaining("ใช้ปี ค.ศ. — ให้ใช้ปี พ.ศ. เช่น 14/03/2567") }) },
    ]);
  });

  it("reports an expiry date before the issue date, and an issue date in the future", () => {
    expect(errorsOf(validate({ วันหมดอายุ: "14/03/2565" }))).toEqual([
      { column: "วันหมดอายุ", message: { th: "วันหมดอายุอยู่ก่อนวันที่ออกใบอนุญาต", en: "The expiry date is before the issue date" } },
    ]);
    expect(errorsOf(validate({ วันที่ออก: "01/12/2569", วันหมดอายุ: "30/11/2570" }))[0].message.en).toBe("The issue date is in the future");
  });

  it("names an unknown province, district or subdistrict, and a postcode of another place", () => {
    expect(errorsOf(validate({ จังหวัด: "นนทบรี" }))).toEqual([{ column: "จังหวัด", message: { th: 'ไม่พบจังหวัด "นนทบรี"', en: 'Unknown province "นนทบรี"' } }]);
    expect(errorsOf(validate({ "อำเภอ/เขต": "บางรัก" }))).toEqual([
      { column: "อำเภอ/เขต", message: { th: 'ไม่พบอำเภอ/เขต "บางรัก" ในจังหวัดนนทบุรี', en: 'Unknown district "บางรัก" in นนทบุรี' } },
    ]);
    expect(errorsOf(validate({ "ตำบล/แขวง": "บางตลาด" }))[0]).toEqual({
      column: "ตำบล/แขวง",
      message: { th: 'ไม่พบตำบล/แขวง "บางตลาด" ในอำเภอ/เขตเมืองนนทบุรี จังหวัดนนทบุรี', en: 'Unknown subdistrict "บางตลาด" in district เมืองนนทบุรี, นนทบุรี' },
    });
    expect(errorsOf(validate({ รหัสไปรษณีย์: "11120" }))[0].message.en).toBe("Postcode 11120 is not the postcode of บางกระสอ (11000)");
  });

  it("reports an unknown status and an unknown permit type", () => {
    expect(errorsOf(validate({ สถานะ: "ยกเลิกแล้ว" }))).toEqual([
      { column: "สถานะ", message: { th: 'ไม่รู้จักสถานะ "ยกเลิกแล้ว" (ใช้ ใช้ได้/valid, พักใช้/suspended, เพิกถอน/revoked)', en: 'Unknown status "ยกเลิกแล้ว" (use ใช้ได้/valid, พักใช้/suspended, เพิกถอน/revoked)' } },
    ]);
    expect(errorsOf(validate({ สถานะ: "หมดอายุ", วันหมดอายุ: "14/03/2570" }))[0].message.en).toBe("The status says expired but the expiry date has not passed");
    expect(errorsOf(validate({}, { defaultTypeCode: "XX" }))[0]).toEqual({ column: "typeCode", message: { th: 'ไม่มีประเภทใบอนุญาต "XX" ในบริการของหน่วยงาน (มี HH, FD)', en: 'The agency has no permit type "XX" (it has HH, FD)' } });
  });

  it("refuses a number that is not letters, digits and hyphens", () => {
    expect(errorsOf(validate({ เลขที่ใบอนุญาต: "123/2566" }))[0].message.en).toBe('Permit number "123/2566" may hold only letters, digits and hyphens (3–64 characters), e.g. SKJ-HH-2566-00123');
  });

  it("reports every later occurrence of a number already in the file", () => {
    const seenNumbers = new Map<string, number>();
    expect(validate({}, { seenNumbers }, 2)).toHaveProperty("permit");
    expect(validate({ ชื่อผู้ได้รับอนุญาต: "นายอื่น" }, { seenNumbers }, 5)).toEqual({
      errors: [{ column: "เลขที่ใบอนุญาต", message: { th: "เลขที่ใบอนุญาต SKJ-HH-2566-00123 ซ้ำกับแถวที่ 2", en: "Permit number SKJ-HH-2566-00123 duplicates row 2" } }],
    });
    expect(errorsOf(validate({}, { seenNumbers }, 9))[0].message.en).toBe("Permit number SKJ-HH-2566-00123 duplicates row 2");
  });

  it("lists every problem of a row at once", () => {
    const errors = errorsOf(validate({ ชื่อสถานประกอบการ: "", จังหวัด: "ไม่มี", วันที่ออก: "2023", สถานะ: "?" }));
    expect(errors.map((e) => e.column)).toEqual(["ชื่อสถานประกอบการ", "จังหวัด", "วันที่ออก", "สถานะ"]);
  });
});

describe("re-imports and numbering", () => {
  it("gives the same content key to the same permit however its optional parts are spelt", () => {
    const { permit } = validate({}) as { permit: Parameters<typeof importedContentKey>[0] };
    expect(importedContentKey({ ...permit, statusReason: undefined })).toBe(importedContentKey(permit));
    expect(importedContentKey({ ...permit, holderName: "นายอื่น" })).not.toBe(importedContentKey(permit));
  });

  it("reads the Borikan sequence out of a number in the type's format", () => {
    const format = "{agency}-{type}-{yearBE}-{seq:5}";
    expect(sequenceOfNumber("SKJ-HH-2566-00123", format, { agency: "SKJ", type: "HH" })).toEqual({ yearBE: 2566, seq: 123 });
    expect(sequenceOfNumber("SKJ-FD-2566-00123", format, { agency: "SKJ", type: "HH" })).toBeNull();
    expect(sequenceOfNumber("OLD-123", format, { agency: "SKJ", type: "HH" })).toBeNull();
    expect(sequenceOfNumber("45/2566", "{seq}/{yearBE}", { agency: "SKJ", type: "HH" })).toEqual({ yearBE: 2566, seq: 45 });
  });
});
