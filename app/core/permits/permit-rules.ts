import type { PermitTemplate } from "~/core/definitions/types";
import { listFormFields } from "~/core/forms/form-fields";
import { getAt } from "~/core/json-pointer";
import { parseIsoDate, toBuddhistYear, toIsoDate, daysInMonth } from "~/core/thai/buddhist-date";
import type { LocalizedText } from "~/core/text";
import type { EffectiveStatus, PermitAddress, PermitDetail, PermitStatus, PublicPermit, SignedPermitPayload } from "./types";

/**
 * Permit numbers are agency-scoped and counted per permit type and Buddhist-era year, so a globally unique
 * number needs all four parts: "{agency}-{type}-{yearBE}-{seq:5}" → "SKJ-HH-2569-00012".
 */
export const PERMIT_NUMBER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{2,63}$/;

export function formatPermitNumber(format: string, parts: { agency: string; type: string; yearBE: number; seq: number }): string {
  return format.replace(/\{(agency|type|yearBE|seq)(?::(\d))?\}/g, (_, name: string, width?: string) => {
    if (name === "seq") return String(parts.seq).padStart(Number(width ?? 1), "0");
    if (name === "yearBE") return String(parts.yearBE);
    return name === "agency" ? parts.agency : parts.type;
  });
}

/** The name of the gap-free sequence a permit number comes from. */
export function permitSequenceName(agencyId: string, typeCode: string, yearBE: number): string {
  return `permit:${agencyId}:${typeCode}:${yearBE}`;
}

export function yearBEOf(isoDate: string): number {
  const parts = parseIsoDate(isoDate);
  if (!parts) throw new Error(`Not an ISO date: ${isoDate}`);
  return toBuddhistYear(parts.year);
}

/** The last day a permit of `months` months issued on `from` is valid: 2026-11-25 + 12 → 2027-11-24. */
export function validUntilFor(from: string, months: number): string {
  const start = parseIsoDate(from);
  if (!start) throw new Error(`Not an ISO date: ${from}`);
  const monthIndex = start.month - 1 + months;
  const year = start.year + Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  const day = Math.min(start.day, daysInMonth(year, month));
  const end = new Date(Date.UTC(2000, 0, 1));
  end.setUTCFullYear(year, month - 1, day);
  end.setUTCDate(end.getUTCDate() - 1);
  return toIsoDate({ year: end.getUTCFullYear(), month: end.getUTCMonth() + 1, day: end.getUTCDate() });
}

/** Stored status, or "expired" once the last valid day (Bangkok calendar) has passed. */
export function effectiveStatus(permit: Pick<PublicPermit, "status" | "validUntil">, today: string): EffectiveStatus {
  if (permit.status === "valid" && permit.validUntil < today) return "expired";
  return permit.status;
}

/** Which status an officer may move a permit to; "renewed" is set only by issuing a renewal. */
const OFFICER_TRANSITIONS: Record<PermitStatus, PermitStatus[]> = {
  valid: ["suspended", "revoked"],
  suspended: ["valid", "revoked"],
  revoked: [],
  renewed: [],
};

export function allowedStatusChanges(status: PermitStatus): PermitStatus[] {
  return OFFICER_TRANSITIONS[status];
}

export const STATUS_LABELS: Record<EffectiveStatus, LocalizedText> = {
  valid: { th: "ใช้ได้", en: "Valid" },
  expired: { th: "หมดอายุ", en: "Expired" },
  suspended: { th: "พักใช้", en: "Suspended" },
  revoked: { th: "เพิกถอน", en: "Revoked" },
  renewed: { th: "ต่ออายุแล้ว (มีฉบับใหม่)", en: "Renewed (superseded)" },
};

export function formatAddress(value: unknown): PermitAddress {
  if (typeof value === "string") return { text: value };
  if (!value || typeof value !== "object") return { text: "" };
  const a = value as Record<string, unknown>;
  const str = (k: string) => (typeof a[k] === "string" ? (a[k] as string).trim() : "");
  const province = str("province");
  const district = str("district");
  const subdistrict = str("subdistrict");
  const postcode = str("postcode");
  const bangkok = province === "กรุงเทพมหานคร";
  const text = [
    str("line"),
    subdistrict && `${bangkok ? "แขวง" : "ตำบล"}${subdistrict}`,
    district && `${bangkok ? "เขต" : "อำเภอ"}${district}`,
    province && (bangkok ? province : `จังหวัด${province}`),
    postcode,
  ]
    .filter(Boolean)
    .join(" ");
  return { text, ...(province && { province }), ...(district && { district }), ...(subdistrict && { subdistrict }), ...(postcode && { postcode }) };
}

