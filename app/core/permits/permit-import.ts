/**
 * Importing paper-era permits (s.13: the public registry also lists permits granted before Borikan).
 * Pure: the caller reads the file, supplies the agency, its permit types, the address book and today's date,
 * and writes what comes back. Every message exists in Thai and English.
 */
import { parseIsoDate, toBuddhistYear, toGregorianYear, toIsoDate } from "~/core/thai/buddhist-date";
import type { ThaiAddressBook } from "~/core/thai/address";
import type { LocalizedText } from "~/core/text";
import { formatAddress, PERMIT_NUMBER_PATTERN, STATUS_LABELS } from "./permit-rules";
import type { PermitStatus, PublicPermit, StoredPermit } from "./types";

export const TARGET_FIELDS = [
  "number",
  "holderName",
  "businessName",
  "activity",
  "addressLine",
  "subdistrict",
  "district",
  "province",
  "postcode",
  "issuedOn",
  "validUntil",
  "status",
  "statusReason",
  "typeCode",
] as const;
export type TargetField = (typeof TARGET_FIELDS)[number];

export const REQUIRED_TARGETS: readonly TargetField[] = ["number", "holderName", "businessName", "province", "issuedOn", "validUntil"];

export const TARGET_LABELS: Record<TargetField, LocalizedText> = {
  number: { th: "เลขที่ใบอนุญาต", en: "Permit number" },
  holderName: { th: "ชื่อผู้ได้รับอนุญาต", en: "Permit holder" },
  businessName: { th: "ชื่อสถานประกอบการ", en: "Business name" },
  activity: { th: "ประเภทกิจการ", en: "Business activity" },
  addressLine: { th: "ที่ตั้ง (เลขที่ หมู่ ซอย ถนน)", en: "Address (no., moo, soi, road)" },
  subdistrict: { th: "ตำบล/แขวง", en: "Subdistrict" },
  district: { th: "อำเภอ/เขต", en: "District" },
  province: { th: "จังหวัด", en: "Province" },
  postcode: { th: "รหัสไปรษณีย์", en: "Postcode" },
  issuedOn: { th: "วันที่ออกใบอนุญาต", en: "Issued on" },
  validUntil: { th: "วันหมดอายุ", en: "Valid until" },
  status: { th: "สถานะ", en: "Status" },
  statusReason: { th: "เหตุผลของสถานะ", en: "Status reason" },
  typeCode: { th: "ประเภทใบอนุญาต (รหัส)", en: "Permit type (code)" },
};

/** Column header in the file → the permit field it fills (null: not imported). */
export type ColumnMapping = Record<string, TargetField | null>;

export type MappingError = { field: TargetField; message: LocalizedText };

export type RowError = { column: string; message: LocalizedText };
export type RowResult = { permit: PublicPermit } | { errors: RowError[] };

/** What the import needs to know about a permit type (from the agency's service manifests). */
export type ImportPermitType = { typeName: LocalizedText; displayRequired: boolean; conditions: LocalizedText[] };

export type ImportContext = {
  agency: { _id: string; name: LocalizedText };
  /** Permit types of the agency by code (HH, FD, …). */
  permitTypes: Record<string, ImportPermitType>;
  /** The type of every row whose type column is absent or empty. */
  defaultTypeCode?: string;
  addressBook: Pick<ThaiAddressBook, "provinces" | "districts" | "subdistricts">;
  /** ISO date (Bangkok): a permit cannot have been issued after it. */
  today: string;
  /** Numbers already seen in this file → their row; pass one Map for the whole file to catch duplicates. */
  seenNumbers?: Map<string, number>;
};

// ---------------------------------------------------------------------------------------------------------
// Mapping suggestions

