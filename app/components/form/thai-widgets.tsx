/**
 * Thai-aware RJSF 6 widgets and fields. Register them with
 *   <Form widgets={thaiWidgets} fields={thaiFields} formContext={{ lang }} … />
 * and pick them in UI schemas: "ui:widget": "nationalId" | "thaiMobile" | "buddhistDate",
 * "ui:field": "thaiAddress".
 *
 * Every component renders from props alone on first render (no window, no fetched data), so the
 * server's HTML and the first client render match; address lists are fetched after mount.
 */
import { useEffect, useState, type ChangeEvent } from "react";
import {
  ariaDescribedByIds,
  toFieldPathId,
  type FieldProps,
  type Registry,
  type RegistryFieldsType,
  type RegistryWidgetsType,
  type WidgetProps,
} from "@rjsf/utils";
import type { SubdistrictEntry } from "~/core/thai/address";
import { daysInMonth, monthNames, parseIsoDate, toBuddhistYear, todayInBangkok, toIsoDate } from "~/core/thai/buddhist-date";
import { formatThaiNationalId, isValidThaiNationalId } from "~/core/thai/national-id";
import { formatThaiMobile, thaiMobileDigits } from "~/core/thai/phone";
import type { Lang } from "~/core/text";

export type ThaiFormContext = { lang?: Lang };

function langOf(registry: Registry): Lang {
  return (registry.formContext as ThaiFormContext | undefined)?.lang === "en" ? "en" : "th";
}

const TEXT = {
  th: {
    idChecksum: "เลขประจำตัวประชาชนไม่ถูกต้อง: หลักสุดท้าย (หลักตรวจสอบ) ไม่ตรงกับ 12 หลักแรก",
    mobilePrefix: "เบอร์โทรศัพท์มือถือต้องขึ้นต้นด้วย 06, 08 หรือ 09",
    day: "วัน",
    month: "เดือน",
    year: "ปี (พ.ศ.)",
    province: "จังหวัด",
    district: "อำเภอ",
    subdistrict: "ตำบล",
    bangkokDistrict: "เขต",
    bangkokSubdistrict: "แขวง",
    postcode: "รหัสไปรษณีย์",
    choose: "— เลือก —",
    loadFailed: "โหลดข้อมูลที่อยู่ไม่สำเร็จ กรุณาลองใหม่",
  },
  en: {
    idChecksum: "Invalid national ID: the last (check) digit does not match the first 12 digits",
    mobilePrefix: "A Thai mobile number starts with 06, 08 or 09",
    day: "Day",
    month: "Month",
    year: "Year (BE)",
    province: "Province",
    district: "District",
    subdistrict: "Subdistrict",
    bangkokDistrict: "District (khet)",
    bangkokSubdistrict: "Subdistrict (khwaeng)",
    postcode: "Postcode",
    choose: "— Select —",
    loadFailed: "Could not load address data. Please try again.",
  },
} as const;

const cx = (...names: (string | false | undefined)[]) => names.filter(Boolean).join(" ");

/** National ID: stores the 13 digits, shows x-xxxx-xxxxx-xx-x as the user types. */
export function NationalIdWidget(props: WidgetProps) {
  const { id, htmlName, value, required, disabled, readonly, autofocus, placeholder, options, onChange, onBlur, onFocus, registry } = props;
  const text = TEXT[langOf(registry)];
  const digits = typeof value === "string" ? value.replace(/\D/g, "") : "";
  const badChecksum = digits.length === 13 && !isValidThaiNationalId(digits);
  const hintId = `${id}__hint`;
  const handleChange = (event: ChangeEvent<HTMLInputElement>) => {
    const next = event.target.value.replace(/\D/g, "").slice(0, 13);
    onChange(next === "" ? options.emptyValue : next);
  };
  return (
    <div className="bk-national-id">
      <input
        id={id}
        name={htmlName || id}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        className={cx("bk-input", badChecksum && "bk-input--invalid")}
        value={formatThaiNationalId(digits)}
        placeholder={placeholder || "x-xxxx-xxxxx-xx-x"}
        required={required}
        disabled={disabled}
        readOnly={readonly}
        autoFocus={autofocus}
        aria-invalid={badChecksum || undefined}
        aria-describedby={cx(ariaDescribedByIds(id), badChecksum && hintId)}
        onChange={handleChange}
        onBlur={() => onBlur(id, value)}
        onFocus={() => onFocus(id, value)}
      />
      {badChecksum && (
        <p id={hintId} className="bk-hint bk-hint--error" role="alert">
          {text.idChecksum}
        </p>
      )}
    </div>
  );
}

