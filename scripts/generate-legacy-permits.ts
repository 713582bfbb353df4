// Writes the demo paper-era permit registers under seed/legacy-permits/ (committed; the demo seed imports them):
//   sukjai-health-hazard.csv  — เทศบาลเมืองสุขใจ, health-hazard licences (HH), นนทบุรี, ~300 rows, UTF-8 CSV
//   thungthong-food.xlsx      — อบต.ทุ่งทอง, food premises licences (FD), นครราชสีมา, ~60 rows, Excel date cells
// Deterministic: a seeded generator and a fixed reference date, so a re-run gives the same files.
// Run: npx tsx scripts/generate-legacy-permits.ts
process.env.TZ = "UTC"; // zip entry times are written in local time: fix the zone so the XLSX bytes repeat

import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { stringify } from "csv-stringify/sync";
import ExcelJS from "exceljs";
import { validUntilFor } from "~/core/permits/permit-rules";
import { loadThaiAddressBook, type ThaiAddressBook } from "~/core/thai/address";
import { formatBuddhistDateShort, parseIsoDate, toBuddhistYear, toIsoDate } from "~/core/thai/buddhist-date";
import { seededRandom } from "./seeded-random";

const OUT_DIR = path.join(process.cwd(), "seed/legacy-permits");
/** The registers were "exported" on this day; no permit is issued after it. */
const REFERENCE_DATE = "2026-11-20";
const FIRST_DATE = "2020-01-06"; // 6 มกราคม 2563

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)];
const int = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1));

const MALE = ["สมชาย", "สมศักดิ์", "วิชัย", "ประเสริฐ", "สุรชัย", "อนุชา", "ธนากร", "กิตติพงษ์", "ณัฐพล", "ชัยวัฒน์", "บุญเลิศ", "สมบัติ", "ปรีชา", "วีระ", "อำนาจ", "เกียรติศักดิ์", "พงศกร", "ธีรวัฒน์", "สุเมธ", "มานพ"];
const FEMALE = ["สมหญิง", "สุภาพร", "วันเพ็ญ", "กาญจนา", "นงลักษณ์", "ปราณี", "รัตนา", "อรุณี", "จันทร์เพ็ญ", "ศิริพร", "พิมพ์ชนก", "ณัฐธิดา", "สุนันทา", "วิไลวรรณ", "ดวงใจ", "อัญชลี", "ประภาพร", "กนกวรรณ", "เพ็ญศรี", "ลำดวน"];
const SURNAMES = ["ใจดี", "แสงทอง", "ศรีสุข", "บุญมา", "ทองคำ", "รุ่งเรือง", "สุขสวัสดิ์", "พึ่งบุญ", "แก้วมณี", "วงศ์สวัสดิ์", "เจริญผล", "มั่นคง", "ชัยมงคล", "ศรีวงศ์", "พรหมมา", "นาคสุข", "อินทร์แก้ว", "ปานทอง", "จันทร์หอม", "สายบัว", "เพชรรัตน์", "กลิ่นจันทร์", "ทรัพย์สมบูรณ์", "ภู่ระหงษ์", "บัวขาว"];
const COMPANY_WORDS = ["สุขใจพัฒนา", "นนทรีการค้า", "รุ่งเรืองกิจ", "เจริญทรัพย์ 2559", "ไทยวัฒนา", "ศรีนนท์ฟู้ด", "บางกระสอเซอร์วิส", "พรีเมียร์วอเตอร์", "เอส.เค. มอเตอร์", "สยามบิวตี้", "ทองดีเทรดดิ้ง", "ริเวอร์ไซด์"];
const SHOP_WORDS = ["สุขใจ", "ทองดี", "รุ่งอรุณ", "ศรีนนท์", "เจริญ", "บ้านสวน", "ริมน้ำ", "มณี", "ใบเตย", "ชบา", "นนทรี", "พลอย", "ดาว", "ทวีทรัพย์", "ท่าน้ำ"];

function personName(rng: Rng): string {
  const female = rng() < 0.55;
  const title = female ? (rng() < 0.55 ? "นาง" : "นางสาว") : "นาย";
  return `${title}${pick(rng, female ? FEMALE : MALE)} ${pick(rng, SURNAMES)}`;
}

