import { CompactSign, base64url } from "jose";
import mongoose from "mongoose";
import { describe, expect, it } from "vitest";
import { verifyPermitJws } from "~/core/permits/permit-signature";
import { permitSequenceName, yearBEOf } from "~/core/permits/permit-rules";
import { sequenceHint } from "~/models/counter.server";
import { todayInBangkok } from "~/core/thai/buddhist-date";
import { getPermit, insertPermit } from "~/models/permit.server";
import { getFile } from "~/models/stored-file.server";
import { caseDocuments } from "~/services/case-documents.server";
import { publishedKeySet } from "~/services/document-signing.server";
import { settleCaseEffects } from "~/services/effects/effect-runner.server";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { changeStatus } from "~/services/permit-lifecycle.server";
import { permitFileId } from "~/services/permit-documents.server";
import { verifyPermitNumber } from "~/services/verify-permit.server";
import { getCase } from "~/models/case.server";
import { withTestDatabase } from "../support/db";
import { cloneSlug } from "~/services/seed-demo.server";
import { submitApplication } from "~/services/submit-application.server";
import { healthHazardApplication, thaiNationalId } from "../support/factories";
import { approver, caseAwaitingDecision, caseAwaitingFee, citizen, demoActor, officer } from "../support/journeys";
import { expectAppError } from "../support/errors";

withTestDatabase();

const YEAR = yearBEOf(todayInBangkok());

async function issue(n: number, overrides = {}): Promise<{ caseId: string; number: string }> {
  const caseId = await caseAwaitingFee(n, overrides);
  await fireCaseEvent(await officer(), caseId, { type: "FEE_PAID" });
  await settleCaseEffects(caseId);
  const record = await getCase(caseId);
  const docs = await caseDocuments(record!);
  const permit = docs.issued.find((d) => d.kind === "permit");
  if (permit?.kind !== "permit") throw new Error(`case ${caseId} has no permit: ${JSON.stringify(docs)}`);
  return { caseId, number: permit.number };
}


