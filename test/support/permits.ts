/**
 * Stored permits for the registry tests and the registry bench. No test-runner imports here, so
 * `tsx bench/registry.ts` can use it as it is.
 *
 * `permitFixture` is one realistic permit (a health-hazard licence of เทศบาลเมืองสุขใจ) to override field by
 * field; `createPermitGenerator` makes any number of varied, deterministic ones (names, businesses,
 * activities, real addresses over the 77 provinces) the way paper-era imports would store them. Signatures
 * are a fixed fake: search never checks them.
 */
import { formatAddress, formatPermitNumber, validUntilFor, yearBEOf } from "~/core/permits/permit-rules";
import type { PermitDetail, PermitStatus, StoredPermit } from "~/core/permits/types";
import type { LocalizedText } from "~/core/text";
import type { ThaiAddressBook } from "~/core/thai/address";
import { toIsoDate } from "~/core/thai/buddhist-date";
import { seededRandom, type SeededRandom } from "../../scripts/seeded-random";

export const FAKE_SIGNATURE = { kid: "test", jws: "x" } as const;

export const PERMIT_TYPES = {
  HH: {
    name: { th: "ใบอนุญาตประกอบกิจการที่เป็นอันตรายต่อสุขภาพ (อภ.2)", en: "Health-hazard business licence (form Or.Por.2)" },
    conditions: [
      { th: "ต้องแสดงใบอนุญาตไว้ในที่เปิดเผยและเห็นได้ง่าย ณ สถานที่ประกอบกิจการ", en: "The licence must be displayed openly and visibly at the premises" },
      { th: "ต้องปฏิบัติตามหลักเกณฑ์ด้านสุขลักษณะตามข้อบัญญัติท้องถิ่นตลอดอายุใบอนุญาต", en: "The hygiene rules of the local ordinance apply throughout the licence's validity" },
    ],
    activities: [
      "การผลิตอาหาร เครื่องดื่ม น้ำดื่ม (กลุ่มที่ 3)",
      "การประกอบกิจการเสริมสวยหรือแต่งผม (กลุ่มที่ 9)",
      "การประกอบกิจการสปา นวดเพื่อสุขภาพ (กลุ่มที่ 9)",
      "การซ่อม เคาะ พ่นสีรถยนต์ (กลุ่มที่ 7)",
      "การประกอบกิจการซักรีด (กลุ่มที่ 9)",
      "การจำหน่ายอาหารสัตว์หรือสัตว์เลี้ยง (กลุ่มที่ 1)",
      "การเก็บ การจำหน่ายน้ำมันเชื้อเพลิงหรือก๊าซ (กลุ่มที่ 10)",
    ],
  },
  FD: {
    name: { th: "ใบอนุญาตจัดตั้งสถานที่จำหน่ายอาหารหรือสถานที่สะสมอาหาร", en: "Licence for a food sale or food storage premises" },
    conditions: [
      { th: "ต้องแสดงใบอนุญาตไว้ในที่เปิดเผยและเห็นได้ง่าย ณ สถานที่ประกอบกิจการ", en: "The licence must be displayed openly and visibly at the premises" },
      { th: "ต้องรักษาสุขลักษณะของสถานที่ อาหาร และผู้สัมผัสอาหารตามกฎกระทรวงและข้อบัญญัติท้องถิ่นตลอดอายุใบอนุญาต", en: "The premises, food and food handlers must meet the hygiene rules of the ministerial regulation and local ordinance throughout the licence's validity" },
    ],
    activities: [
      "สถานที่จำหน่ายอาหาร: ร้านอาหาร ภัตตาคาร (มีการปรุงและจำหน่าย)",
      "สถานที่จำหน่ายอาหาร: ร้านจำหน่ายอาหารสำเร็จรูป เช่น ซูเปอร์มาร์เก็ต",
      "สถานที่สะสมอาหาร (คลังสินค้า ห้องเย็น)",
    ],
  },
  MK: {
    name: { th: "ใบอนุญาตจัดตั้งตลาด", en: "Market licence" },
    conditions: [{ th: "ต้องจัดให้มีที่รวบรวมมูลฝอยที่ถูกสุขลักษณะ", en: "A hygienic refuse collection point must be provided" }],
    activities: ["ตลาดประเภทที่ 1 (มีโครงสร้างอาคาร)", "ตลาดประเภทที่ 2 (ไม่มีโครงสร้างอาคาร)"],
  },
  WS: {
    name: { th: "ใบอนุญาตประกอบกิจการรับทำการเก็บ ขน หรือกำจัดสิ่งปฏิกูลหรือมูลฝอย", en: "Licence for the collection, transport or disposal of sewage or refuse" },
    conditions: [{ th: "ต้องใช้ยานพาหนะที่มีลักษณะตามที่กำหนดในข้อบัญญัติท้องถิ่น", en: "Vehicles must meet the local ordinance" }],
    activities: ["การเก็บ ขน สิ่งปฏิกูล", "การเก็บ ขน มูลฝอยทั่วไป"],
  },
} satisfies Record<string, { name: LocalizedText; conditions: LocalizedText[]; activities: string[] }>;