/** The permit's printed fields, from the form data through the manifest's permit template. */
export function permitFieldsFromCase(
  template: PermitTemplate,
  formSchema: unknown,
  data: unknown,
): Pick<PublicPermit, "holderName" | "businessName" | "activity" | "address" | "details"> {
  const th = new Map(listFormFields(formSchema, "th").map((f) => [f.pointer, f]));
  const en = new Map(listFormFields(formSchema, "en").map((f) => [f.pointer, f]));
  const display = (pointer: string | undefined): string => {
    if (!pointer) return "";
    const value = getAt(data, pointer);
    if (value === undefined || value === null) return "";
    return th.get(pointer)?.options?.[String(value)] ?? String(value);
  };
  const { holderName, businessName, activity, address, ...rest } = template.fields as Record<string, string | undefined> & { holderName: string };
  const details: PermitDetail[] = Object.entries(rest)
    .filter((entry): entry is [string, string] => typeof entry[1] === "string")
    .map(([key, pointer]) => ({
      key,
      label: { th: th.get(pointer)?.title ?? key, en: en.get(pointer)?.title ?? key },
      value: display(pointer),
    }))
    .filter((d) => d.value !== "");
  return {
    holderName: display(holderName),
    businessName: display(businessName),
    activity: display(activity),
    address: formatAddress(address ? getAt(data, address) : undefined),
    details,
  };
}

/**
 * The canonical content that is signed and carried in the QR. Only printed fields; never the status,
 * which changes after signing and is checked online.
 */
export function signedPayloadOf(permit: PublicPermit): SignedPermitPayload {
  return {
    v: 1,
    number: permit.number,
    agency: permit.agencyId,
    type: permit.typeCode,
    holder: permit.holderName,
    ...(permit.holderEntity ? { holderId: permit.holderEntity.juristicId } : {}),
    business: permit.businessName,
    activity: permit.activity,
    address: permit.address.text,
    issued: permit.issuedOn,
    from: permit.validFrom,
    until: permit.validUntil,
    ...(permit.renews ? { renews: permit.renews } : {}),
  };
}

/** Field-by-field comparison of a signed payload with the stored permit: the names of fields that differ. */
export function payloadMismatches(signed: SignedPermitPayload, permit: PublicPermit): string[] {
  const expected = signedPayloadOf(permit) as Record<string, unknown>;
  const actual = signed as Record<string, unknown>;
  const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  return [...keys].filter((k) => expected[k] !== actual[k]).sort();
}

/**
 * Why a permit cannot be renewed by this service, or null when it can: it must exist, belong to the same
 * agency and type, and still be in force or merely expired (not suspended, revoked or already renewed).
 */
export function renewalProblem(
  previous: Pick<PublicPermit, "agencyId" | "typeCode" | "status" | "number"> | null,
  service: { agencyId: string; typeCode: string },
): LocalizedText | null {
  if (!previous) return { th: "ไม่พบใบอนุญาตเลขที่นี้ในทะเบียน", en: "No permit with this number is in the registry" };
  if (previous.agencyId !== service.agencyId || previous.typeCode !== service.typeCode) {
    return { th: "ใบอนุญาตนี้ไม่ใช่ประเภทที่บริการนี้ต่ออายุ หรือออกโดยหน่วยงานอื่น", en: "This permit is of another type or from another agency than this service renews" };
  }
  if (previous.status !== "valid") {
    return {
      th: `ใบอนุญาตนี้มีสถานะ "${STATUS_LABELS[previous.status].th}" จึงต่ออายุไม่ได้`,
      en: `This permit is "${STATUS_LABELS[previous.status].en}" and cannot be renewed`,
    };
  }
  return null;
}

/** A renewal prints what the form maps and carries everything else over from the permit it renews. */
export function carryOverForRenewal(
  fromForm: Pick<PublicPermit, "holderName" | "businessName" | "activity" | "address" | "details">,
  previous: PublicPermit,
): Pick<PublicPermit, "holderName" | "businessName" | "activity" | "address" | "details"> {
  return {
    holderName: fromForm.holderName || previous.holderName,
    businessName: fromForm.businessName || previous.businessName,
    activity: fromForm.activity || previous.activity,
    address: fromForm.address.text ? fromForm.address : previous.address,
    details: fromForm.details.length > 0 ? fromForm.details : previous.details,
  };
}
