import { execFile } from "node:child_process";
import { promisify } from "node:util";
import mongoose from "mongoose";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { hashAuditEntry, type AuditEntryInput } from "~/core/audit/chain";
import { verifyChainSegment } from "~/core/audit/verify";
import { auditStore } from "~/models/audit-entry.server";
import { createServiceDraft, publishServiceDraft } from "~/services/admin/service-admin.server";
import { appendAuditEntry } from "~/services/audit/append-audit-entry.server";
import { recordSignIn } from "~/services/audit/record-sign-in.server";
import { lastAuditEntry, signAuditCheckpoint } from "~/services/audit/sign-audit-checkpoint.server";
import { verifyAuditChains } from "~/services/audit/verify-audit-chains.server";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { changeStatus } from "~/services/permit-lifecycle.server";
import { DEMO_API_KEY } from "~/services/seed-demo.server";
import { submitApplication } from "~/services/submit-application.server";
import { hashApiKey } from "~/utils/passwords.server";
import type { Actor } from "~/core/actor";
import { findApiClientByKeyHash } from "~/models/api-client.server";
import { insertPermit } from "~/models/permit.server";
import { findUserByEmail } from "~/models/user.server";
import { withTestDatabase } from "../support/db";
import { permitFixture } from "../support/permits";
import { approver, caseAwaitingDecision, citizen as demoCitizen, demoActor, HEALTH_HAZARD_SLUG, officer } from "../support/journeys";
import { healthHazardApplication } from "../support/factories";

withTestDatabase();

const run = promisify(execFile);

function input(n: number, action: AuditEntryInput["action"] = "case.transition"): AuditEntryInput {
  return {
    at: new Date(),
    actor: { kind: "staff", id: `officer-${n % 4}`, name: `Officer ${n % 4}` },
    action,
    target: { type: "case", id: `case-${n}` },
    details: { event: "ACCEPT", n },
  };
}

async function chainOf(agencyId: string, length: number): Promise<void> {
  for (let n = 1; n <= length; n++) await appendAuditEntry(agencyId, input(n));
}

const entries = () => mongoose.connection.collection<{ _id: string } & Record<string, unknown>>("audit_entries");

async function problemsOf(agencyId: string) {
  const report = (await verifyAuditChains()).find((r) => r.agencyId === agencyId);
  if (!report) throw new Error(`no report for ${agencyId}`);
  return report.problems.map((p) => `${p.kind}#${p.seq}`);
}