export type PermitTypeCode = keyof typeof PERMIT_TYPES;

const AREA_LABEL = { th: "พื้นที่ประกอบกิจการ (ตารางเมตร)", en: "Floor area (m²)" };
const WORKERS_LABEL = { th: "จำนวนคนงาน (คน)", en: "Number of workers" };

const details = (areaSqm: number, workers: number): PermitDetail[] => [
  { key: "areaSqm", label: AREA_LABEL, value: String(areaSqm) },
  { key: "workers", label: WORKERS_LABEL, value: String(workers) },
];

/** One health-hazard licence of เทศบาลเมืองสุขใจ, valid for a year from 2026-01-15, with `overrides` applied. */
export function permitFixture(overrides: Partial<StoredPermit> = {}): StoredPermit {
  const typeCode = overrides.typeCode ?? "HH";
  const type = PERMIT_TYPES[typeCode as PermitTypeCode] ?? PERMIT_TYPES.HH;
  const issuedOn = overrides.issuedOn ?? "2026-01-15";
  const validFrom = overrides.validFrom ?? issuedOn;
  return {
    number: `SKJ-${typeCode}-${yearBEOf(issuedOn)}-00001`,
    agencyId: "sukjai",
    agencyName: { th: "เทศบาลเมืองสุขใจ", en: "Sukjai Town Municipality" },
    typeCode,
    typeName: type.name,
    holderName: "นายสมชาย ใจดี",
    businessName: "ร้านสมชายการช่าง",
    activity: type.activities[0],
    address: formatAddress({ line: "99/1 หมู่ 4 ถนนรัตนาธิเบศร์", subdistrict: "บางกระสอ", district: "เมืองนนทบุรี", province: "นนทบุรี", postcode: "11000" }),
    details: details(48, 3),
    conditions: type.conditions,
    issuedOn,
    validFrom,
    validUntil: validUntilFor(validFrom, 12),
    status: "valid",
    displayRequired: true,
    source: "import",
    signature: { ...FAKE_SIGNATURE },
    history: [],
    rev: 1,
    createdAt: new Date(`${issuedOn}T03:00:00Z`),
    updatedAt: new Date(`${issuedOn}T03:00:00Z`),
    ...overrides,
  };
}

/** The content comparison an importer would use: same printed fields, same status. */
export function samePermitContent(stored: StoredPermit, incoming: StoredPermit): boolean {
  const printed = (p: StoredPermit) =>
    JSON.stringify([p.holderName, p.businessName, p.activity, p.address, p.details, p.issuedOn, p.validFrom, p.validUntil, p.status, p.typeCode, p.agencyId]);
  return printed(stored) === printed(incoming);
}

// --- Deterministic varied permits -----------------------------------------------------------------------