describe("issuing a permit from the workflow", () => {
  it("maps the form into the permit, signs it, stores its PDF once and lists it on the case", async () => {
    // imported paper-era permits of this year already hold the numbers up to the hint
    const before = await sequenceHint(permitSequenceName("sukjai", "HH", YEAR));
    const { caseId, number } = await issue(1, { business: { name: "ร้านเสริมสวยสมหญิงบิวตี้" } });
    expect(number).toBe(`SKJ-HH-${YEAR}-${String(before + 1).padStart(5, "0")}`);
    const permit = (await getPermit(number))!;
    expect(permit).toMatchObject({
      agencyId: "sukjai",
      typeCode: "HH",
      businessName: "ร้านเสริมสวยสมหญิงบิวตี้",
      holderName: "สมชาย ใจดี 1",
      status: "valid",
      source: "issued",
      caseId,
      issuedOn: todayInBangkok(),
    });
    // the activity is printed by its label, not its code; the address as a Thai address line
    expect(permit.activity).toMatch(/[ก-๙]/);
    expect(permit.address.text).toContain("จังหวัดนนทบุรี");
    expect(permit.address.province).toBe("นนทบุรี");
    expect(permit.validUntil > permit.validFrom).toBe(true);
    // no personal data beyond what is printed (the applicant's own ID, not any 13 digits: ids in hex can hold such runs)
    const printed = JSON.stringify(permit);
    expect(printed).not.toMatch(/nationalId|applicant1@example/);
    expect(printed).not.toContain(thaiNationalId(1));

    const check = await verifyPermitJws(permit.signature.jws, await publishedKeySet());
    expect(check.ok && check.payload).toMatchObject({ number, holder: permit.holderName, agency: "sukjai", until: permit.validUntil });

    const pdf = await getFile(permitFileId(number));
    expect(pdf?.contentType).toBe("application/pdf");
    expect(pdf!.data.subarray(0, 5).toString()).toBe("%PDF-");

    const docs = await caseDocuments((await getCase(caseId))!);
    expect(docs.issued.map((d) => d.kind)).toEqual(["letter", "receipt", "permit"]); // approval letter, then the permit
    expect(docs.pending).toEqual([]);
  });

  it("gives concurrent approvals distinct, gap-free numbers", async () => {
    const staff = await officer();
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push(await caseAwaitingFee(20 + i));
    const before = await sequenceHint(permitSequenceName("sukjai", "HH", YEAR));
    await Promise.all(ids.map((id) => fireCaseEvent(staff, id, { type: "FEE_PAID" })));
    await Promise.all(ids.map((id) => settleCaseEffects(id)));
    const numbers: string[] = [];
    for (const id of ids) {
      const permit = (await caseDocuments((await getCase(id))!)).issued.find((d) => d.kind === "permit");
      numbers.push(permit?.kind === "permit" ? permit.number : "missing");
    }
    const seqs = numbers.map((n) => Number(n.split("-").pop())).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(6);
    // six numbers right after the last one, with no hole
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6].map((i) => before + i));
  });

  it("skips a number a permit from elsewhere already holds, leaving that permit as it was", async () => {
    // given a paper-era permit that holds the next number without having moved the sequence (the permit is
    // inserted first and looked up only when the number turns out to be taken)
    const base = await issue(40);
    const hint = await sequenceHint(permitSequenceName("sukjai", "HH", YEAR));
    const taken = `SKJ-HH-${YEAR}-${String(hint + 1).padStart(5, "0")}`;
    const paper = { ...(await getPermit(base.number))!, number: taken, holderName: "ผู้ถือใบอนุญาตฉบับกระดาษ", source: "import" as const, caseId: undefined, effectId: undefined };
    expect(await insertPermit(paper)).toBe(true);
    // when a case is paid
    const { caseId, number } = await issue(41);
    // then its permit takes the number after, and the paper-era one is untouched
    expect(number).toBe(`SKJ-HH-${YEAR}-${String(hint + 2).padStart(5, "0")}`);
    expect(await getPermit(number)).toMatchObject({ caseId, source: "issued" });
    expect(await getPermit(taken)).toMatchObject({ holderName: "ผู้ถือใบอนุญาตฉบับกระดาษ", source: "import", rev: paper.rev });
    expect((await getPermit(taken))!.effectId).toBeUndefined();
    expect(await getFile(permitFileId(number))).not.toBeNull();
  });

  it("returns from the transition with the permit still being prepared; it appears once the effects have run", async () => {
    const caseId = await caseAwaitingFee(30);
    const before = await sequenceHint(permitSequenceName("sukjai", "HH", YEAR));
    // given a web process whose runner is held (test gate), so the state between the two is observable
    process.env.BORIKAN_HOLD_EFFECTS = "1";
    try {
      const moved = await fireCaseEvent(await officer(), caseId, { type: "FEE_PAID" });
      expect(moved).toMatchObject({ state: "permitIssued", documents: { pending: [expect.objectContaining({ kind: "receipt", effect: "recordPayment" }), expect.objectContaining({ kind: "permit", effect: "issuePermit", state: "preparing" }), expect.objectContaining({ kind: "notice" })] } });
      const waiting = await caseDocuments((await getCase(caseId))!);
      expect(waiting.pending.map((p) => [p.kind, p.state])).toEqual([["receipt", "preparing"], ["permit", "preparing"], ["notice", "preparing"]]);
      expect(waiting.issued.map((d) => d.kind)).toEqual(["letter"]);
      expect(await sequenceHint(permitSequenceName("sukjai", "HH", YEAR))).toBe(before); // no number taken yet
    } finally {
      delete process.env.BORIKAN_HOLD_EFFECTS;
    }
    // when the effects are settled (the runner, the worker or a test), the permit is there and nothing is pending
    expect((await settleCaseEffects(caseId)).ran).toHaveLength(3); // recordPayment, issuePermit, notifyApplicant
    const done = await caseDocuments((await getCase(caseId))!);
    expect(done.pending).toEqual([]);
    expect(done.issued.map((d) => d.kind)).toEqual(["letter", "receipt", "permit"]);
  });

  it("issues a signed rejection letter carrying the approver's reasons", async () => {
    const id = await caseAwaitingDecision(40);
    await fireCaseEvent(await approver(), id, { type: "REJECT", comment: "สถานที่ไม่มีระบบระบายอากาศตามข้อบัญญัติ ข้อ 12" });
    await settleCaseEffects(id);
    const docs = (await caseDocuments((await getCase(id))!)).issued;
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ kind: "letter", title: { en: "Decision letter (refused) with reasons" } });
    expect((docs[0] as { number: string }).number).toMatch(new RegExp(`^SKJ-L-${YEAR}-\\d{5}$`));
  });
});