describe("appending to an agency's audit chain", () => {
  let second: mongoose.Connection;
  beforeAll(async () => {
    second = await mongoose.createConnection(process.env.MONGODB_URI!).asPromise();
  });
  afterAll(async () => {
    await second.close();
  });

  it("gives 50 concurrent appends from two connections seq 1..50 on one unforked, valid chain", async () => {
    const agencyId = "race";
    const stores = [auditStore(mongoose.connection), auditStore(second)];
    await Promise.all(Array.from({ length: 50 }, (_, i) => appendAuditEntry(agencyId, input(i + 1), stores[i % 2])));

    const stored = await stores[0].findEntries(agencyId, 1, 60);
    expect(stored.map((e) => e.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    // every append is there exactly once, and every entry links to the one before it
    expect(new Set(stored.map((e) => e.target.id)).size).toBe(50);
    expect(new Set(stored.map((e) => e.prevHash)).size).toBe(50);
    expect(verifyChainSegment({ agencyId, from: 1, to: 50, entries: stored })).toEqual([]);
    expect((await lastAuditEntry(agencyId))?.seq).toBe(50);
    expect(await problemsOf(agencyId)).toEqual([]);
  });

  it("writes appends that arrive together in one process as one batch, in the order they were made", async () => {
    const agencyId = "grouped";
    await chainOf(agencyId, 1);
    const store = auditStore();
    const batches: number[] = [];
    const counting = { ...store, insertEntries: (entries: Parameters<typeof store.insertEntries>[0]) => (batches.push(entries.length), store.insertEntries(entries)) };
    const appended = await Promise.all(Array.from({ length: 20 }, (_, i) => appendAuditEntry(agencyId, input(i + 2), counting)));
    expect(appended.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    expect(appended.map((e) => e.target.id)).toEqual(Array.from({ length: 20 }, (_, i) => `case-${i + 2}`));
    // collected at the end of the turn they were made in: all 20 go together (the first no longer goes alone)
    expect(batches).toEqual([20]);
    expect(await problemsOf(agencyId)).toEqual([]);
  });

  it("appends after its own last entry without reading it back, and after another process's entries when one appended in between", async () => {
    const agencyId = "interleaved";
    const here = auditStore(mongoose.connection);
    const reads: number[] = [];
    const counting = { ...here, findEntry: (agency: string, seq: number) => (reads.push(seq), here.findEntry(agency, seq)) };
    await appendAuditEntry(agencyId, input(1), counting);
    reads.length = 0;
    expect((await appendAuditEntry(agencyId, input(2), counting)).seq).toBe(2);
    // the usual case: one insert, no read
    expect(reads).toEqual([]);
    // another process (its own connection and memory) appends #3 and #4
    const elsewhere = auditStore(second);
    expect((await appendAuditEntry(agencyId, input(3), elsewhere)).seq).toBe(3);
    expect((await appendAuditEntry(agencyId, input(4), elsewhere)).seq).toBe(4);
    // this process tries #3, finds it taken, walks to the end and links after #4
    const next = await Promise.all([appendAuditEntry(agencyId, input(5), counting), appendAuditEntry(agencyId, input(6), counting)]);
    expect(next.map((e) => e.seq)).toEqual([5, 6]);
    const stored = await here.findEntries(agencyId, 1, 10);
    expect(stored.map((e) => e.target.id)).toEqual(["case-1", "case-2", "case-3", "case-4", "case-5", "case-6"]);
    expect(verifyChainSegment({ agencyId, from: 1, to: 6, entries: stored })).toEqual([]);
    expect(await problemsOf(agencyId)).toEqual([]);
  });

  it("keeps appending after the head hint fell behind (a lost head update)", async () => {
    const agencyId = "lagging-head";
    await chainOf(agencyId, 3);
    await mongoose.connection.collection<{ _id: string }>("audit_heads").updateOne({ _id: agencyId }, { $set: { seq: 1 } });
    const next = await appendAuditEntry(agencyId, input(4));
    expect(next.seq).toBe(4);
    expect(await problemsOf(agencyId)).toEqual([]);
  });
});

describe("verifying the chains", () => {
  it("reports an entry whose details were edited, and only that entry", async () => {
    await chainOf("edited", 8);
    await entries().updateOne({ _id: "edited:4" }, { $set: { details: { event: "APPROVE", n: 4 } } });
    expect(await problemsOf("edited")).toEqual(["edited#4"]);
  });

  it("reports a deleted entry as missing", async () => {
    await chainOf("deleted", 8);
    await entries().deleteOne({ _id: "deleted:6" });
    expect(await problemsOf("deleted")).toEqual(["missing#6"]);
  });

  it("reports two swapped entries as reordered at both positions", async () => {
    await chainOf("swapped", 8);
    const [third, fifth] = await Promise.all([entries().findOne({ _id: "swapped:3" }), entries().findOne({ _id: "swapped:5" })]);
    const { _id: id3, ...body3 } = third!;
    const { _id: id5, ...body5 } = fifth!;
    await entries().replaceOne({ _id: id3 }, body5);
    await entries().replaceOne({ _id: id5 }, body3);
    expect(await problemsOf("swapped")).toEqual(["reordered#3", "reordered#5"]);
  });

  it("reports a signed checkpoint that was tampered with, and a chain end rewritten under a checkpoint", async () => {
    await chainOf("signed", 5);
    const signed = await signAuditCheckpoint("signed");
    expect(signed).toMatchObject({ signed: true, seq: 5 });
    expect(await signAuditCheckpoint("signed")).toMatchObject({ signed: false, reason: "unchanged" });
    expect(await problemsOf("signed")).toEqual([]);

    // the stored hash no longer what was signed
    const checkpoints = mongoose.connection.collection<{ _id: string; hash: string }>("audit_checkpoints");
    const original = await checkpoints.findOne({ _id: "signed:5" });
    await checkpoints.updateOne({ _id: "signed:5" }, { $set: { hash: "0".repeat(64) } });
    expect(await problemsOf("signed")).toEqual(["checkpoint#5"]);
    await checkpoints.updateOne({ _id: "signed:5" }, { $set: { hash: original!.hash } });

    // the last entry rewritten with a recomputed hash: no later link breaks, the checkpoint does
    const store = auditStore();
    const last = (await store.findEntry("signed", 5))!;
    const forged = { ...last, details: { event: "REJECT" } };
    await entries().updateOne({ _id: "signed:5" }, { $set: { details: forged.details, hash: hashAuditEntry(forged) } });
    expect(await problemsOf("signed")).toEqual(["checkpoint#5"]);
  });

  it("will not sign a checkpoint over a chain that was already tampered with", async () => {
    await chainOf("tampered-unsigned", 4);
    await entries().updateOne({ _id: "tampered-unsigned:2" }, { $set: { details: { event: "APPROVE" } } });
    expect(await signAuditCheckpoint("tampered-unsigned")).toMatchObject({ signed: false, reason: "broken" });
  });
});

describe("npm run audit:verify", () => {
  it("exits 0 with a summary when intact and 1 naming the agency and seq when an entry was edited", async () => {
    const uri = `${inject("mongoBaseUri")}borikan_audit_cli_${Math.random().toString(36).slice(2, 8)}`;
    const connection = await mongoose.createConnection(uri).asPromise();
    try {
      const store = auditStore(connection);
      for (let n = 1; n <= 5; n++) await appendAuditEntry("cli-agency", input(n), store);
      const env: NodeJS.ProcessEnv = { ...process.env, MONGODB_URI: uri, NODE_ENV: "test" };
      const intact = await run(process.execPath, ["--import", "tsx", "scripts/audit-verify.ts"], { env });
      expect(intact.stdout).toMatch(/cli-agency: intact — 5 entries/);
      expect(intact.stdout).toMatch(/audit:verify OK — 1 chain\(s\) intact/);

      await connection.collection<{ _id: string }>("audit_entries").updateOne({ _id: "cli-agency:3" }, { $set: { "actor.name": "Someone else" } });
      const failed = await run(process.execPath, ["--import", "tsx", "scripts/audit-verify.ts"], { env }).then(
        () => null,
        (error: { code: number; stdout: string }) => error,
      );
      expect(failed?.code).toBe(1);
      expect(failed?.stdout).toMatch(/cli-agency #3 edited/);
      expect(failed?.stdout).toMatch(/audit:verify FAILED — 1 of 1 chain\(s\) tampered/);
    } finally {
      await connection.dropDatabase();
      await connection.close();
    }
  });
});

describe("what is recorded", () => {
  it("records the officer's transitions in the agency's chain, and not the citizen's filing", async () => {
    const before = (await lastAuditEntry("sukjai"))?.seq ?? 0;
    const caseId = await caseAwaitingDecision(901);
    const staff = await officer();
    const recorded = await auditStore().findEntries("sukjai", before + 1, before + 10);
    expect(recorded.map((e) => [e.action, e.actor.id, e.target.id, e.details.event])).toEqual([
      ["case.transition", staff.id, caseId, "ACCEPT"],
      ["case.transition", staff.id, caseId, "RECORD_INSPECTION"],
    ]);
    expect(recorded[0].details).toMatchObject({ from: "completenessCheck", role: "officer", commented: false });
  });

  it("records an API key's filing and its staff moves in the agency's chain, as the key", async () => {
    const client = await findApiClientByKeyHash(hashApiKey(DEMO_API_KEY));
    const key: Actor = { kind: "api", id: String(client!._id), name: client!.name, agencyId: client!.agencyId, roles: client!.roles };
    const before = (await lastAuditEntry("sukjai"))?.seq ?? 0;
    const filed = await submitApplication(key, HEALTH_HAZARD_SLUG, await healthHazardApplication({}, 903), "api");
    // Four eyes: the key may not move what it filed, so it moves a citizen's case.
    const citizens = await submitApplication(await demoCitizen(), HEALTH_HAZARD_SLUG, await healthHazardApplication({}, 904), "web");
    await fireCaseEvent(key, citizens.id, { type: "ACCEPT" });
    const recorded = await auditStore().findEntries("sukjai", before + 1, before + 5);
    expect(recorded.map((e) => [e.action, e.actor.kind, e.actor.id, e.target.id])).toEqual([
      ["case.file", "api", key.id, filed.id],
      ["case.transition", "api", key.id, citizens.id],
    ]);
  });

  it("records a permit status change by the approver with its reason", async () => {
    const permit = permitFixture({ number: "SKJ-HH-2569-AUDIT1" });
    expect(await insertPermit(permit)).toBe(true);
    const boss = await approver();
    await changeStatus(boss, permit.number, { to: "suspended", reason: "ตรวจพบการฝ่าฝืนเงื่อนไข" });
    expect(await lastAuditEntry("sukjai")).toMatchObject({
      action: "permit.status",
      actor: { kind: "staff", id: boss.id },
      target: { type: "permit", id: permit.number },
      details: { from: "valid", to: "suspended", reason: "ตรวจพบการฝ่าฝืนเงื่อนไข" },
    });
  });

  it("records a service published by the agency admin", async () => {
    const admin = await demoActor("admin@sukjai.demo.borikan.local");
    const draft = await createServiceDraft(admin, { slug: "sukjai-audited-service", fromTemplate: "health-hazard-licence" });
    const { version } = await publishServiceDraft(admin, draft.slug, { rev: draft.rev });
    expect(await lastAuditEntry("sukjai")).toMatchObject({
      action: "service.publish",
      actor: { kind: "staff", id: admin.id },
      target: { type: "service", id: "sukjai-audited-service" },
      details: { version, template: false },
    });
  });

  it("records failed sign-ins: to the agency for a staff account, to OPDC's chain as a hash for an unknown address", async () => {
    const account = await findUserByEmail("officer@sukjai.demo.borikan.local");
    await recordSignIn("officer@sukjai.demo.borikan.local", null);
    expect(await lastAuditEntry("sukjai")).toMatchObject({ action: "sign-in.failed", actor: { kind: "anonymous" }, target: { type: "user", id: String(account!._id) } });

    await recordSignIn("nobody@example.com", null);
    const platform = await lastAuditEntry("opdc");
    expect(platform).toMatchObject({ action: "sign-in.failed", target: { type: "email" } });
    expect(JSON.stringify(platform)).not.toContain("nobody@example.com");

    await recordSignIn("officer@sukjai.demo.borikan.local", account);
    expect(await lastAuditEntry("sukjai")).toMatchObject({ action: "sign-in", actor: { kind: "staff", id: String(account!._id) } });
  });
});