const MALE_NAMES = [
  "สมชาย", "สมศักดิ์", "สมบัติ", "ประเสริฐ", "ประยุทธ", "มานะ", "สุนทร", "สุวิทย์", "อำนาจ", "กิตติ", "กิตติพงษ์", "ชัยวัฒน์",
  "ธนพล", "นพดล", "บุญมี", "ปรีชา", "ไพโรจน์", "วีระ", "สมคิด", "อนุชา", "ณัฐพล", "ทองดี", "สุรชัย", "อภิชาติ", "ศักดิ์ชัย", "ถนอม",
];
const FEMALE_NAMES = [
  "สมหญิง", "สมใจ", "สมพร", "วิไล", "วิไลวรรณ", "มานี", "สุนีย์", "สุภาพร", "อรุณี", "ชนิดา", "ธิดารัตน์", "นภา", "บุญเรือน",
  "ปราณี", "พรทิพย์", "พิมพ์ใจ", "มยุรี", "รัตนา", "วันเพ็ญ", "ศิริพร", "สายสุนีย์", "อัญชลี", "เกศินี", "จันทร์เพ็ญ", "นิตยา",
  "บุษบา", "ยุพิน", "ละเอียด", "วรรณา", "อุไรวรรณ", "เยาวลักษณ์", "จิราพร", "ดวงใจ", "พัชรี",
];
const SURNAMES = [
  "ใจดี", "ตั้งใจ", "มั่นคง", "รักงาน", "ขยัน", "ศรีสุข", "สุขสวัสดิ์", "แสงทอง", "ทองคำ", "บุญมา", "บุญเรือง", "พึ่งบุญ",
  "เจริญสุข", "เจริญผล", "รุ่งเรือง", "มีสุข", "ศรีสวัสดิ์", "วงศ์ใหญ่", "วงศ์สวัสดิ์", "แก้วมณี", "แก้วประเสริฐ", "สมบูรณ์",
  "ประเสริฐศักดิ์", "พรหมมา", "อินทร์แก้ว", "จันทร์หอม", "คงสุข", "นาคสวัสดิ์", "ทองประเสริฐ", "สุวรรณรัตน์", "ชัยมงคล", "ศรีวงศ์",
  "พันธ์ทอง", "ปัญญาดี", "เพชรรัตน์", "มณีวงศ์", "สายทอง", "นิลสุวรรณ", "กาญจนวงศ์", "บุญประเสริฐ", "ทองมา", "สิทธิโชค",
  "ศรีทอง", "รัตนพันธ์", "วัฒนศิริ", "อ่อนศรี", "เกิดผล", "ดวงแก้ว", "หอมจันทร์", "ปานทอง",
];
const NAME_WORDS = [
  "สุขใจ", "รุ่งเรือง", "เจริญ", "ทองดี", "มงคล", "ศรีสยาม", "สยาม", "เพชร", "แสงทอง", "ชัยพัฒนา", "ไทยรุ่งเรือง", "บ้านสวน",
  "ริมน้ำ", "ลุงชัย", "ป้าแดง", "เจ๊หมวย", "พี่นก", "ทวีทรัพย์", "มั่งมี", "อุดมสุข", "นำโชค", "รวมใจ", "ก้าวหน้า", "ร่มเย็น",
];
const LATIN_WORDS = ["Happy", "Golden", "Siam", "Royal", "Green", "Smile", "Lucky", "Star", "Fresh", "Bright"];
const BUSINESS_KINDS: Record<PermitTypeCode, string[][]> = {
  HH: [
    ["ร้านอาหาร", "โรงงานน้ำดื่ม", "น้ำดื่ม"],
    ["ร้านเสริมสวย", "ร้านทำผม", "ซาลอน"],
    ["สปา", "นวดแผนไทย", "ร้านนวด"],
    ["อู่ซ่อมรถ", "การช่าง", "คาร์แคร์"],
    ["ร้านซักรีด", "ซักอบรีด", "ลอนดรี้"],
    ["ร้านอาหารสัตว์", "เพ็ทช็อป", "ร้านสัตว์เลี้ยง"],
    ["ปั๊มน้ำมัน", "ร้านแก๊ส", "สถานีบริการน้ำมัน"],
  ],
  FD: [["ร้านอาหาร", "ภัตตาคาร", "ครัว", "ร้านก๋วยเตี๋ยว", "ร้านข้าวมันไก่"], ["มินิมาร์ท", "ร้านสะดวกซื้อ", "ซูเปอร์มาร์เก็ต"], ["ห้องเย็น", "โกดังอาหาร"]],
  MK: [["ตลาดสด", "ตลาด"], ["ตลาดนัด", "ถนนคนเดิน"]],
  WS: [["รถดูดส้วม", "บริการสูบส้วม"], ["รับเก็บขยะ", "บริการเก็บขยะ"]],
};
const ROADS = ["รัตนาธิเบศร์", "งามวงศ์วาน", "ติวานนท์", "สุขุมวิท", "พหลโยธิน", "มิตรภาพ", "เพชรเกษม", "ประชาราษฎร์", "ราชดำเนิน", "เจริญกรุง", "ศรีนครินทร์", "บางกรวย-ไทรน้อย"];

