/**
 * The transition's own run of its effects (issue 12): it is handed the case as written and the ids of the effects
 * it queued, so it neither reads the case again nor looks up run records they cannot have yet — and stays right
 * when a second transition lands while the first's effects run, when another process holds or races for the
 * same effects (leases), and when a process dies between an effect and its record (test/services/permit-crash).
 */
import { spawn } from "node:child_process";
import mongoose from "mongoose";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { getCase, type CaseDoc } from "~/models/case.server";
import { claim } from "~/models/claim.server";
import { getEffectRuns, listPendingEffects, markEffectDone } from "~/models/effect-run.server";
import { drainEffectRunner, scheduleCaseEffects, settleCaseEffects } from "~/services/effects/effect-runner.server";
import { forgetKnownDoneEffects, sweepPendingEffects } from "~/services/effects/run-effects.server";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { submitApplication } from "~/services/submit-application.server";
import { withTestDatabase } from "../support/db";
import { healthHazardApplication } from "../support/factories";
import { approver, citizen, HEALTH_HAZARD_SLUG, officer } from "../support/journeys";
import { startTestSmtp } from "../support/smtp";

const smtp = await startTestSmtp();
process.env.SMTP_URL = smtp.url;
withTestDatabase();
afterAll(async () => {
  await smtp.close();
  delete process.env.SMTP_URL;
});

/** Database commands sent through this process's mongoose connection, as "collection method". */
function countCommands() {
  const seen: string[] = [];
  mongoose.set("debug", (collection: string, method: string) => void seen.push(`${collection} ${method}`));
  return { count: (what: string) => seen.filter((s) => s === what).length, seen };
}
afterEach(() => {
  mongoose.set("debug", false);
  delete process.env.BORIKAN_HOLD_EFFECTS;
});

const emailOf = (n: number) => `applicant${n}@example.co.th`;

async function filed(n: number) {
  const { id } = await submitApplication(await citizen(), HEALTH_HAZARD_SLUG, await healthHazardApplication({}, n), "web");
  await settleCaseEffects(id);
  return id;
}

/** Fires an event with this process's runner held (effects queued and pending, not run) and returns the case as written. */
async function fireHeld(id: string, type: string, who: () => ReturnType<typeof officer>, comment?: string): Promise<{ record: CaseDoc; fresh: string[] }> {
  const before = (await getCase(id))!.effects.length;
  process.env.BORIKAN_HOLD_EFFECTS = "1";
  await fireCaseEvent(await who(), id, { type, comment });
  delete process.env.BORIKAN_HOLD_EFFECTS;
  const record = (await getCase(id))!;
  return { record, fresh: record.effects.slice(before).map((e) => e.id) };
}

/** Every effect of the case has its run record; pending entries left (by the runner, for the sweep) are all done. */
async function expectAllDone(id: string) {
  const record = (await getCase(id))!;
  const runs = await getEffectRuns(record.effects.map((e) => e.id));
  expect(record.effects.filter((e) => !runs.has(e.id)).map((e) => e.type)).toEqual([]);
  const left = (await listPendingEffects()).filter((p) => p.caseId === id);
  expect(left.filter((p) => !runs.has(p._id))).toEqual([]);
}