describe("signatures", () => {
  it("detects a tampered payload, a foreign key and a stored record changed after signing", async () => {
    const { number } = await issue(50);
    const permit = (await getPermit(number))!;
    const keys = await publishedKeySet();
    const [header, payload, signature] = permit.signature.jws.split(".");

    const claimed = JSON.parse(new TextDecoder().decode(base64url.decode(payload!))) as Record<string, string>;
    const forged = base64url.encode(JSON.stringify({ ...claimed, until: "2600-01-01" }));
    const tampered = await verifyPermitJws(`${header}.${forged}.${signature}`, keys);
    expect(tampered).toMatchObject({ ok: false, code: "BAD_SIGNATURE" });

    const truncated = await verifyPermitJws(permit.signature.jws.slice(0, 40), keys);
    expect(truncated).toMatchObject({ ok: false, code: "MALFORMED" });

    // signed by a key nobody published
    const { generateKeyPair } = await import("jose");
    const stranger = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    const strangerJws = await new CompactSign(new TextEncoder().encode(JSON.stringify(claimed)))
      .setProtectedHeader({ alg: "EdDSA", kid: "sukjai-forged", typ: "borikan-permit+jws" })
      .sign(stranger.privateKey);
    expect(await verifyPermitJws(strangerJws, keys)).toMatchObject({ ok: false, code: "UNKNOWN_KEY" });

    // someone edits the stored record directly: the verify API notices
    await mongoose.connection.collection<{ _id: string }>("permits").updateOne({ _id: number }, { $set: { holderName: "คนอื่น" } });
    const online = await verifyPermitNumber(number);
    expect(online).toMatchObject({ valid: false, status: "valid", signature: { valid: false, mismatchedFields: ["holder"] } });
  });

  it("publishes one key per agency and keeps it across signings", async () => {
    const keys = await publishedKeySet();
    const sukjai = keys.keys.filter((k) => k.agency === "sukjai");
    expect(sukjai).toHaveLength(1);
    expect(sukjai[0]!.jwk).toMatchObject({ kty: "OKP", crv: "Ed25519", kid: sukjai[0]!.kid });
    expect(JSON.stringify(keys)).not.toMatch(/"d":/); // never the private part
  });
});