function holderName(rng: Rng, companyShare: number): string {
  if (rng() >= companyShare) return personName(rng);
  const word = pick(rng, COMPANY_WORDS);
  return rng() < 0.6 ? `บริษัท ${word} จำกัด` : `ห้างหุ้นส่วนจำกัด ${word}`;
}

/** Health-hazard activities (ประกาศกระทรวงสาธารณสุข) with the shop names each kind of business goes by. */
const HH_ACTIVITIES: { activity: string; names: ((w: string) => string)[] }[] = [
  { activity: "กิจการเสริมสวย ตัดผม แต่งผม", names: [(w) => `ร้านเสริมสวย${w}`, (w) => `${w} บิวตี้ซาลอน`, (w) => `ร้านตัดผม${w}`, (w) => `${w} แฮร์สตูดิโอ`] },
  { activity: "การผลิตน้ำดื่ม", names: [(w) => `น้ำดื่ม${w}`, (w) => `โรงน้ำดื่ม${w}`] },
  { activity: "การผลิตน้ำแข็ง", names: [(w) => `โรงน้ำแข็ง${w}`] },
  { activity: "การซ่อมเครื่องยนต์", names: [(w) => `อู่${w}การช่าง`, (w) => `${w} ออโต้เซอร์วิส`, (w) => `อู่ซ่อมรถ${w}`] },
  { activity: "การเคาะ พ่นสีรถยนต์", names: [(w) => `อู่สี${w}`, (w) => `${w} คาร์เพนท์`] },
  { activity: "การล้าง อัดฉีดรถยนต์", names: [(w) => `คาร์แคร์${w}`, (w) => `ล้างรถ${w}`] },
  { activity: "การประกอบกิจการสปา นวดเพื่อสุขภาพ", names: [(w) => `${w} สปาแอนด์มาสสาจ`, (w) => `นวดแผนไทย${w}`] },
  { activity: "การประกอบกิจการซักรีด", names: [(w) => `ร้านซักรีด${w}`, (w) => `${w} ลอนดรี้`] },
  { activity: "การผลิตขนมปัง ขนมอบ", names: [(w) => `${w} เบเกอรี่`, (w) => `ร้านขนมปัง${w}`] },
  { activity: "การผลิตเส้นก๋วยเตี๋ยว ขนมจีน", names: [(w) => `โรงเส้น${w}`, (w) => `ขนมจีน${w}`] },
  { activity: "การจำหน่ายอาหารสัตว์", names: [(w) => `ร้าน${w}เพ็ทช็อป`, (w) => `${w} อาหารสัตว์`] },
  { activity: "การเก็บ การจำหน่ายก๊าซหุงต้ม", names: [(w) => `ร้านแก๊ส${w}`, (w) => `${w} แก๊สเซอร์วิส`] },
];
const FD_ACTIVITIES: { activity: string; names: ((w: string) => string)[] }[] = [
  { activity: "ร้านอาหาร", names: [(w) => `ครัว${w}`, (w) => `ร้านอาหาร${w}`, (w) => `${w} โภชนา`] },
  { activity: "ร้านก๋วยเตี๋ยว", names: [(w) => `ก๋วยเตี๋ยว${w}`, (w) => `ก๋วยเตี๋ยวเรือ${w}`] },
  { activity: "ร้านอาหารตามสั่ง", names: [(w) => `ตามสั่ง${w}`] },
  { activity: "ภัตตาคาร", names: [(w) => `ภัตตาคาร${w}`] },
  { activity: "ร้านจำหน่ายอาหารสำเร็จรูป (มินิมาร์ท)", names: [(w) => `${w} มินิมาร์ท`, (w) => `ร้านค้า${w}`] },
  { activity: "สถานที่สะสมอาหาร (โกดังสินค้า)", names: [(w) => `โกดัง${w}`, (w) => `${w} ค้าส่ง`] },
];
const KORAT_WORDS = ["ทุ่งทอง", "โคราช", "ย่าโม", "ทองอรุณ", "ด่านเกวียน", "บ้านนา", "ลำตะคอง", "สองพี่น้อง", "แม่บุญ", "เจ๊หมวย", "ลุงเสริม", "ป้าแดง"];

