import { CompactSign, exportJWK, generateKeyPair } from "jose";
import stringify from "safe-stable-stringify";
import { describe, expect, it } from "vitest";
import { AUDIT_ACTIONS, isAuditAction } from "~/core/audit/actions";
import { auditEntryId, chainEntry, GENESIS_HASH, hashAuditEntry, parseAuditEntryId, type AuditEntryInput } from "~/core/audit/chain";
import { maskDetails, maskPersonalText } from "~/core/audit/mask";
import { CHECKPOINT_JWS_TYPE, matchesAuditFilter, verifyChainSegment, verifyCheckpoint, type StoredAuditEntry } from "~/core/audit/verify";
import type { KeySet } from "~/core/permits/permit-signature";

const AGENCY = "sukjai";

function input(n: number): AuditEntryInput {
  return {
    at: new Date(Date.UTC(2026, 11, 1, 3, 0, n)),
    actor: { kind: "staff", id: `u${n % 3}`, name: `Officer ${n % 3}` },
    action: n % 2 ? "case.transition" : "permit.status",
    target: { type: "case", id: `case-${n}` },
    details: { event: "ACCEPT", n },
  };
}

/** A chain of `length` entries as the database would hold them. */
function chain(length: number, agencyId = AGENCY): StoredAuditEntry[] {
  const entries: StoredAuditEntry[] = [];
  for (let n = 1; n <= length; n++) {
    const entry = chainEntry(agencyId, entries.at(-1) ?? null, input(n));
    entries.push({ ...entry, _id: auditEntryId(agencyId, entry.seq) });
  }
  return entries;
}

const verifyAll = (entries: StoredAuditEntry[], to = 10) => verifyChainSegment({ agencyId: AGENCY, from: 1, to, entries });
const summary = (problems: { seq: number; kind: string }[]) => problems.map((p) => `${p.kind}#${p.seq}`);