/** Thai mobile: stores 10 digits (a pasted +66 becomes 0), shows 0xx-xxx-xxxx. */
export function ThaiMobileWidget(props: WidgetProps) {
  const { id, htmlName, value, required, disabled, readonly, autofocus, placeholder, options, onChange, onBlur, onFocus, registry } = props;
  const text = TEXT[langOf(registry)];
  const digits = typeof value === "string" ? thaiMobileDigits(value).slice(0, 10) : "";
  // Flag a wrong prefix as soon as two digits show it, rather than after all ten.
  const badPrefix = digits.length >= 2 && !/^0[689]/.test(digits);
  const hintId = `${id}__hint`;
  const handleChange = (event: ChangeEvent<HTMLInputElement>) => {
    const next = thaiMobileDigits(event.target.value).slice(0, 10);
    onChange(next === "" ? options.emptyValue : next);
  };
  return (
    <div className="bk-thai-mobile">
      <input
        id={id}
        name={htmlName || id}
        type="tel"
        inputMode="tel"
        autoComplete="tel-national"
        className={cx("bk-input", badPrefix && "bk-input--invalid")}
        value={formatThaiMobile(digits)}
        placeholder={placeholder || "08x-xxx-xxxx"}
        required={required}
        disabled={disabled}
        readOnly={readonly}
        autoFocus={autofocus}
        aria-invalid={badPrefix || undefined}
        aria-describedby={cx(ariaDescribedByIds(id), badPrefix && hintId)}
        onChange={handleChange}
        onBlur={() => onBlur(id, value)}
        onFocus={() => onFocus(id, value)}
      />
      {badPrefix && (
        <p id={hintId} className="bk-hint bk-hint--error" role="alert">
          {text.mobilePrefix}
        </p>
      )}
    </div>
  );
}

type DateDraft = { day: string; month: string; year: string }; // Gregorian numbers as strings, "" = not chosen
const EMPTY_DRAFT: DateDraft = { day: "", month: "", year: "" };
const isComplete = (d: DateDraft) => d.day !== "" && d.month !== "" && d.year !== "";

/**
 * Buddhist-era date: three selects (day, month, BE year) storing ISO "YYYY-MM-DD".
 * ui:options yearsBack (default 120) and yearsAhead (default 10) set the year range around this year.
 */
export function BuddhistDateWidget(props: WidgetProps) {
  const { id, htmlName, value, required, disabled, readonly, autofocus, options, onChange, onBlur, onFocus, registry } = props;
  const lang = langOf(registry);
  const text = TEXT[lang];
  // A partly chosen date has no ISO value yet, so it lives here until all three parts are set.
  const [draft, setDraft] = useState<DateDraft>(EMPTY_DRAFT);
  const stored = typeof value === "string" ? parseIsoDate(value) : null;
  // A stored date wins; a complete draft without a stored value means the form was reset.
  const shown: DateDraft = stored
    ? { day: String(stored.day), month: String(stored.month), year: String(stored.year) }
    : isComplete(draft)
      ? EMPTY_DRAFT
      : draft;

  const thisYear = Number(todayInBangkok().slice(0, 4)); // same on server and client except in the seconds around New Year
  const yearsBack = typeof options.yearsBack === "number" ? options.yearsBack : 120;
  const yearsAhead = typeof options.yearsAhead === "number" ? options.yearsAhead : 10;
  const years: number[] = [];
  for (let y = thisYear + yearsAhead; y >= thisYear - yearsBack; y--) years.push(y);
  if (stored && !years.includes(stored.year)) years.push(stored.year);

  const maxDay = shown.month ? daysInMonth(shown.year ? Number(shown.year) : 2000, Number(shown.month)) : 31; // 2000: leap, allows 29 Feb until a year is chosen

  const update = (patch: Partial<DateDraft>) => {
    const next = { ...shown, ...patch };
    if (next.day && next.month) {
      const max = daysInMonth(next.year ? Number(next.year) : 2000, Number(next.month));
      if (Number(next.day) > max) next.day = String(max); // 31 → 30 when switching to a shorter month
    }
    setDraft(next);
    onChange(isComplete(next) ? toIsoDate({ year: Number(next.year), month: Number(next.month), day: Number(next.day) }) : options.emptyValue);
  };
  const iso = stored ? toIsoDate(stored) : "";
  const common = { required, disabled: disabled || readonly, onBlur: () => onBlur(id, value), onFocus: () => onFocus(id, value) };
  const months = monthNames(lang);

  return (
    <div className="bk-buddhist-date" role="group" aria-describedby={ariaDescribedByIds(id)}>
      <select id={id} className="bk-select bk-buddhist-date__day" aria-label={text.day} autoFocus={autofocus} value={shown.day} onChange={(e) => update({ day: e.target.value })} {...common}>
        <option value="">{text.day}</option>
        {Array.from({ length: maxDay }, (_, i) => (
          <option key={i + 1} value={String(i + 1)}>
            {i + 1}
          </option>
        ))}
      </select>
      <select id={`${id}__month`} className="bk-select bk-buddhist-date__month" aria-label={text.month} value={shown.month} onChange={(e) => update({ month: e.target.value })} {...common}>
        <option value="">{text.month}</option>
        {months.map((name, i) => (
          <option key={name} value={String(i + 1)}>
            {name}
          </option>
        ))}
      </select>
      <select id={`${id}__year`} className="bk-select bk-buddhist-date__year" aria-label={text.year} value={shown.year} onChange={(e) => update({ year: e.target.value })} {...common}>
        <option value="">{text.year}</option>
        {years.map((y) => (
          <option key={y} value={String(y)}>
            {lang === "th" ? toBuddhistYear(y) : `${toBuddhistYear(y)} (${y})`}
          </option>
        ))}
      </select>
      {htmlName && <input type="hidden" name={htmlName} value={iso} />}
    </div>
  );
}