describe("permit lifecycle", () => {
  it("suspends, reinstates and revokes with a reason; the verify answer changes at once", async () => {
    const { number } = await issue(60);
    const boss = await approver();
    expect((await verifyPermitNumber(number))!.valid).toBe(true);

    await changeStatus(boss, number, { to: "suspended", reason: "ตรวจพบการระบายน้ำเสียลงสาธารณะ" });
    expect(await verifyPermitNumber(number)).toMatchObject({ valid: false, status: "suspended" });

    await changeStatus(boss, number, { to: "valid", reason: "แก้ไขระบบบำบัดน้ำเสียแล้ว" });
    expect(await verifyPermitNumber(number)).toMatchObject({ valid: true, status: "valid" });

    const revoked = await changeStatus(boss, number, { to: "revoked", reason: "ฝ่าฝืนคำสั่งเจ้าพนักงานซ้ำ" });
    expect(revoked.history.map((h) => h.to)).toEqual(["suspended", "valid", "revoked"]);
    expect(await verifyPermitNumber(number)).toMatchObject({ valid: false, status: "revoked", permit: { statusReason: "ฝ่าฝืนคำสั่งเจ้าพนักงานซ้ำ" } });

    // revoked is final
    await expectAppError(() => changeStatus(boss, number, { to: "valid", reason: "ขอคืนสถานะ" }), "BAD_REQUEST");
  });

  it("requires a reason, the issuing agency's approver, and the current revision", async () => {
    const { number } = await issue(61);
    await expectAppError(async () => changeStatus(await approver(), number, { to: "revoked", reason: " " }), "COMMENT_REQUIRED");
    await expectAppError(async () => changeStatus(await officer(), number, { to: "revoked", reason: "ไม่มีสิทธิ์เพิกถอน" }), "FORBIDDEN");
    await expectAppError(
      async () => changeStatus(await demoActor("officer@thungthong.demo.borikan.local"), number, { to: "revoked", reason: "หน่วยงานอื่น" }),
      "FORBIDDEN",
    );
    const boss = await approver();
    await changeStatus(boss, number, { to: "suspended", reason: "ครั้งแรกที่เห็น", rev: 0 });
    await expectAppError(() => changeStatus(boss, number, { to: "revoked", reason: "เห็นข้อมูลเก่า", rev: 0 }), "STALE_REVISION");
    await expectAppError(() => changeStatus(boss, "SKJ-HH-0000-99999", { to: "revoked", reason: "ไม่มีอยู่จริง" }), "NOT_FOUND");
  });
});

describe("renewal", () => {
  const RENEWAL = cloneSlug("sukjai", "health-hazard-licence-renewal");
  const renewalData = async (previousPermit: string) => {
    const base = await healthHazardApplication({}, 70);
    return { renewal: { previousPermit, unchanged: true }, applicant: base.applicant, documents: { idCard: base.documents.idCard }, consent: true };
  };

  it("links the new permit to the one it renews, carries the premises over, and marks the old one renewed", async () => {
    const { number: old } = await issue(70, { business: { name: "โรงน้ำดื่มสุขใจ" } });
    const filed = await submitApplication(await citizen(), RENEWAL, await renewalData(old), "web");
    const staff = await officer();
    await fireCaseEvent(staff, filed.id, { type: "ACCEPT" });
    await fireCaseEvent(staff, filed.id, { type: "RECORD_INSPECTION", comment: "ยังถูกสุขลักษณะ" });
    await fireCaseEvent(await approver(), filed.id, { type: "APPROVE" });
    await fireCaseEvent(staff, filed.id, { type: "FEE_PAID" });
    await settleCaseEffects(filed.id);
    const docs = await caseDocuments((await getCase(filed.id))!);
    const fresh = docs.issued.find((d) => d.kind === "permit");
    const renewed = await getPermit(fresh?.kind === "permit" ? fresh.number : "");
    expect(renewed).toMatchObject({ renews: old, businessName: "โรงน้ำดื่มสุขใจ", status: "valid" });
    expect(await getPermit(old)).toMatchObject({ status: "renewed", renewedBy: renewed!.number });
    expect(await verifyPermitNumber(old)).toMatchObject({ valid: false, status: "renewed" });
  });

  it("refuses at filing a number that is unknown, revoked or of another type, pointing at the field", async () => {
    const { number } = await issue(71);
    await changeStatus(await approver(), number, { to: "revoked", reason: "เพิกถอนก่อนต่ออายุ" });
    for (const [previous, message] of [
      ["SKJ-HH-2500-00999", "No permit with this number"],
      [number, "cannot be renewed"],
    ] as const) {
      const error = await expectAppError(async () => submitApplication(await citizen(), RENEWAL, await renewalData(previous), "web"), "FORM_INVALID");
      const fields = (error.details as { fields: { pointer: string; message: { en: string } }[] }).fields;
      expect(fields).toEqual([expect.objectContaining({ pointer: "/renewal/previousPermit" })]);
      expect(fields[0]!.message.en).toContain(message);
    }
  });
});