describe("the audit chain", () => {
  it("links each entry to the hash of the one before, starting from the genesis hash", () => {
    const entries = chain(3);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(entries[0].prevHash).toBe(GENESIS_HASH);
    expect(entries[1].prevHash).toBe(entries[0].hash);
    expect(entries[2].prevHash).toBe(entries[1].hash);
    expect(entries[2].hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("hashes the same entry to the same value whatever the key order of its details", () => {
    const [entry] = chain(1);
    const reordered = { ...entry, details: Object.fromEntries(Object.entries(entry.details).reverse()) };
    expect(hashAuditEntry(reordered)).toBe(entry.hash);
  });

  it("parses an entry id back into its agency and seq, agency ids with colons included", () => {
    expect(parseAuditEntryId("sukjai:12")).toEqual({ agencyId: "sukjai", seq: 12 });
    expect(parseAuditEntryId("a:b:3")).toEqual({ agencyId: "a:b", seq: 3 });
    expect(parseAuditEntryId("sukjai:zero")).toBeNull();
  });

  it("verifies an intact chain with no problems", () => {
    expect(verifyAll(chain(10))).toEqual([]);
  });

  it("reports an entry whose details were edited, and only that entry", () => {
    const entries = chain(10);
    entries[4] = { ...entries[4], details: { ...entries[4].details, event: "APPROVE" } };
    expect(summary(verifyAll(entries))).toEqual(["edited#5"]);
  });

  it("reports an entry rewritten with a recomputed hash at that entry, through the next entry's broken link", () => {
    const entries = chain(10);
    const forged = { ...entries[4], actor: { kind: "staff" as const, id: "someone-else", name: "X" } };
    entries[4] = { ...forged, hash: hashAuditEntry(forged) };
    expect(summary(verifyAll(entries))).toEqual(["edited#5"]);
  });

  it("reports a removed entry as missing, and nothing after it", () => {
    const entries = chain(10).filter((e) => e.seq !== 7);
    expect(summary(verifyAll(entries))).toEqual(["missing#7"]);
  });

  it("reports a removed last entry when the chain's end is known", () => {
    const entries = chain(10).slice(0, 9);
    expect(summary(verifyAll(entries, 10))).toEqual(["missing#10"]);
  });

  it("reports two swapped entries as reordered at both positions", () => {
    const entries = chain(10);
    const third = entries[2];
    entries[2] = { ...entries[4], _id: third._id };
    entries[4] = { ...third, _id: entries[4]._id };
    expect(summary(verifyAll(entries))).toEqual(["reordered#3", "reordered#5"]);
  });

  it("checks the first link of a window against the entry before it", () => {
    const entries = chain(10);
    const window = entries.slice(5);
    expect(verifyChainSegment({ agencyId: AGENCY, from: 6, to: 10, entries: window, before: entries[4] })).toEqual([]);
    const other = chain(5, AGENCY).map((e) => ({ ...e, details: { other: true } }));
    const rehashed = { ...other[4], hash: hashAuditEntry(other[4]) };
    expect(summary(verifyChainSegment({ agencyId: AGENCY, from: 6, to: 10, entries: window, before: rehashed }))).toEqual(["edited#5"]);
  });

  it("reports an entry of another agency's chain copied into this one as out of place", () => {
    const ours = chain(3);
    const theirs = chain(3, "other");
    ours[1] = { ...theirs[1], _id: ours[1]._id };
    expect(summary(verifyChainSegment({ agencyId: AGENCY, from: 1, to: 3, entries: ours }))).toEqual(["reordered#2"]);
  });
});

describe("signed checkpoints", () => {
  async function signer() {
    const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    const kid = `${AGENCY}-test`;
    const keySet: KeySet = { keys: [{ kid, agency: AGENCY, jwk: { ...(await exportJWK(publicKey)), kid } }] };
    const sign = (payload: object) =>
      new CompactSign(new TextEncoder().encode(stringify(payload))).setProtectedHeader({ alg: "EdDSA", kid, typ: CHECKPOINT_JWS_TYPE }).sign(privateKey);
    return { keySet, sign };
  }

  it("accepts a checkpoint that signed the entry as it still is", async () => {
    const { keySet, sign } = await signer();
    const entries = chain(4);
    const at = new Date("2026-12-01T04:00:00.000Z");
    const jws = await sign({ agency: AGENCY, seq: 4, hash: entries[3].hash, at: at.toISOString() });
    expect(await verifyCheckpoint({ agencyId: AGENCY, seq: 4, hash: entries[3].hash, at, jws }, keySet, entries[3])).toEqual([]);
  });

  it("reports a checkpoint whose signature was tampered with, whose record was altered, or whose entry was rewritten", async () => {
    const { keySet, sign } = await signer();
    const entries = chain(4);
    const at = new Date("2026-12-01T04:00:00.000Z");
    const jws = await sign({ agency: AGENCY, seq: 4, hash: entries[3].hash, at: at.toISOString() });
    const good = { agencyId: AGENCY, seq: 4, hash: entries[3].hash, at, jws };

    const [header, payload, signature] = jws.split(".");
    const flipped = `${signature.slice(0, -2)}${signature.endsWith("AA") ? "BA" : "AA"}`;
    const badSignature = await verifyCheckpoint({ ...good, jws: [header, payload, flipped].join(".") }, keySet, entries[3]);
    expect(badSignature.map((p) => p.kind)).toEqual(["checkpoint"]);

    const altered = await verifyCheckpoint({ ...good, hash: "f".repeat(64) }, keySet, entries[3]);
    expect(altered[0]?.message).toMatch(/differs from what was signed/);

    const rewritten = { ...entries[3], details: { rewritten: true } };
    const rewrittenChain = await verifyCheckpoint(good, keySet, { ...rewritten, hash: hashAuditEntry(rewritten) });
    expect(rewrittenChain[0]?.message).toMatch(/entry #4 differs from the one signed/);
  });
});

describe("what the log keeps", () => {
  it("masks national IDs and phone numbers, in text and nested values", () => {
    expect(maskPersonalText("ID 1101700203451 tel 0812345678")).toBe("ID x-xxxx-xxxxx-45-1 tel xxx-xxx-5678");
    expect(maskPersonalText("1-1017-00203-45-1")).toBe("x-xxxx-xxxxx-45-1");
    expect(maskDetails({ holder: { nationalId: "1101700203451" }, phones: ["02-123-4567"] })).toEqual({
      holder: { nationalId: "x-xxxx-xxxxx-45-1" },
      phones: ["xxx-xxx-4567"],
    });
  });

  it("renames keys the database refuses and drops prototype keys", () => {
    const details = JSON.parse('{"$where":"x","a.b":1,"__proto__":{"polluted":true},"ok":true}') as Record<string, unknown>;
    expect(maskDetails(details)).toEqual({ _where: "x", a_b: 1, ok: true });
  });

  it("names every action in one catalogue with Thai and English labels", () => {
    for (const [name, { label }] of Object.entries(AUDIT_ACTIONS)) {
      expect(isAuditAction(name)).toBe(true);
      expect(label.th && label.en).toBeTruthy();
    }
    expect(isAuditAction("toString")).toBe(false);
  });

  it("filters by action, actor, target and date range", () => {
    const [entry] = chain(1);
    expect(matchesAuditFilter(entry, { action: "case.transition", actorId: "u1", targetId: "case-1" })).toBe(true);
    expect(matchesAuditFilter(entry, { actorId: "officer 1" })).toBe(true);
    expect(matchesAuditFilter(entry, { action: "permit.status" })).toBe(false);
    expect(matchesAuditFilter(entry, { fromDate: new Date("2026-12-02T00:00:00Z") })).toBe(false);
    expect(matchesAuditFilter(entry, { toDate: new Date("2026-11-30T00:00:00Z") })).toBe(false);
  });
});