const SUSPEND_REASONS = [
  "ไม่ปฏิบัติตามคำสั่งเจ้าพนักงานสาธารณสุขให้ปรับปรุงสุขลักษณะภายในกำหนด",
  "ระบายน้ำเสียลงทางระบายน้ำสาธารณะ ระหว่างปรับปรุงระบบบำบัดน้ำเสีย",
  "ส่งกลิ่นเหม็นรบกวนผู้อยู่อาศัยใกล้เคียงตามที่มีผู้ร้องเรียน",
];
const REVOKE_REASONS = [
  "ถูกพักใช้ใบอนุญาตตั้งแต่สองครั้งขึ้นไปและมีเหตุต้องพักใช้อีก",
  "ไม่ปฏิบัติตามคำสั่งพักใช้ใบอนุญาต",
];

const NONTHABURI_ROADS = ["ถนนรัตนาธิเบศร์", "ถนนงามวงศ์วาน", "ถนนติวานนท์", "ถนนนนทบุรี 1", "ถนนสนามบินน้ำ", "ถนนประชาราษฎร์", "ถนนพิบูลสงคราม", "ถนนแจ้งวัฒนะ", "ถนนราชพฤกษ์", "ถนนกาญจนาภิเษก", "ถนนบางกรวย-ไทรน้อย"];
const KORAT_ROADS = ["ถนนมิตรภาพ", "ถนนสุรนารายณ์", "ถนนโชคชัย-เดชอุดม", "ถนนสืบศิริ", "ถนนราชสีมา-โชคชัย"];

function addressLine(rng: Rng, roads: string[], rural: boolean): string {
  const house = rng() < 0.3 ? `${int(rng, 1, 199)}/${int(rng, 1, 60)}` : String(int(rng, 1, 999));
  const road = pick(rng, roads);
  if (rural) return `${house} หมู่ ${int(rng, 1, 15)}${rng() < 0.5 ? ` ${road}` : ""}`;
  const soi = rng() < 0.6 ? ` ซอย${road.replace("ถนน", "")} ${int(rng, 1, 60)}` : "";
  return `${house}${soi} ${road}`;
}

type Place = { district: string; subdistrict: string; postcode: string };
function placesOf(book: ThaiAddressBook, province: string, districts: { name: string; weight: number }[]): { place: Place; weight: number }[] {
  return districts.flatMap(({ name, weight }) => {
    const subs = book.subdistricts(province, name);
    if (subs.length === 0) throw new Error(`The address book has no district ${name} in ${province}`);
    return subs.map((s) => ({ place: { district: name, subdistrict: s.name, postcode: s.postcodes[0] }, weight: weight / subs.length }));
  });
}
function pickWeighted<T>(rng: Rng, items: { place: T; weight: number }[]): T {
  let r = rng() * items.reduce((s, i) => s + i.weight, 0);
  for (const item of items) if ((r -= item.weight) <= 0) return item.place;
  return items[items.length - 1].place;
}

function addDays(iso: string, days: number): string {
  const p = parseIsoDate(iso)!;
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day + days));
  return toIsoDate({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
}
const daysBetween = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);
/** Offices issue on working days: a Saturday or Sunday moves to Monday. */
function workingDay(iso: string): string {
  const dow = new Date(`${iso}T00:00:00Z`).getUTCDay();
  return dow === 6 ? addDays(iso, 2) : dow === 0 ? addDays(iso, 1) : iso;
}

type LegacyPermit = {
  issuedOn: string;
  validUntil: string;
  holder: string;
  business: string;
  activity: string;
  line: string;
  place: Place;
  status: "valid" | "suspended" | "revoked";
  reason: string;
  number?: string;
};

/**
 * Businesses, each renewing its one-year permit every year from its first year until it stops, so the
 * register holds long-expired permits, a current one for most running businesses, and a few suspended or
 * revoked ones — like a real register.
 */