const ADDRESS_API = "/api/v1/thai-address";
// One request per list per page load, shared by every address field on the page.
const cache = new Map<string, Promise<unknown>>();

function getJson<T>(url: string): Promise<T> {
  let pending = cache.get(url);
  if (!pending) {
    pending = fetch(url, { headers: { Accept: "application/json" } }).then((res) => {
      if (!res.ok) throw new Error(`${res.status} ${url}`);
      return res.json();
    });
    pending.catch(() => cache.delete(url)); // let a later render retry
    cache.set(url, pending);
  }
  return pending as Promise<T>;
}

/** Fetches after mount (never during SSR); `url` undefined means nothing to fetch. */
function useAddressList<T>(url: string | undefined, pick: (body: Record<string, unknown>) => T[]): { items: T[]; failed: boolean } {
  const [state, setState] = useState<{ url?: string; items: T[]; failed: boolean }>({ items: [], failed: false });
  useEffect(() => {
    if (!url) return;
    let live = true;
    getJson<Record<string, unknown>>(url).then(
      (body) => live && setState({ url, items: pick(body), failed: false }),
      () => live && setState({ url, items: [], failed: true }),
    );
    return () => {
      live = false;
    };
    // pick is a pure accessor passed inline; the URL alone decides what to load
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [url]);
  return state.url === url ? state : { items: [], failed: false };
}

const ADDRESS_KEYS = ["province", "district", "subdistrict", "postcode"] as const;
type AddressValue = Record<string, unknown>;

/** The current value is always an option, so the server renders it selected before the lists arrive. */
const withCurrent = (names: string[], current: string) => (current && !names.includes(current) ? [current, ...names] : names);

/** Drops empty parts so ajv's `required` sees them as missing. */
function compact(value: AddressValue): AddressValue {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== ""));
}

/**
 * Thai address for an object schema with province/district/subdistrict/postcode string properties
 * (plus any other string properties, e.g. houseNumber, street, rendered first as text inputs).
 * Province → district → subdistrict cascade; the postcode follows the subdistrict (a select when it has two).
 * ui:options `endpoint` overrides the lookup URL.
 */
