import type { LocalizedText } from "../text";

/**
 * Citizens' OpenID Connect providers (ThaID, DGA Digital ID, …) as OIDC_PROVIDERS configures them. Pure: the
 * environment module parses the setting once at start-up and fails with the name of the bad field.
 */

/** Which verified claim a form field may be prefilled from (`x-prefill`). */
export const PREFILL_CLAIMS = ["pid", "name", "birthdate", "address"] as const;
export type PrefillClaim = (typeof PREFILL_CLAIMS)[number];

export type OidcProviderConfig = {
  /** In URLs and account keys: lower-case letters, digits and dashes. */
  id: string;
  label: LocalizedText;
  /** The issuer; its discovery document is at `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  /** Absent for a public client (PKCE only). */
  clientSecret?: string;
  redirectUrl: string;
  scopes: string;
  /** Which claim of the provider's ID token / userinfo carries each verified value. */
  claims: Record<PrefillClaim, string>;
  /** The local stand-in provider: refused by a production start. */
  demo: boolean;
};

export const DEFAULT_OIDC_SCOPES = "openid pid name name_en given_name family_name birthdate address";
const DEFAULT_CLAIMS: Record<PrefillClaim, string> = { pid: "pid", name: "name", birthdate: "birthdate", address: "address" };
const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

export function isLoopbackUrl(url: URL): boolean {
  return LOOPBACK.has(url.hostname);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * OIDC_PROVIDERS (a JSON array) as a checked list. Throws an Error naming the setting and the field, e.g.
 * `OIDC_PROVIDERS[0].issuer must be an https URL …`. `allowDemo` false refuses providers flagged `demo`.
 */
export function parseOidcProviders(raw: string | undefined, options: { publicUrl: string; allowDemo: boolean }): OidcProviderConfig[] {
  if (raw === undefined || raw.trim() === "") return [];
  let list: unknown;
  try {
    list = JSON.parse(raw);
  } catch {
    throw new Error("OIDC_PROVIDERS must be a JSON array of providers (it is not valid JSON)");
  }
  if (!Array.isArray(list)) throw new Error("OIDC_PROVIDERS must be a JSON array of providers");
  const seen = new Set<string>();
  return list.map((entry, i) => {
    const where = `OIDC_PROVIDERS[${i}]`;
    const fail = (field: string, what: string): never => {
      throw new Error(`${where}.${field} ${what}`);
    };
    if (!isObject(entry)) throw new Error(`${where} must be an object`);
    const text = (field: string, value: unknown) => (typeof value === "string" && value.trim() !== "" ? value.trim() : fail(field, "must be a non-empty string"));

    const id = text("id", entry.id);
    if (!ID_PATTERN.test(id)) fail("id", `must be lower-case letters, digits and dashes, at most 40 (got "${id}")`);
    if (seen.has(id)) fail("id", `"${id}" is used twice`);
    seen.add(id);

    if (!isObject(entry.label)) fail("label", 'must be { "th": "…", "en": "…" }');
    const label = entry.label as Record<string, unknown>;
    const labels = { th: text("label.th", label.th), en: text("label.en", label.en) };

    const issuer = text("issuer", entry.issuer);
    const demo = entry.demo === undefined ? false : entry.demo === true ? true : entry.demo === false ? false : fail("demo", "must be true or false");
    if (demo && !options.allowDemo) {
      fail("demo", `is true: "${id}" is a demo provider, which a production start refuses (remove it, or set BORIKAN_DEMO=1 for a demonstration)`);
    }
    checkUrl("issuer", issuer, demo, fail);
    const clientId = text("clientId", entry.clientId);
    const clientSecret = entry.clientSecret === undefined ? undefined : text("clientSecret", entry.clientSecret);
    const redirectUrl = entry.redirectUrl === undefined ? `${options.publicUrl}/auth/oidc/${id}/callback` : text("redirectUrl", entry.redirectUrl);
    checkUrl("redirectUrl", redirectUrl, demo, fail);
    const scopes = entry.scopes === undefined ? DEFAULT_OIDC_SCOPES : text("scopes", entry.scopes);
    if (!scopes.split(/\s+/).includes("openid")) fail("scopes", `must include "openid" (got "${scopes}")`);

    const claims = { ...DEFAULT_CLAIMS };
    if (entry.claims !== undefined) {
      if (!isObject(entry.claims)) fail("claims", 'must map verified values to claim names, e.g. { "pid": "pid" }');
      for (const [key, value] of Object.entries(entry.claims as Record<string, unknown>)) {
        if (!(PREFILL_CLAIMS as readonly string[]).includes(key)) fail(`claims.${key}`, `is not one of ${PREFILL_CLAIMS.join(", ")}`);
        claims[key as PrefillClaim] = text(`claims.${key}`, value);
      }
    }
    return { id, label: labels, issuer, clientId, ...(clientSecret ? { clientSecret } : {}), redirectUrl, scopes, claims, demo };
  });
}

/** https, or http on a loopback address for the demo provider (a real provider's traffic must be encrypted). */
function checkUrl(field: string, value: string, demo: boolean, fail: (field: string, what: string) => never) {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail(field, `must be an absolute URL (got "${value}")`);
  }
  if (url.protocol === "https:") return;
  if (url.protocol === "http:" && isLoopbackUrl(url) && (demo || field === "redirectUrl")) return;
  fail(field, `must be an https URL (http only on localhost/127.0.0.1 for a demo provider; got "${value}")`);
}