function generate(rng: Rng, options: { rows: number; activities: typeof HH_ACTIVITIES; words: string[]; places: { place: Place; weight: number }[]; roads: string[]; rural: boolean; companyShare: number }): LegacyPermit[] {
  const permits: LegacyPermit[] = [];
  const span = daysBetween(FIRST_DATE, REFERENCE_DATE);
  const usedNames = new Set<string>();
  while (permits.length < options.rows) {
    const kind = pick(rng, options.activities);
    let business = "";
    for (let tries = 0; tries < 20 && (!business || usedNames.has(business)); tries++) business = pick(rng, kind.names)(pick(rng, options.words));
    if (usedNames.has(business)) business = `${business} สาขา ${usedNames.size + 1}`;
    usedNames.add(business);
    const holder = holderName(rng, options.companyShare);
    const place = pickWeighted(rng, options.places);
    const line = addressLine(rng, options.roads, options.rural);
    let issuedOn = workingDay(addDays(FIRST_DATE, Math.floor(rng() * span)));
    const renewals = int(rng, 0, 5);
    for (let i = 0; i <= renewals && issuedOn <= REFERENCE_DATE && permits.length < options.rows; i++) {
      permits.push({ issuedOn, validUntil: validUntilFor(issuedOn, 12), holder, business, activity: kind.activity, line, place, status: "valid", reason: "" });
      // Renewed shortly before or after the expiry (late renewals are common on paper).
      issuedOn = workingDay(addDays(issuedOn, 365 + int(rng, -20, 25)));
    }
  }
  permits.sort((a, b) => a.issuedOn.localeCompare(b.issuedOn) || a.business.localeCompare(b.business, "th"));
  // A few sanctions, each on a business's latest permit (a revoked business does not renew).
  const latest = new Map(permits.map((p) => [p.business, p]));
  for (const p of latest.values()) {
    const r = rng();
    if (r < 0.08) p.status = "suspended";
    else if (r < 0.12) p.status = "revoked";
    if (p.status === "suspended") p.reason = pick(rng, SUSPEND_REASONS);
    if (p.status === "revoked") p.reason = pick(rng, REVOKE_REASONS);
  }
  return permits;
}

function number(permits: LegacyPermit[], agencyCode: string, typeCode: string): void {
  const seqs = new Map<number, number>();
  for (const p of permits) {
    const yearBE = toBuddhistYear(parseIsoDate(p.issuedOn)!.year);
    const seq = (seqs.get(yearBE) ?? 0) + 1;
    seqs.set(yearBE, seq);
    p.number = `${agencyCode}-${typeCode}-${yearBE}-${String(seq).padStart(5, "0")}`;
  }
}

const STATUS_TH = { valid: "ใช้ได้", suspended: "พักใช้", revoked: "เพิกถอน" } as const;