type Rng = SeededRandom;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)];

export type SyntheticAgency = { id: string; code: string; name: LocalizedText; province: string };

export type PermitGenerator = {
  /** The next permit: permit i is the same on every run with the same seed. */
  next(): StoredPermit;
  agencies(): SyntheticAgency[];
};

/**
 * Varied permits over the 77 provinces (Bangkok about 20 %, Nonthaburi 15 %), one agency per Bangkok
 * district or Nonthaburi district (เทศบาลเมืองสุขใจ for เมืองนนทบุรี), one per other province; four permit
 * types; issued 2021-01 to 2026-11 for a year each (so many have expired); 88 % valid, the rest suspended,
 * revoked or renewed.
 */
export function createPermitGenerator(book: ThaiAddressBook, { seed = 1 }: { seed?: number } = {}): PermitGenerator {
  const provinces = book.provinces();
  const others = provinces.filter((p) => p !== "กรุงเทพมหานคร" && p !== "นนทบุรี");
  const agencies = new Map<string, SyntheticAgency>();
  const agencyFor = (province: string, district: string): SyntheticAgency => {
    let key: string;
    let make: () => SyntheticAgency;
    if (province === "กรุงเทพมหานคร") {
      const i = book.districts(province).indexOf(district) + 1;
      key = `bkk-${i}`;
      make = () => ({ id: key, code: `BK${String(i).padStart(2, "0")}`, name: { th: `สำนักงานเขต${district}`, en: `${district} District Office` }, province });
    } else if (province === "นนทบุรี") {
      const i = book.districts(province).indexOf(district) + 1;
      key = district === "เมืองนนทบุรี" ? "sukjai" : `nbi-${i}`;
      make = () =>
        key === "sukjai"
          ? { id: "sukjai", code: "SKJ", name: { th: "เทศบาลเมืองสุขใจ", en: "Sukjai Town Municipality" }, province }
          : { id: key, code: `NB${i}`, name: { th: `เทศบาลเมือง${district}`, en: `${district} Town Municipality` }, province };
    } else {
      const i = provinces.indexOf(province) + 1;
      key = `muni-${i}`;
      make = () => ({ id: key, code: `M${String(i).padStart(2, "0")}`, name: { th: `เทศบาลเมือง${province}`, en: `${province} Town Municipality` }, province });
    }
    let agency = agencies.get(key);
    if (!agency) agencies.set(key, (agency = make()));
    return agency;
  };
  const sequences = new Map<string, number>();
  const start = Date.UTC(2021, 0, 1);
  const days = Math.floor((Date.UTC(2026, 10, 20) - start) / 86_400_000);
  let i = 0;

  return {
    agencies: () => [...agencies.values()],
    next() {
      const rng = seededRandom(seed * 1_000_003 + i++);
      const r = rng();
      const province = r < 0.2 ? "กรุงเทพมหานคร" : r < 0.35 ? "นนทบุรี" : pick(rng, others);
      const district = pick(rng, book.districts(province));
      const subdistrict = pick(rng, book.subdistricts(province, district));
      const agency = agencyFor(province, district);
      const t = rng();
      const typeCode: PermitTypeCode = t < 0.5 ? "HH" : t < 0.92 ? "FD" : t < 0.96 ? "MK" : "WS";
      const type = PERMIT_TYPES[typeCode];
      const kind = Math.floor(rng() * type.activities.length);
      const person = rng() < 0.8;
      const male = rng() < 0.5;
      const first = pick(rng, male ? MALE_NAMES : FEMALE_NAMES);
      const surname = pick(rng, SURNAMES);
      const holderName = person
        ? `${male ? "นาย" : rng() < 0.5 ? "นาง" : "นางสาว"}${first} ${surname}`
        : rng() < 0.6
          ? `บริษัท ${pick(rng, NAME_WORDS)}${pick(rng, ["เทรดดิ้ง", "ฟู้ด", "พาณิชย์", "กรุ๊ป", "การค้า"])} จำกัด`
          : `ห้างหุ้นส่วนจำกัด ${pick(rng, NAME_WORDS)}${pick(rng, ["พาณิชย์", "การช่าง", "บริการ"])}`;
      const kindWord = pick(rng, BUSINESS_KINDS[typeCode][kind] ?? BUSINESS_KINDS[typeCode][0]);
      const style = rng();
      const businessName =
        style < 0.45
          ? `${kindWord}${pick(rng, NAME_WORDS)}`
          : style < 0.7
            ? `${kindWord}คุณ${first}`
            : style < 0.85
              ? `${pick(rng, NAME_WORDS)} ${kindWord}`
              : `${pick(rng, LATIN_WORDS)} ${pick(rng, LATIN_WORDS)} ${kindWord}`;
      const line =
        `${1 + Math.floor(rng() * 999)}${rng() < 0.5 ? `/${1 + Math.floor(rng() * 99)}` : ""}` +
        (rng() < 0.6 ? ` หมู่ ${1 + Math.floor(rng() * 12)}` : "") +
        (rng() < 0.5 ? ` ถนน${pick(rng, ROADS)}` : "");
      const address = formatAddress({ line, province, district, subdistrict: subdistrict.name, postcode: subdistrict.postcodes[0] });
      const day = new Date(start + Math.floor(rng() * days) * 86_400_000);
      const issuedOn = toIsoDate({ year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() });
      const yearBE = yearBEOf(issuedOn);
      const seqKey = `${agency.id}:${typeCode}:${yearBE}`;
      const seq = (sequences.get(seqKey) ?? 0) + 1;
      sequences.set(seqKey, seq);
      const s = rng();
      const status: PermitStatus = s < 0.88 ? "valid" : s < 0.92 ? "suspended" : s < 0.95 ? "revoked" : "renewed";
      const createdAt = new Date(`${issuedOn}T03:00:00Z`);
      return {
        number: formatPermitNumber("{agency}-{type}-{yearBE}-{seq:5}", { agency: agency.code, type: typeCode, yearBE, seq }),
        agencyId: agency.id,
        agencyName: agency.name,
        typeCode,
        typeName: type.name,
        holderName,
        businessName,
        activity: type.activities[kind],
        address,
        details: details(10 + Math.floor(rng() * 2000), Math.floor(rng() * 80)),
        conditions: type.conditions,
        issuedOn,
        validFrom: issuedOn,
        validUntil: validUntilFor(issuedOn, 12),
        status,
        ...(status !== "valid" && { statusReason: status === "renewed" ? "ต่ออายุใบอนุญาต" : "ไม่ปฏิบัติตามเงื่อนไขใบอนุญาต", statusChangedAt: createdAt.toISOString() }),
        displayRequired: typeCode !== "WS",
        source: "import",
        signature: { ...FAKE_SIGNATURE },
        history: [],
        rev: 1,
        createdAt,
        updatedAt: createdAt,
      };
    },
  };
}