export function ThaiAddressField(props: FieldProps) {
  const { schema, uiSchema, formData, onChange, onBlur, onFocus, fieldPathId, registry, errorSchema, disabled, readonly, name, required } = props;
  const lang = langOf(registry);
  const text = TEXT[lang];
  const value: AddressValue = formData && typeof formData === "object" && !Array.isArray(formData) ? (formData as AddressValue) : {};
  const str = (key: string) => (typeof value[key] === "string" ? (value[key] as string) : "");
  const province = str("province");
  const district = str("district");
  const subdistrict = str("subdistrict");
  const postcode = str("postcode");
  const endpoint = typeof uiSchema?.["ui:options"]?.endpoint === "string" ? (uiSchema["ui:options"].endpoint as string) : ADDRESS_API;

  const provinces = useAddressList(endpoint, (body) => body.provinces as string[]);
  const districts = useAddressList(province ? `${endpoint}?${new URLSearchParams({ province })}` : undefined, (body) => body.districts as string[]);
  const subdistricts = useAddressList<SubdistrictEntry>(
    province && district ? `${endpoint}?${new URLSearchParams({ province, district })}` : undefined,
    (body) => body.subdistricts as SubdistrictEntry[],
  );
  const failed = provinces.failed || districts.failed || subdistricts.failed;
  const postcodes = subdistricts.items.find((s) => s.name === subdistrict)?.postcodes ?? [];

  const properties = (schema.properties ?? {}) as Record<string, { title?: string; type?: unknown }>;
  const extraKeys = Object.keys(properties).filter((key) => !(ADDRESS_KEYS as readonly string[]).includes(key));
  const isBangkok = province === "กรุงเทพมหานคร";
  const defaultLabels: Record<string, string> = {
    province: text.province,
    district: isBangkok ? text.bangkokDistrict : text.district,
    subdistrict: isBangkok ? text.bangkokSubdistrict : text.subdistrict,
    postcode: text.postcode,
  };
  const labelOf = (key: string) => properties[key]?.title ?? defaultLabels[key] ?? key;
  const child = (key: string) => toFieldPathId(key, registry.globalFormOptions, fieldPathId);
  const requiredKeys = Array.isArray(schema.required) ? schema.required : [];
  const locked = disabled || readonly;

  const set = (patch: AddressValue) => onChange(compact({ ...value, ...patch }), fieldPathId.path);
  const chooseSubdistrict = (next: string) => {
    const entry = subdistricts.items.find((s) => s.name === next);
    set({ subdistrict: next, postcode: entry?.postcodes[0] });
  };

  const errorsOf = (key: string) => {
    const messages = (errorSchema as Record<string, { __errors?: string[] }> | undefined)?.[key]?.__errors ?? [];
    return messages.length > 0 ? (
      <ul className="bk-field-errors">
        {messages.map((m) => (
          <li key={m}>{m}</li>
        ))}
      </ul>
    ) : null;
  };

  const row = (key: string, control: JSX.Element) => (
    <div className={`bk-address__row bk-address__${key}`} key={key}>
      <label htmlFor={child(key).$id} className="bk-label">
        {labelOf(key)}
        {requiredKeys.includes(key) && <span className="bk-required">*</span>}
      </label>
      {control}
      {errorsOf(key)}
    </div>
  );

  const select = (key: string, current: string, options: string[], onSelect: (next: string) => void, enabled: boolean) => {
    const id = child(key);
    return (
      <select
        id={id.$id}
        name={id.name}
        className="bk-select"
        value={current}
        required={requiredKeys.includes(key)}
        disabled={locked || !enabled}
        onChange={(e) => onSelect(e.target.value)}
        onBlur={() => onBlur(id.$id, current)}
        onFocus={() => onFocus(id.$id, current)}
      >
        <option value="">{text.choose}</option>
        {withCurrent(options, current).map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    );
  };

  const title = (uiSchema?.["ui:title"] as string | undefined) ?? schema.title ?? name;
  return (
    <fieldset className="bk-address" id={fieldPathId.$id}>
      {title && (
        <legend className="bk-legend">
          {title}
          {required && <span className="bk-required">*</span>}
        </legend>
      )}
      {schema.description && <p className="bk-description">{schema.description}</p>}
      {extraKeys.map((key) => {
        const id = child(key);
        return row(
          key,
          <input
            id={id.$id}
            name={id.name}
            type="text"
            className="bk-input"
            value={str(key)}
            required={requiredKeys.includes(key)}
            disabled={disabled}
            readOnly={readonly}
            onChange={(e) => set({ [key]: e.target.value })}
            onBlur={() => onBlur(id.$id, str(key))}
            onFocus={() => onFocus(id.$id, str(key))}
          />,
        );
      })}
      {row("province", select("province", province, provinces.items, (next) => set({ province: next, district: undefined, subdistrict: undefined, postcode: undefined }), true))}
      {row("district", select("district", district, districts.items, (next) => set({ district: next, subdistrict: undefined, postcode: undefined }), Boolean(province)))}
      {row(
        "subdistrict",
        select("subdistrict", subdistrict, subdistricts.items.map((s) => s.name), chooseSubdistrict, Boolean(district)),
      )}
      {row(
        "postcode",
        postcodes.length > 1 ? (
          select("postcode", postcode, postcodes, (next) => set({ postcode: next }), true)
        ) : (
          // Filled from the subdistrict, never typed: read-only keeps it consistent with the dataset.
          <input id={child("postcode").$id} name={child("postcode").name} type="text" className="bk-input bk-input--readonly" value={postcode} readOnly inputMode="numeric" />
        ),
      )}
      {failed && (
        <p className="bk-hint bk-hint--error" role="alert">
          {text.loadFailed}
        </p>
      )}
    </fieldset>
  );
}

export const thaiWidgets: RegistryWidgetsType = {
  nationalId: NationalIdWidget,
  thaiMobile: ThaiMobileWidget,
  buddhistDate: BuddhistDateWidget,
};

export const thaiFields: RegistryFieldsType = {
  thaiAddress: ThaiAddressField,
};