async function main() {
  const book = await loadThaiAddressBook();
  mkdirSync(OUT_DIR, { recursive: true });

  // เทศบาลเมืองสุขใจ (นนทบุรี): mostly เมืองนนทบุรี, some premises on the municipality's edges.
  const sukjai = generate(seededRandom(20260101), {
    rows: 300,
    activities: HH_ACTIVITIES,
    words: SHOP_WORDS,
    places: placesOf(book, "นนทบุรี", [{ name: "เมืองนนทบุรี", weight: 8 }, { name: "บางกรวย", weight: 1 }, { name: "ปากเกร็ด", weight: 1 }]),
    roads: NONTHABURI_ROADS,
    rural: false,
    companyShare: 0.15,
  });
  number(sukjai, "SKJ", "HH");
  const csvRows = sukjai.map((p, i) => [
    String(i + 1),
    p.number!,
    p.holder,
    p.business,
    p.activity,
    p.line,
    p.place.subdistrict,
    p.place.district,
    "นนทบุรี",
    p.place.postcode,
    formatBuddhistDateShort(p.issuedOn),
    formatBuddhistDateShort(p.validUntil),
    // Paper registers leave the status blank for most permits in force.
    p.status === "valid" && i % 3 !== 0 ? "" : STATUS_TH[p.status],
    p.reason,
  ]);
  const header = ["ลำดับ", "เลขที่ใบอนุญาต", "ชื่อผู้ได้รับอนุญาต", "ชื่อสถานประกอบการ", "ประเภทกิจการ", "ที่ตั้ง", "ตำบล/แขวง", "อำเภอ/เขต", "จังหวัด", "รหัสไปรษณีย์", "วันที่ออกใบอนุญาต", "วันหมดอายุ", "สถานะ", "เหตุผล"];
  // The BOM lets Excel open the Thai text as UTF-8.
  writeFileSync(path.join(OUT_DIR, "sukjai-health-hazard.csv"), "\uFEFF" + stringify([header, ...csvRows], { record_delimiter: "\r\n" }));

  // อบต.ทุ่งทอง (นครราชสีมา, อำเภอโชคชัย): a smaller register kept in Excel with real date cells.
  const thungthong = generate(seededRandom(20260202), {
    rows: 60,
    activities: FD_ACTIVITIES,
    words: KORAT_WORDS,
    places: placesOf(book, "นครราชสีมา", [{ name: "โชคชัย", weight: 1 }]),
    roads: KORAT_ROADS,
    rural: true,
    companyShare: 0.1,
  });
  number(thungthong, "TTG", "FD");
  const wb = new ExcelJS.Workbook();
  const fixed = new Date(`${REFERENCE_DATE}T03:00:00Z`);
  wb.creator = "อบต.ทุ่งทอง";
  wb.created = fixed;
  wb.modified = fixed;
  const ws = wb.addWorksheet("ทะเบียนใบอนุญาต");
  ws.columns = [
    { header: "เลขที่", key: "number", width: 20 },
    { header: "ผู้ประกอบการ", key: "holder", width: 30 },
    { header: "ชื่อร้าน", key: "business", width: 28 },
    { header: "ประเภทสถานที่", key: "activity", width: 32 },
    { header: "ที่อยู่", key: "line", width: 26 },
    { header: "ตำบล", key: "subdistrict", width: 14 },
    { header: "อำเภอ", key: "district", width: 12 },
    { header: "จังหวัด", key: "province", width: 12 },
    { header: "รหัสไปรษณีย์", key: "postcode", width: 12 },
    { header: "วันที่อนุญาต", key: "issuedOn", width: 14, style: { numFmt: "[$-th-TH,107]d/mm/yyyy;@" } },
    { header: "ใช้ได้ถึง", key: "validUntil", width: 14, style: { numFmt: "[$-th-TH,107]d/mm/yyyy;@" } },
    { header: "สถานะ", key: "status", width: 10 },
    { header: "เหตุผล (กรณีพักใช้/เพิกถอน)", key: "reason", width: 40 },
  ];
  ws.getRow(1).font = { bold: true };
  const utc = (iso: string) => new Date(`${iso}T00:00:00Z`);
  for (const p of thungthong) {
    ws.addRow({
      number: p.number,
      holder: p.holder,
      business: p.business,
      activity: p.activity,
      line: p.line,
      subdistrict: p.place.subdistrict,
      district: p.place.district,
      province: "นครราชสีมา",
      postcode: Number(p.place.postcode), // typed as a number in Excel, as registers often do
      issuedOn: utc(p.issuedOn),
      validUntil: utc(p.validUntil),
      status: STATUS_TH[p.status],
      reason: p.reason,
    });
  }
  // ExcelJS stamps every zip entry with "now": pin the clock while it writes so the bytes repeat.
  const RealDate = Date;
  globalThis.Date = class extends RealDate {
    constructor(...args: unknown[]) {
      super(...((args.length === 0 ? [fixed.getTime()] : args) as [number]));
    }
    static now() {
      return fixed.getTime();
    }
  } as DateConstructor;
  let buffer: ArrayBuffer;
  try {
    buffer = await wb.xlsx.writeBuffer();
  } finally {
    globalThis.Date = RealDate;
  }
  writeFileSync(path.join(OUT_DIR, "thungthong-food.xlsx"), Buffer.from(buffer));

  const expired = (ps: LegacyPermit[]) => ps.filter((p) => p.validUntil < REFERENCE_DATE).length;
  console.log(`sukjai-health-hazard.csv: ${sukjai.length} permits (${expired(sukjai)} expired by ${REFERENCE_DATE})`);
  console.log(`thungthong-food.xlsx: ${thungthong.length} permits (${expired(thungthong)} expired by ${REFERENCE_DATE})`);
}

await main();