/** Lower case, no spaces or punctuation: "Permit No." and "permit_no" both become "permitno". */
export function normalizeHeader(header: string): string {
  return header
    .normalize("NFC")
    .toLowerCase()
    .replace(/[\s._\-/\\()[\]{}:;,#*"'`’“”]+/g, "");
}

/** Header names seen in agencies' registers, Thai and English (matched after normalizeHeader). */
const SYNONYMS: Record<TargetField, string[]> = {
  number: [
    "เลขที่ใบอนุญาต", "เลขใบอนุญาต", "ใบอนุญาตเลขที่", "เลขที่", "เลขทะเบียนใบอนุญาต", "ทะเบียนเลขที่",
    "permit no", "permit number", "permit #", "licence no", "license no", "licence number", "license number", "number", "no",
  ],
  holderName: [
    "ชื่อผู้ได้รับอนุญาต", "ผู้ได้รับอนุญาต", "ชื่อผู้ได้รับใบอนุญาต", "ผู้ได้รับใบอนุญาต", "ชื่อผู้ขออนุญาต", "ผู้ขออนุญาต",
    "ชื่อผู้ประกอบการ", "ผู้ประกอบการ", "ชื่อผู้ประกอบกิจการ", "ผู้ประกอบกิจการ", "ชื่อ-สกุล", "ชื่อ-นามสกุล", "ชื่อเจ้าของ",
    "holder", "holder name", "permit holder", "licensee", "licence holder", "license holder", "name of holder", "owner",
  ],
  businessName: [
    "ชื่อสถานประกอบการ", "ชื่อสถานประกอบกิจการ", "สถานประกอบการ", "สถานประกอบกิจการ", "ชื่อร้าน", "ชื่อกิจการ", "ชื่อการค้า",
    "ชื่อสถานที่", "business name", "business", "shop name", "shop", "premises name", "premises", "trade name", "establishment",
  ],
  activity: [
    "ประเภทกิจการ", "ลักษณะกิจการ", "กิจการ", "ประเภทการค้า", "ประเภทสถานประกอบการ", "ประเภทสถานที่",
    "activity", "business activity", "business type", "type of business",
  ],
  addressLine: [
    "ที่อยู่", "ที่ตั้ง", "บ้านเลขที่", "ที่ตั้งสถานประกอบการ", "ที่อยู่สถานประกอบการ", "ที่ตั้งสถานประกอบกิจการ",
    "ที่ตั้งเลขที่หมู่ซอยถนน", "เลขที่หมู่ซอยถนน", "address", "address line", "addressline", "street address", "location",
  ],
  subdistrict: ["ตำบล", "แขวง", "ตำบล/แขวง", "แขวง/ตำบล", "subdistrict", "sub-district", "tambon", "khwaeng"],
  district: ["อำเภอ", "เขต", "อำเภอ/เขต", "เขต/อำเภอ", "district", "amphoe", "khet"],
  province: ["จังหวัด", "province", "changwat"],
  postcode: ["รหัสไปรษณีย์", "ไปรษณีย์", "postcode", "postal code", "post code", "zip", "zip code"],
  issuedOn: [
    "วันที่ออก", "วันที่ออกใบอนุญาต", "วันออกใบอนุญาต", "ออกให้เมื่อ", "ออกให้ ณ วันที่", "วันที่อนุญาต", "วันอนุญาต",
    "issued", "issued on", "issuedon", "issue date", "date issued", "date of issue", "issuing date",
  ],
  validUntil: [
    "วันหมดอายุ", "วันที่หมดอายุ", "หมดอายุ", "ใช้ได้ถึง", "ใช้ได้ถึงวันที่", "สิ้นอายุ", "วันสิ้นอายุ", "วันที่สิ้นอายุ",
    "valid until", "validuntil", "expiry", "expiry date", "expires", "expiration date", "valid to", "valid thru",
  ],
  status: ["สถานะ", "สถานะใบอนุญาต", "status", "permit status"],
  statusReason: [
    "เหตุผล", "เหตุผลของสถานะ", "เหตุผลการพักใช้/เพิกถอน", "สาเหตุ", "หมายเหตุสถานะ",
    "status reason", "statusreason", "reason",
  ],
  typeCode: ["ประเภทใบอนุญาต", "รหัสประเภท", "รหัสประเภทใบอนุญาต", "type", "type code", "typecode", "permit type"],
};

const NORMALIZED_SYNONYMS: [TargetField, string][] = TARGET_FIELDS.flatMap((field) =>
  [field, ...SYNONYMS[field]].map((s): [TargetField, string] => [field, normalizeHeader(s)]),
);

/**
 * The likely field of each header. An exact (normalised) name wins over a header that merely contains a
 * known name ("เลขที่ใบอนุญาต (เล่ม/ปี)"); each field goes to one header only, the best match first.
 */
export function suggestMapping(headers: string[]): ColumnMapping {
  const candidates: { header: string; field: TargetField; score: number; order: number }[] = [];
  headers.forEach((header, order) => {
    const h = normalizeHeader(header);
    if (!h) return;
    let best: { field: TargetField; score: number } | null = null;
    for (const [field, synonym] of NORMALIZED_SYNONYMS) {
      // Containment only for names long enough not to match by accident ("no" is in "phone").
      const score = h === synonym ? 1000 + synonym.length : synonym.length >= 5 && h.includes(synonym) ? synonym.length : 0;
      if (score > (best?.score ?? 0)) best = { field, score };
    }
    if (best) candidates.push({ header, ...best, order });
  });
  const mapping: ColumnMapping = Object.fromEntries(headers.map((h) => [h, null]));
  const taken = new Set<TargetField>();
  for (const c of [...candidates].sort((a, b) => b.score - a.score || a.order - b.order)) {
    if (taken.has(c.field)) continue;
    taken.add(c.field);
    mapping[c.header] = c.field;
  }
  return mapping;
}

/** Required fields that no column fills, and fields that two columns fill. */
export function validateMapping(mapping: ColumnMapping, options: { defaultTypeCode?: string } = {}): MappingError[] {
  const errors: MappingError[] = [];
  const columnsOf = new Map<TargetField, string[]>();
  for (const [header, field] of Object.entries(mapping)) {
    if (!field) continue;
    columnsOf.set(field, [...(columnsOf.get(field) ?? []), header]);
  }
  for (const field of TARGET_FIELDS) {
    const columns = columnsOf.get(field) ?? [];
    const label = TARGET_LABELS[field];
    const required = REQUIRED_TARGETS.includes(field) || (field === "typeCode" && !options.defaultTypeCode);
    if (columns.length === 0 && required) {
      errors.push({
        field,
        message:
          field === "typeCode"
            ? { th: "ต้องเลือกประเภทใบอนุญาตของทั้งไฟล์ หรือเลือกคอลัมน์ที่ระบุประเภท", en: "Choose a permit type for the whole file or a column that gives the type" }
            : { th: `ยังไม่ได้เลือกคอลัมน์สำหรับ "${label.th}" (จำเป็น)`, en: `No column is chosen for "${label.en}" (required)` },
      });
    } else if (columns.length > 1) {
      const list = columns.map((c) => `"${c}"`).join(", ");
      errors.push({
        field,
        message: { th: `"${label.th}" ถูกเลือกให้หลายคอลัมน์: ${list} — เลือกได้คอลัมน์เดียว`, en: `"${label.en}" is chosen for several columns: ${list} — choose one` },
      });
    }
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------------------
// Values

const THAI_MONTHS = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"];
const THAI_MONTHS_SHORT = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."];
const monthOfThaiName = new Map<string, number>([
  ...THAI_MONTHS.map((m, i): [string, number] => [m, i + 1]),
  ...THAI_MONTHS_SHORT.flatMap((m, i): [string, number][] => [[m, i + 1], [m.replace(/\./g, ""), i + 1]]),
]);

/** Years people write for Buddhist-era dates of permits; Gregorian years of the same period are refused. */
const isBuddhistYear = (y: number) => y >= 2400 && y <= 2700;
const isGregorianYear = (y: number) => y >= 1857 && y < 2400;

export type ParsedDate = { iso: string } | { error: LocalizedText };

/**
 * A date as registers hold it: ISO yyyy-mm-dd (what the reader gives for a spreadsheet date cell), Thai
 * short BE dd/mm/yyyy (also with - or .), or "15 มี.ค. 2566". A Gregorian year in a day-first date is refused
 * with the BE form to write instead, because 15/03/2023 and 15/03/2566 cannot both be meant.
 */
export function parseImportDate(raw: string): ParsedDate {
  const text = raw.trim().replace(/\s+/g, " ");
  const bad: LocalizedText = {
    th: `"${text}" ไม่ใช่วันที่ที่ถูกต้อง ใช้รูปแบบ วว/ดด/ปปปป (พ.ศ.) เช่น 15/03/2566`,
    en: `"${text}" is not a valid date: use dd/mm/yyyy with the Buddhist-era year, e.g. 15/03/2566`,
  };
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (iso) {
    const year = Number(iso[1]);
    // A spreadsheet cell typed as 15/03/2566 is stored as the Gregorian year 2566: read it as BE.
    const gregorian = isBuddhistYear(year) ? toGregorianYear(year) : year;
    const parts = parseIsoDate(`${String(gregorian).padStart(4, "0")}-${iso[2]}-${iso[3]}`);
    return parts && isGregorianYear(parts.year) ? { iso: toIsoDate(parts) } : { error: bad };
  }
  const numeric = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})$/.exec(text);
  const named = /^(\d{1,2}) ?([ก-๙.]+) ?(\d{4})$/.exec(text);
  let day: number, month: number, year: number;
  if (numeric) {
    [day, month, year] = numeric.slice(1).map(Number);
    if (numeric[3].length !== 4) {
      return {
        error: {
          th: `"${text}" ต้องเขียนปี พ.ศ. ให้ครบ 4 หลัก เช่น 15/03/2566`,
          en: `"${text}": write the full four-digit Buddhist-era year, e.g. 15/03/2566`,
        },
      };
    }
  } else if (named && monthOfThaiName.has(named[2])) {
    day = Number(named[1]);
    month = monthOfThaiName.get(named[2])!;
    year = Number(named[3]);
  } else {
    return { error: bad };
  }
  if (isGregorianYear(year)) {
    const be = `${String(day).padStart(2, "0")}/${String(month).padStart(2, "0")}/${toBuddhistYear(year)}`;
    return {
      error: {
        th: `"${text}" ใช้ปี ค.ศ. — ให้ใช้ปี พ.ศ. เช่น ${be}`,
        en: `"${text}" has a Gregorian year — use the Buddhist-era year, e.g. ${be}`,
      },
    };
  }
  if (!isBuddhistYear(year)) return { error: bad };
  const parts = parseIsoDate(toIsoDate({ year: toGregorianYear(year), month, day }));
  return parts ? { iso: toIsoDate(parts) } : { error: bad };
}

const STATUS_WORDS: Record<string, PermitStatus | "expired"> = {
  valid: "valid",
  active: "valid",
  ใช้ได้: "valid",
  ใช้งาน: "valid",
  ปกติ: "valid",
  suspended: "suspended",
  พักใช้: "suspended",
  พักใช้ใบอนุญาต: "suspended",
  revoked: "revoked",
  เพิกถอน: "revoked",
  เพิกถอนใบอนุญาต: "revoked",
  expired: "expired",
  หมดอายุ: "expired",
};

/** "ใช้ได้", "Valid", "suspended", … → the stored status; null when the word is not a status. */
export function parseImportStatus(raw: string): PermitStatus | "expired" | null {
  const key = raw.trim().toLowerCase().replace(/\s+/g, "");
  if (!key) return "valid";
  return STATUS_WORDS[key] ?? null;
}

const clean = (value: string | undefined) => (value ?? "").normalize("NFC").replace(/\s+/g, " ").trim();

const stripPrefix = (value: string, prefixes: RegExp) => value.replace(prefixes, "").trim();

/** "จ.นนทบุรี", "จังหวัดนนทบุรี", "กทม." → the address book's province name. */
function normalizeProvince(value: string): string {
  const v = stripPrefix(value, /^(จังหวัด|จ\.)\s*/);
  return /^(กรุงเทพ(ฯ|มหานคร)?|กทม\.?)$/.test(v) ? "กรุงเทพมหานคร" : v;
}
const normalizeDistrict = (value: string) => stripPrefix(value, /^(กิ่งอำเภอ|อำเภอ|อ\.|เขต|ข\.)\s*/);
const normalizeSubdistrict = (value: string) => stripPrefix(value, /^(ตำบล|ต\.|แขวง)\s*/);

// ---------------------------------------------------------------------------------------------------------
// Rows

/**
 * One row → the permit to store, or every problem with it (each naming its column). `rowNumber` (the row
 * as the spreadsheet shows it) is needed only with `context.seenNumbers`, to name the row a number repeats.
 */
export function validateRow(row: Record<string, string>, mapping: ColumnMapping, context: ImportContext, rowNumber = 0): RowResult {
  const columnOf: Partial<Record<TargetField, string>> = {};
  for (const [header, field] of Object.entries(mapping)) if (field && !columnOf[field]) columnOf[field] = header;
  const value = (field: TargetField) => (columnOf[field] !== undefined ? clean(row[columnOf[field]!]) : "");
  const column = (field: TargetField) => columnOf[field] ?? field;
  const errors: RowError[] = [];
  const fail = (field: TargetField, message: LocalizedText) => errors.push({ column: column(field), message });
  const required = (field: TargetField): string => {
    const v = value(field);
    if (!v) fail(field, { th: `ไม่ได้กรอก${TARGET_LABELS[field].th}`, en: `${TARGET_LABELS[field].en} is missing` });
    return v;
  };
  const tooLong = (field: TargetField, v: string, max: number) => {
    if (v.length > max) fail(field, { th: `${TARGET_LABELS[field].th}ยาวเกิน ${max} ตัวอักษร`, en: `${TARGET_LABELS[field].en} is longer than ${max} characters` });
  };

  // Number: unique in the registry, so also unique in the file.
  const number = required("number");
  if (number && !PERMIT_NUMBER_PATTERN.test(number)) {
    fail("number", {
      th: `เลขที่ใบอนุญาต "${number}" ใช้ได้เฉพาะตัวอักษรอังกฤษ ตัวเลข และขีด (-) ยาว 3–64 ตัว เช่น SKJ-HH-2566-00123`,
      en: `Permit number "${number}" may hold only letters, digits and hyphens (3–64 characters), e.g. SKJ-HH-2566-00123`,
    });
  } else if (number && context.seenNumbers) {
    const first = context.seenNumbers.get(number);
    if (first !== undefined && first !== rowNumber) {
      fail("number", { th: `เลขที่ใบอนุญาต ${number} ซ้ำกับแถวที่ ${first}`, en: `Permit number ${number} duplicates row ${first}` });
    } else if (first === undefined) {
      context.seenNumbers.set(number, rowNumber);
    }
  }

  const holderName = required("holderName");
  tooLong("holderName", holderName, 200);
  const businessName = required("businessName");
  tooLong("businessName", businessName, 200);
  const activity = value("activity");
  tooLong("activity", activity, 200);

  // Permit type: from the row, else the one chosen for the file.
  const typeCode = (value("typeCode") || context.defaultTypeCode || "").toUpperCase();
  const type = typeCode ? context.permitTypes[typeCode] : undefined;
  const codes = Object.keys(context.permitTypes).join(", ") || "—";
  if (!typeCode) {
    fail("typeCode", { th: `ไม่ได้ระบุประเภทใบอนุญาต (${codes})`, en: `The permit type is missing (${codes})` });
  } else if (!type) {
    fail("typeCode", {
      th: `ไม่มีประเภทใบอนุญาต "${typeCode}" ในบริการของหน่วยงาน (มี ${codes})`,
      en: `The agency has no permit type "${typeCode}" (it has ${codes})`,
    });
  }

  // Address: names must exist in the address book, each under its parent.
  const book = context.addressBook;
  const provinceRaw = required("province");
  const province = provinceRaw ? normalizeProvince(provinceRaw) : "";
  let district = value("district") ? normalizeDistrict(value("district")) : "";
  const subdistrict = value("subdistrict") ? normalizeSubdistrict(value("subdistrict")) : "";
  let postcode = value("postcode").replace(/\s/g, "");
  let addressOk = Boolean(province);
  if (province && !book.provinces().includes(province)) {
    addressOk = false;
    fail("province", { th: `ไม่พบจังหวัด "${provinceRaw}"`, en: `Unknown province "${provinceRaw}"` });
  }
  if (addressOk && district) {
    const districts = book.districts(province);
    // Registers often write just "เมือง" for the province's capital district.
    if (!districts.includes(district) && districts.includes(`เมือง${province}`) && district === "เมือง") district = `เมือง${province}`;
    if (!districts.includes(district)) {
      addressOk = false;
      fail("district", { th: `ไม่พบอำเภอ/เขต "${value("district")}" ในจังหวัด${province}`, en: `Unknown district "${value("district")}" in ${province}` });
    }
  }
  if (addressOk && subdistrict) {
    if (!district) {
      // Without a district, a subdistrict name that occurs once in the province is enough.
      const holders = book.districts(province).filter((d) => book.subdistricts(province, d).some((s) => s.name === subdistrict));
      if (holders.length === 1) district = holders[0];
      else if (holders.length > 1) {
        addressOk = false;
        fail("district", {
          th: `ตำบล/แขวง "${subdistrict}" มีในหลายอำเภอของจังหวัด${province} (${holders.join(", ")}) — ต้องระบุอำเภอ/เขต`,
          en: `Subdistrict "${subdistrict}" exists in several districts of ${province} (${holders.join(", ")}) — give the district`,
        });
      }
    }
    const entry = district ? book.subdistricts(province, district).find((s) => s.name === subdistrict) : undefined;
    if (addressOk && !entry) {
      addressOk = false;
      fail("subdistrict", {
        th: `ไม่พบตำบล/แขวง "${value("subdistrict")}"${district ? ` ในอำเภอ/เขต${district}` : ""} จังหวัด${province}`,
        en: `Unknown subdistrict "${value("subdistrict")}"${district ? ` in district ${district}` : ""}, ${province}`,
      });
    }
    if (entry && !postcode && entry.postcodes.length === 1) postcode = entry.postcodes[0];
    if (entry && postcode && !entry.postcodes.includes(postcode)) {
      fail("postcode", {
        th: `รหัสไปรษณีย์ ${postcode} ไม่ใช่ของตำบล/แขวง${subdistrict} (${entry.postcodes.join(", ")})`,
        en: `Postcode ${postcode} is not the postcode of ${subdistrict} (${entry.postcodes.join(", ")})`,
      });
    }
  }
  if (postcode && !/^[1-9]\d{4}$/.test(postcode)) {
    fail("postcode", { th: `รหัสไปรษณีย์ "${postcode}" ต้องเป็นตัวเลข 5 หลัก`, en: `Postcode "${postcode}" must be 5 digits` });
  }
  const addressLine = value("addressLine");
  tooLong("addressLine", addressLine, 300);

  // Dates.
  const date = (field: "issuedOn" | "validUntil"): string => {
    const raw = required(field);
    if (!raw) return "";
    const parsed = parseImportDate(raw);
    if ("error" in parsed) {
      fail(field, { th: `${TARGET_LABELS[field].th}: ${parsed.error.th}`, en: `${TARGET_LABELS[field].en}: ${parsed.error.en}` });
      return "";
    }
    return parsed.iso;
  };
  const issuedOn = date("issuedOn");
  const validUntil = date("validUntil");
  if (issuedOn && issuedOn > context.today) {
    fail("issuedOn", { th: "วันที่ออกใบอนุญาตเป็นวันในอนาคต", en: "The issue date is in the future" });
  }
  if (issuedOn && validUntil && validUntil < issuedOn) {
    fail("validUntil", { th: "วันหมดอายุอยู่ก่อนวันที่ออกใบอนุญาต", en: "The expiry date is before the issue date" });
  }

  // Status: what the register says; "expired" is not stored, it follows from the date.
  const statusRaw = value("status");
  let status: PermitStatus = "valid";
  const parsedStatus = parseImportStatus(statusRaw);
  if (parsedStatus === null) {
    const allowed = (["valid", "suspended", "revoked"] as const).map((s) => `${STATUS_LABELS[s].th}/${s}`).join(", ");
    fail("status", { th: `ไม่รู้จักสถานะ "${statusRaw}" (ใช้ ${allowed})`, en: `Unknown status "${statusRaw}" (use ${allowed})` });
  } else if (parsedStatus === "expired") {
    if (validUntil && validUntil >= context.today) {
      fail("status", { th: "สถานะเป็นหมดอายุ แต่วันหมดอายุยังไม่ถึง", en: "The status says expired but the expiry date has not passed" });
    }
  } else {
    status = parsedStatus;
  }
  const statusReason = value("statusReason");
  tooLong("statusReason", statusReason, 500);

  if (errors.length > 0 || !type) return { errors };
  const address = formatAddress({ line: addressLine, province, district, subdistrict, postcode });
  return {
    permit: {
      number,
      agencyId: context.agency._id,
      agencyName: context.agency.name,
      typeCode,
      typeName: type.typeName,
      holderName,
      businessName,
      activity,
      address,
      details: [],
      conditions: type.conditions,
      issuedOn,
      validFrom: issuedOn,
      validUntil,
      status,
      ...(statusReason ? { statusReason } : {}),
      displayRequired: type.displayRequired,
      source: "import",
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Re-imports

/**
 * Everything an import sets, in a fixed order: two permits with the same key need no write. Stored documents
 * come back with absent optional fields and mongoose sub-documents, so every part is rebuilt from scratch.
 */
export function importedContentKey(p: PublicPermit | StoredPermit): string {
  const text = (t: LocalizedText | undefined) => [t?.th ?? "", t?.en ?? ""];
  return JSON.stringify([
    p.number, p.agencyId, text(p.agencyName), p.typeCode, text(p.typeName), p.holderName, p.businessName, p.activity ?? "",
    [p.address?.text ?? "", p.address?.province ?? "", p.address?.district ?? "", p.address?.subdistrict ?? "", p.address?.postcode ?? ""],
    (p.details ?? []).map((d) => [d.key, text(d.label), d.value]),
    (p.conditions ?? []).map(text),
    p.issuedOn, p.validFrom, p.validUntil, p.status, p.statusReason ?? "", p.displayRequired ?? false, p.source,
  ]);
}

/**
 * The Borikan sequence a number would come from, when it follows the type's number format: an imported
 * "SKJ-HH-2569-00042" must make Borikan's next HH permit of 2569 start at 00043, or the two would collide.
 */
export function sequenceOfNumber(number: string, numberFormat: string, parts: { agency: string; type: string }): { yearBE: number; seq: number } | null {
  let pattern = "";
  const groups: ("yearBE" | "seq")[] = [];
  for (const piece of numberFormat.split(/(\{(?:agency|type|yearBE|seq)(?::\d)?\})/)) {
    const m = /^\{(agency|type|yearBE|seq)(?::\d)?\}$/.exec(piece);
    if (!m) pattern += piece.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    else if (m[1] === "agency") pattern += parts.agency.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    else if (m[1] === "type") pattern += parts.type.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    else {
      groups.push(m[1] as "yearBE" | "seq");
      pattern += m[1] === "yearBE" ? "(\\d{4})" : "(\\d{1,9})";
    }
  }
  if (!groups.includes("yearBE") || !groups.includes("seq")) return null;
  const match = new RegExp(`^${pattern}$`).exec(number);
  if (!match) return null;
  const yearBE = Number(match[groups.indexOf("yearBE") + 1]);
  const seq = Number(match[groups.indexOf("seq") + 1]);
  return seq > 0 ? { yearBE, seq } : null;
}

// ---------------------------------------------------------------------------------------------------------
// The mapping form: one choice of column per field

/** field → column, as the mapping form shows it (the inverse of a ColumnMapping). */
export function columnsByField(mapping: ColumnMapping): Partial<Record<TargetField, string>> {
  const out: Partial<Record<TargetField, string>> = {};
  for (const [header, field] of Object.entries(mapping)) if (field && !out[field]) out[field] = header;
  return out;
}

/**
 * The form's choices (a column per field, "" for none) as a ColumnMapping; a column chosen for two fields
 * is an error, since each column fills one field.
 */
export function mappingFromChoices(headers: string[], choices: Partial<Record<TargetField, string>>): { mapping: ColumnMapping; errors: LocalizedText[] } {
  const mapping: ColumnMapping = Object.fromEntries(headers.map((h) => [h, null]));
  const errors: LocalizedText[] = [];
  for (const field of TARGET_FIELDS) {
    const header = choices[field];
    if (!header) continue;
    if (!headers.includes(header)) {
      errors.push({ th: `ไม่มีคอลัมน์ "${header}" ในไฟล์`, en: `The file has no column "${header}"` });
    } else if (mapping[header]) {
      const other = TARGET_LABELS[mapping[header]!];
      errors.push({
        th: `คอลัมน์ "${header}" ถูกเลือกทั้งสำหรับ "${other.th}" และ "${TARGET_LABELS[field].th}" — คอลัมน์หนึ่งใช้ได้กับช่องเดียว`,
        en: `Column "${header}" is chosen for both "${other.en}" and "${TARGET_LABELS[field].en}" — a column fills one field`,
      });
    } else {
      mapping[header] = field;
    }
  }
  return { mapping, errors };
}
