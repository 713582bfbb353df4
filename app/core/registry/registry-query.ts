/**
 * The public registry's search parameters, as they appear in the URL (`/registry?q=…&province=…&page=2`).
 * Unknown parameters are ignored and empty ones mean "not set" (a GET form submits empty selects), but a
 * value that cannot mean anything is a 400 naming the parameter, never a silent default.
 */
import { AppError } from "~/core/errors";
import type { EffectiveStatus } from "~/core/permits/types";
import { PERMIT_STATUSES } from "~/core/permits/types";

export type RegistryQuery = {
  /** Free text: words of the holder, business, activity, type or address, or a permit number. */
  q: string;
  agency?: string;
  /** Permit type code from the manifest (HH, FD, …). */
  type?: string;
  /** Province and district names as in the address book, without the จังหวัด/อำเภอ/เขต prefix. */
  province?: string;
  district?: string;
  /** The effective status: "expired" is a valid permit past its last day. */
  status?: EffectiveStatus;
  page: number;
  pageSize: number;
};

export const MAX_QUERY_LENGTH = 200;
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/** Far beyond any real registry; keeps `(page - 1) * pageSize` an exact integer. */
const MAX_PAGE = 1_000_000_000;
const MAX_NAME_LENGTH = 100;

const AGENCY_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const TYPE_CODE = /^[A-Za-z][A-Za-z0-9]{0,9}$/;
// Control characters (and so newlines) never belong in a place name.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function bad(param: string, th: string, en: string): AppError {
  return new AppError("BAD_REQUEST", { th: `${param} ${th}`, en: `${param} ${en}` }, { param });
}

function wholeNumber(param: string, raw: string, min: number, max: number, th: string, en: string): number {
  const value = /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= min && value <= max)) throw bad(param, th, en);
  return value;
}

/** A place name as typed: NFC, single spaces, and the administrative prefix dropped ("จังหวัดนนทบุรี" → "นนทบุรี"). */
function placeName(param: string, raw: string | undefined, prefixes: RegExp): string | undefined {
  if (raw === undefined) return undefined;
  if (raw.length > MAX_NAME_LENGTH || CONTROL.test(raw)) {
    throw bad(param, `ต้องเป็นชื่อที่ยาวไม่เกิน ${MAX_NAME_LENGTH} ตัวอักษร`, `must be a name of at most ${MAX_NAME_LENGTH} characters`);
  }
  const name = raw.normalize("NFC").replace(/\s+/g, " ").trim().replace(prefixes, "").trim();
  return name || undefined;
}

/** Reads the registry parameters; throws a BAD_REQUEST AppError (details `{ param }`) for a malformed one. */
export function parseRegistryQuery(params: URLSearchParams): RegistryQuery {
  // The first value wins when a parameter repeats, as URLSearchParams.get does.
  const value = (name: string): string | undefined => {
    const raw = params.get(name);
    return raw === null || raw.trim() === "" ? undefined : raw;
  };
  const query: RegistryQuery = { q: "", page: 1, pageSize: DEFAULT_PAGE_SIZE };

  const q = value("q");
  if (q !== undefined) {
    if (q.length > MAX_QUERY_LENGTH) {
      throw bad("q", `ต้องยาวไม่เกิน ${MAX_QUERY_LENGTH} ตัวอักษร`, `must be at most ${MAX_QUERY_LENGTH} characters`);
    }
    query.q = q.normalize("NFC").replace(/\s+/g, " ").trim();
  }

  const agency = value("agency");
  if (agency !== undefined) {
    const id = agency.trim();
    if (!AGENCY_ID.test(id)) {
      throw bad("agency", "ต้องเป็นรหัสหน่วยงาน (ตัวอักษรอังกฤษ ตัวเลข - หรือ _ ไม่เกิน 64 ตัว)", "must be an agency id (letters, digits, - or _, at most 64)");
    }
    query.agency = id;
  }

  const type = value("type");
  if (type !== undefined) {
    const code = type.trim();
    if (!TYPE_CODE.test(code)) {
      throw bad("type", "ต้องเป็นรหัสประเภทใบอนุญาต เช่น HH หรือ FD", "must be a permit type code such as HH or FD");
    }
    query.type = code.toUpperCase();
  }

  const province = placeName("province", value("province"), /^(จังหวัด|จ\.)\s*/);
  if (province) query.province = province;

  const district = placeName("district", value("district"), /^(อำเภอ|เขต|อ\.)\s*/);
  if (district) query.district = district;

  const status = value("status");
  if (status !== undefined) {
    const s = status.trim().toLowerCase();
    if (!(PERMIT_STATUSES as readonly string[]).includes(s)) {
      throw bad("status", `ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้: ${PERMIT_STATUSES.join(", ")}`, `must be one of ${PERMIT_STATUSES.join(", ")}`);
    }
    query.status = s as EffectiveStatus;
  }

  const page = value("page");
  if (page !== undefined) {
    query.page = wholeNumber("page", page.trim(), 1, MAX_PAGE, "ต้องเป็นจำนวนเต็มตั้งแต่ 1 ขึ้นไป", "must be a whole number from 1");
  }

  const pageSize = value("pageSize");
  if (pageSize !== undefined) {
    query.pageSize = wholeNumber(
      "pageSize",
      pageSize.trim(),
      1,
      MAX_PAGE_SIZE,
      `ต้องเป็นจำนวนเต็มตั้งแต่ 1 ถึง ${MAX_PAGE_SIZE}`,
      `must be a whole number from 1 to ${MAX_PAGE_SIZE}`,
    );
  }
  return query;
}

/**
 * The URL parameters of a query, for links (pagination, CSV export): only what differs from the defaults,
 * always in the same order, so equal queries give equal URLs. `parseRegistryQuery` reads them back unchanged.
 */
export function registryQueryToParams(query: Partial<RegistryQuery>): URLSearchParams {
  const params = new URLSearchParams();
  if (query.q) params.set("q", query.q);
  if (query.agency) params.set("agency", query.agency);
  if (query.type) params.set("type", query.type);
  if (query.province) params.set("province", query.province);
  if (query.district) params.set("district", query.district);
  if (query.status) params.set("status", query.status);
  if (query.page !== undefined && query.page !== 1) params.set("page", String(query.page));
  if (query.pageSize !== undefined && query.pageSize !== DEFAULT_PAGE_SIZE) params.set("pageSize", String(query.pageSize));
  return params;
}