describe("the transition's own run of its effects", () => {
  it("reads neither the case again nor the run records of the effects it queued", async () => {
    const id = await filed(1);
    const commands = countCommands();
    await fireCaseEvent(await officer(), id, { type: "ACCEPT" });
    await settleCaseEffects(id);
    // the request's own read of the case (a grouped find: decision 028), and nothing from the run
    expect(commands.count("cases find")).toBe(1);
    expect(commands.count("cases findOne")).toBe(0);
    expect(commands.count("effectruns find")).toBe(0);
    // the notice's lease and its record; its pending entry is left for the sweep
    expect(commands.count("claims insertMany")).toBe(0); // no revision claim: the guarded update decides (ADR 031)
    expect(commands.count("claims insertOne")).toBe(1); // the notice's
    expect(commands.count("effectruns insertMany")).toBe(1);
    expect(commands.count("pendingeffects deleteMany")).toBe(0);
    expect(smtp.mailsTo(emailOf(1))).toHaveLength(1);
    await expectAllDone(id);
  });

  it("a run that starts after a second transition of the case uses the newest case, never an older one handed later", async () => {
    const id = await filed(2);
    const accepted = await fireHeld(id, "ACCEPT", officer);
    await fireHeld(id, "RECORD_INSPECTION", officer, "ผ่านการตรวจ");
    const approved = await fireHeld(id, "APPROVE", approver);
    expect(approved.record.rev).toBeGreaterThan(accepted.record.rev);

    const commands = countCommands();
    // The first run starts at once with the accepted case; the approval lands while it runs and waits for it;
    // the accepted case handed again (a slow request of the older transition) must not replace the newer one.
    const first = scheduleCaseEffects(id, accepted)!;
    const second = scheduleCaseEffects(id, approved)!;
    expect(scheduleCaseEffects(id, accepted)).toBe(second);
    expect((await first).ran).toEqual(accepted.fresh);
    expect((await second).ran).toEqual(approved.fresh); // the letter, the fee, the notice: all from the newest case
    expect(commands.count("cases findOne")).toBe(0);
    // only the approval's notice reads run records: the letter's, to attach it
    expect(commands.count("effectruns find")).toBe(1);

    const mails = smtp.mailsTo(emailOf(2));
    expect(mails).toHaveLength(2);
    expect(mails[1]!.mail.attachments.length).toBeGreaterThan(0); // the approval's letter went with its notice
    await expectAllDone(id);
  });

  it("a case handed with an older revision than the running run's is read afresh instead", async () => {
    const id = await filed(3);
    const accepted = await fireHeld(id, "ACCEPT", officer);
    const inspected = await fireHeld(id, "RECORD_INSPECTION", officer, "ผ่านการตรวจ");
    const commands = countCommands();
    const first = scheduleCaseEffects(id, inspected)!;
    const second = scheduleCaseEffects(id, accepted)!;
    expect(second).not.toBe(first);
    await second;
    expect(commands.count("cases findOne")).toBe(1);
    expect(smtp.mailsTo(emailOf(3))).toHaveLength(1);
    await expectAllDone(id);
  });

  it("does not run a new effect whose lease another process holds, and skips it once that process has recorded it", async () => {
    const id = await filed(4);
    const accepted = await fireHeld(id, "ACCEPT", officer);
    const notice = accepted.fresh[0]!;
    expect(await claim(`effect:${notice}`)).toBe(true); // another process took it

    expect(await scheduleCaseEffects(id, accepted)).toEqual({ ran: [], blocked: notice });
    expect(smtp.mailsTo(emailOf(4))).toHaveLength(0);

    await markEffectDone({ _id: notice, caseId: id, type: "notifyApplicant", at: new Date(), result: { channel: "email" } });
    await drainEffectRunner();
    forgetKnownDoneEffects();
    // handed the same case again (its run record is not read, the lease is taken): seen done, not blocked, not re-run
    const again = (await scheduleCaseEffects(id, accepted))!;
    expect(again.blocked).toBeUndefined();
    expect(again.ran).not.toContain(notice);
    expect(smtp.mailsTo(emailOf(4))).toHaveLength(0);
  });

  it("with two other processes racing for the same new effects, each runs once", async () => {
    const id = await filed(5);
    const accepted = await fireHeld(id, "ACCEPT", officer);
    const children = [0, 1].map(() => spawn(process.execPath, ["--import", "tsx", "test/support/children/run-case-effects.ts", id], { env: { ...process.env }, stdio: ["pipe", "pipe", "inherit"] }));
    const outputs = children.map((child) => {
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
      return {
        ready: new Promise<void>((resolve) => child.stdout.on("data", () => out.includes("ready") && resolve())),
        done: new Promise<string>((resolve) => child.on("exit", (code) => resolve(`${code} ${out}`))),
      };
    });
    await Promise.all(outputs.map((o) => o.ready));
    for (const child of children) child.stdin.write("go\n");
    const mine = await scheduleCaseEffects(id, accepted)!;
    const theirs = await Promise.all(outputs.map((o) => o.done));
    for (const out of theirs) expect(out).toMatch(/^0 /);
    const ranBy = [JSON.stringify(mine), ...theirs].filter((o) => o.includes(accepted.fresh[0]!) && o.includes('"ran":[') && !o.includes(`"ran":[]`));
    expect(ranBy).toHaveLength(1);
    await settleCaseEffects(id);
    expect(smtp.mailsTo(emailOf(5))).toHaveLength(1);
    await expectAllDone(id);
  });

  it("the worker's sweep drops the entries the runners left, in one look-up and one delete, and runs nothing again", async () => {
    const ids = [await filed(6), await filed(7)];
    for (const id of ids) {
      await fireCaseEvent(await officer(), id, { type: "ACCEPT" });
      await settleCaseEffects(id);
    }
    const left = (await listPendingEffects()).filter((p) => ids.includes(p.caseId));
    expect(left).toHaveLength(2); // the two notices'
    const mails = smtp.inbox.length;

    const commands = countCommands();
    expect(await sweepPendingEffects()).toBe(0);
    expect(commands.count("pendingeffects find")).toBe(1);
    expect(commands.count("effectruns find")).toBe(1);
    expect(commands.count("pendingeffects deleteMany")).toBe(1);
    expect(commands.count("cases findOne")).toBe(0);
    expect(await listPendingEffects()).toEqual([]);
    expect(smtp.inbox.length).toBe(mails);
  });
});
