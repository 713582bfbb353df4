import type { FieldError } from "../forms/form-validation";
import { parsePointer } from "../json-pointer";
import type { LocalizedText } from "../text";
import { isValidThaiNationalId, normalizeThaiNationalId } from "../thai/national-id";
import { PREFILL_CLAIMS, type OidcProviderConfig, type PrefillClaim } from "./oidc-providers";

/** A Thai address as the form's address field holds it. */
export type ClaimedAddress = { line?: string; subdistrict?: string; district?: string; province?: string; postcode?: string };

/** What a provider verified about the citizen, as kept (encrypted) with the account for prefilling forms. */
export type VerifiedClaims = {
  provider: string;
  /** ISO time of the sign-in that brought these claims. */
  verifiedAt: string;
  pid?: string;
  name?: string;
  nameEn?: string;
  birthdate?: string;
  address?: ClaimedAddress;
};

const str = (value: unknown): string | undefined => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined);

/**
 * The verified values in a provider's claims (ID token merged with userinfo). A `pid` that is not a valid
 * 13-digit national ID is dropped rather than trusted; the address is read from the OIDC address claim
 * (street_address, sub_locality, locality, region, postal_code) or a plain formatted string.
 */
export function verifiedClaimsFrom(provider: Pick<OidcProviderConfig, "id" | "claims">, claims: Record<string, unknown>, at: Date): VerifiedClaims {
  const out: VerifiedClaims = { provider: provider.id, verifiedAt: at.toISOString() };
  const pid = str(claims[provider.claims.pid]);
  if (pid && isValidThaiNationalId(pid)) out.pid = normalizeThaiNationalId(pid);
  const given = str(claims.given_name);
  const family = str(claims.family_name);
  const name = str(claims[provider.claims.name]) ?? (given && family ? `${given} ${family}` : given);
  if (name) out.name = name;
  const nameEn = str(claims.name_en);
  if (nameEn) out.nameEn = nameEn;
  const birthdate = str(claims[provider.claims.birthdate]);
  if (birthdate && /^\d{4}-\d{2}-\d{2}$/.test(birthdate)) out.birthdate = birthdate;
  const address = addressFrom(claims[provider.claims.address]);
  if (address) out.address = address;
  return out;
}

function addressFrom(value: unknown): ClaimedAddress | undefined {
  if (typeof value === "string") return str(value) ? { line: value.trim() } : undefined;
  if (typeof value !== "object" || value === null) return undefined;
  const a = value as Record<string, unknown>;
  const address: ClaimedAddress = {};
  const set = (key: keyof ClaimedAddress, v: unknown) => {
    const s = str(v);
    if (s) address[key] = s;
  };
  set("line", a.street_address ?? a.formatted);
  set("subdistrict", a.sub_locality ?? a.subdistrict);
  set("district", a.locality ?? a.district);
  set("province", a.region ?? a.province);
  set("postcode", a.postal_code ?? a.postcode);
  return Object.keys(address).length > 0 ? address : undefined;
}

/** The value a field prefilled from `claim` gets, or undefined when the provider did not verify it. */
export function claimValue(claims: VerifiedClaims, claim: PrefillClaim): string | ClaimedAddress | undefined {
  return claims[claim];
}

export type PrefillField = { pointer: string; claim: PrefillClaim };

export function isPrefillClaim(value: unknown): value is PrefillClaim {
  return typeof value === "string" && (PREFILL_CLAIMS as readonly string[]).includes(value);
}

/** The fields of a form schema marked `x-prefill`, by JSON pointer (object properties only; not inside lists). */
export function prefillFields(schema: unknown): PrefillField[] {
  const out: PrefillField[] = [];
  const visit = (node: unknown, pointer: string) => {
    if (typeof node !== "object" || node === null) return;
    const n = node as Record<string, unknown>;
    if (pointer && isPrefillClaim(n["x-prefill"])) out.push({ pointer, claim: n["x-prefill"] });
    if (typeof n.properties === "object" && n.properties !== null) {
      for (const [key, child] of Object.entries(n.properties as Record<string, unknown>)) visit(child, `${pointer}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`);
    }
  };
  visit(schema, "");
  return out;
}

/** The form data with every prefilled field set from the claims (fields whose claim is missing are left alone). */
export function applyPrefill(schema: unknown, data: unknown, claims: VerifiedClaims | null): Record<string, unknown> {
  const root: Record<string, unknown> = typeof data === "object" && data !== null && !Array.isArray(data) ? structuredClone(data as Record<string, unknown>) : {};
  if (!claims) return root;
  for (const field of prefillFields(schema)) {
    const value = claimValue(claims, field.claim);
    if (value === undefined) continue;
    const keys = parsePointer(field.pointer);
    let node = root;
    for (const key of keys.slice(0, -1)) {
      if (typeof node[key] !== "object" || node[key] === null || Array.isArray(node[key])) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    const last = keys[keys.length - 1];
    node[last] = typeof value === "string" ? value : { ...(typeof node[last] === "object" && node[last] !== null ? (node[last] as object) : {}), ...value };
  }
  return root;
}

const MISMATCH: LocalizedText = {
  th: "ข้อมูลช่องนี้ต้องตรงกับข้อมูลที่ยืนยันตัวตนแล้ว (กรอกจากผู้ให้บริการยืนยันตัวตน แก้ไขไม่ได้)",
  en: "This field must match your verified identity (it is filled from your identity provider and cannot be changed)",
};

function read(data: unknown, pointer: string): unknown {
  let node = data;
  for (const key of parsePointer(pointer)) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/**
 * The prefilled fields whose submitted value differs from the verified claim. A field left empty is allowed
 * (an optional field may stay blank), another value is not. Without claims nothing is checked: the citizen
 * filled the form by hand.
 */
export function prefillMismatches(schema: unknown, data: unknown, claims: VerifiedClaims | null): FieldError[] {
  if (!claims) return [];
  const errors: FieldError[] = [];
  for (const field of prefillFields(schema)) {
    const expected = claimValue(claims, field.claim);
    const actual = read(data, field.pointer);
    if (expected === undefined || actual === undefined) continue;
    const same =
      typeof expected === "string"
        ? typeof actual === "string" && (field.claim === "pid" ? normalizeThaiNationalId(actual) === expected : actual.trim() === expected)
        : typeof actual === "object" && actual !== null && Object.entries(expected).every(([k, v]) => (actual as Record<string, unknown>)[k] === v);
    if (!same) errors.push({ pointer: field.pointer, message: MISMATCH });
  }
  return errors;
}

/**
 * The UI schema with each prefilled field read-only and marked with where its value came from. Only fields whose
 * claim the citizen actually has are marked; the others stay ordinary inputs.
 */
export function markPrefilledUi(uiSchema: unknown, pointers: string[], note: string): Record<string, unknown> {
  const root: Record<string, unknown> = typeof uiSchema === "object" && uiSchema !== null ? structuredClone(uiSchema as Record<string, unknown>) : {};
  for (const pointer of pointers) {
    let node = root;
    for (const key of parsePointer(pointer)) {
      if (typeof node[key] !== "object" || node[key] === null) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node["ui:readonly"] = true;
    node["ui:help"] = note;
    node["ui:classNames"] = [node["ui:classNames"], "bk-prefilled"].filter(Boolean).join(" ");
  }
  return root;
}

/** The pointers of the prefilled fields this citizen's claims can fill. */
export function fillablePrefillPointers(schema: unknown, claims: VerifiedClaims | null): string[] {
  if (!claims) return [];
  return prefillFields(schema)
    .filter((f) => claimValue(claims, f.claim) !== undefined)
    .map((f) => f.pointer);
}
