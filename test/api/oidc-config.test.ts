import { describe, expect, it } from "vitest";
import { DEFAULT_OIDC_SCOPES, parseOidcProviders } from "~/core/identity/oidc-providers";
import { applyPrefill, prefillMismatches, verifiedClaimsFrom } from "~/core/identity/verified-claims";
import { findBuilderField, updateField } from "~/core/studio/form-builder";
import { DEMO_CITIZENS } from "../../scripts/demo-oidc-provider";

/** OIDC_PROVIDERS as the start-up reads it, the claims kept from a provider, and the studio's prefill setting. */

const base = { id: "thaid", label: { th: "ThaID", en: "ThaID" }, issuer: "https://imauth.example.test", clientId: "abc", clientSecret: "s3cret" };
const parse = (list: unknown, allowDemo = false) => parseOidcProviders(JSON.stringify(list), { publicUrl: "https://borikan.example.test", allowDemo });

describe("OIDC_PROVIDERS", () => {
  it("fills the redirect URL and ThaID's scopes by default", () => {
    const [p] = parse([base]);
    expect(p).toMatchObject({ redirectUrl: "https://borikan.example.test/auth/oidc/thaid/callback", scopes: DEFAULT_OIDC_SCOPES, demo: false });
  });

  it.each([
    [[{ ...base, issuer: "http://imauth.example.test" }], "OIDC_PROVIDERS[0].issuer must be an https URL"],
    [[{ ...base, id: "Th AID" }], "OIDC_PROVIDERS[0].id must be lower-case"],
    [[base, base], 'OIDC_PROVIDERS[1].id "thaid" is used twice'],
    [[{ ...base, label: "ThaID" }], "OIDC_PROVIDERS[0].label must be"],
    [[{ ...base, clientId: "" }], "OIDC_PROVIDERS[0].clientId must be a non-empty string"],
    [[{ ...base, scopes: "pid name" }], 'OIDC_PROVIDERS[0].scopes must include "openid"'],
    [[{ ...base, claims: { email: "email" } }], "OIDC_PROVIDERS[0].claims.email is not one of"],
    [{ not: "a list" }, "OIDC_PROVIDERS must be a JSON array"],
  ])("refuses a bad setting naming the field (%#)", (list, message) => {
    expect(() => parse(list)).toThrow(message);
  });

  it("refuses a demo provider in a production start, and allows plain http on loopback for it in a demonstration", () => {
    const demo = { ...base, issuer: "http://127.0.0.1:3100", demo: true };
    expect(() => parse([demo])).toThrow(/OIDC_PROVIDERS\[0\]\.demo .*production start refuses/);
    expect(parse([demo], true)[0].demo).toBe(true);
    expect(() => parse([{ ...base, issuer: "http://127.0.0.1:3100" }], true)).toThrow(/issuer must be an https URL/);
  });
});

describe("verified claims", () => {
  const provider = parse([base])[0];
  const claims = verifiedClaimsFrom(provider, { ...DEMO_CITIZENS[0] }, new Date("2026-12-05T00:00:00Z"));

  it("keeps ThaID's pid, name, birthdate and address, and drops a national ID with a bad check digit", () => {
    expect(claims).toMatchObject({ pid: "1101700234568", name: "สมศรี มีสุข", birthdate: "1990-04-13", address: { province: "นนทบุรี", postcode: "11000" } });
    expect(verifiedClaimsFrom(provider, { ...DEMO_CITIZENS[0], pid: "1101700234567" }, new Date()).pid).toBeUndefined();
  });

  it("fills prefilled fields and names each one that was changed", () => {
    const schema = { type: "object", properties: { who: { type: "object", properties: { id: { type: "string", "x-prefill": "pid" }, name: { type: "string", "x-prefill": "name" } } } } };
    const data = applyPrefill(schema, { who: { name: "x" } }, claims);
    expect(data).toEqual({ who: { id: "1101700234568", name: "สมศรี มีสุข" } });
    expect(prefillMismatches(schema, data, claims)).toEqual([]);
    expect(prefillMismatches(schema, { who: { id: "3100600123450", name: "สมศรี มีสุข" } }, claims).map((e) => e.pointer)).toEqual(["/who/id"]);
    expect(prefillMismatches(schema, { who: { id: "3100600123450" } }, null)).toEqual([]);
  });
});

describe("the studio's prefill setting", () => {
  const form = { schema: { type: "object", title: "t", properties: { nid: { type: "string", title: "ID", format: "thai-national-id" }, born: { type: "string", title: "Born", format: "date" } } }, uiSchema: {} };

  it("writes x-prefill for a claim the field can hold and removes it again", () => {
    const set = updateField(form, "/nid", { prefill: "pid" });
    expect((set.schema.properties as Record<string, Record<string, unknown>>).nid["x-prefill"]).toBe("pid");
    expect(findBuilderField(set, "/nid")?.prefill).toBe("pid");
    expect(findBuilderField(updateField(set, "/nid", { prefill: null }), "/nid")?.prefill).toBeUndefined();
  });

  it("refuses a claim the field cannot hold", () => {
    expect(() => updateField(form, "/born", { prefill: "address" })).toThrow(/cannot be prefilled/);
  });
});
