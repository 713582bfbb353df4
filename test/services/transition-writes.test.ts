/**
 * Transition writes group-committed across concurrent transitions (ADR 021): the pending-effect entries and the case
 * updates of transitions of different cases share one command each, and each transition still gets its own
 * outcome — one winner per revision (the `{ _id, rev }` guard alone, ADR 031), a failing write fails only its own
 * transition, and an update that matched nothing is not reported as written.
 */
import mongoose from "mongoose";
import { afterEach, describe, expect, it } from "vitest";
import { AppError } from "~/core/errors";
import { applyCaseUpdate, getCase, type CaseDoc, type HistoryEntry } from "~/models/case.server";
import { getPendingEffects } from "~/models/effect-run.server";
import { drainEffectRunner, settleCaseEffects } from "~/services/effects/effect-runner.server";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { submitApplication } from "~/services/submit-application.server";
import { startReadyChild } from "../support/child-process";
import { advanceCaseRevisions } from "../support/race-revisions";
import { withTestDatabase } from "../support/db";
import { healthHazardApplication } from "../support/factories";
import { citizen, HEALTH_HAZARD_SLUG, officer } from "../support/journeys";

withTestDatabase();

/** Database commands sent through this process's mongoose connection, as "collection method". */
function countCommands() {
  const seen: string[] = [];
  mongoose.set("debug", (collection: string, method: string) => void seen.push(`${collection} ${method}`));
  return { count: (what: string) => seen.filter((s) => s === what).length, seen };
}
afterEach(() => {
  mongoose.set("debug", false);
});

async function fileCases(from: number, n: number): Promise<string[]> {
  const ids: string[] = [];
  // one after another: concurrent filing is not what this file is about
  for (let i = 0; i < n; i++) ids.push((await submitApplication(await citizen(), HEALTH_HAZARD_SLUG, await healthHazardApplication({}, from + i), "web")).id);
  await drainEffectRunner();
  return ids;
}

const load = async (id: string) => (await getCase(id)) as CaseDoc;
const entry = (event: string, from: string, to: string): HistoryEntry => ({ at: new Date(), actor: { kind: "staff", id: "t", name: "t" }, role: "officer", event, from, to });

describe("a transition outside a request", () => {
  // Decision 034: the stamp no longer waits for the case to be read (one wait fewer), and the run of the effects the
  // transition starts keeps the transition's stamp, as it keeps a request's.
  it("reads the configuration stamp alongside its case, once for itself and the effects it starts", async () => {
    const [id] = await fileCases(690, 1);
    const staff = await officer();
    const commands = countCommands();
    await fireCaseEvent(staff, id!, { type: "ACCEPT" });
    await settleCaseEffects(id!);
    mongoose.set("debug", false);
    const stamp = commands.seen.indexOf("config_stamps findOne");
    expect(stamp).toBeGreaterThanOrEqual(0);
    expect(stamp, commands.seen.join(", ")).toBeLessThan(commands.seen.indexOf("cases find"));
    expect(commands.count("config_stamps findOne"), commands.seen.join(", ")).toBe(1);
  });
});

describe("transitions of different cases at once", () => {
  it("share their writes (fewer commands than transitions) and each is written once, with its pending effects", async () => {
    const ids = await fileCases(700, 8);
    const staff = await officer();
    const commands = countCommands();
    process.env.BORIKAN_HOLD_EFFECTS = "1";
    const results = await Promise.all(ids.map((id) => fireCaseEvent(staff, id, { type: "ACCEPT", rev: 1 })));
    delete process.env.BORIKAN_HOLD_EFFECTS;
    mongoose.set("debug", false);
    // no revision claims (ADR 031); one command carried several transitions' entries and updates
    expect(commands.count("claims insertMany") + commands.count("claims insertOne")).toBe(0);
    expect(commands.count("pendingeffects insertMany")).toBeLessThan(ids.length);
    expect(commands.count("cases bulkWrite")).toBeLessThan(ids.length);
    // and their reads of the cases (decision 028), each transition still seeing its own case
    expect(commands.count("cases find") + commands.count("cases findOne")).toBeLessThan(ids.length);
    for (const [i, id] of ids.entries()) {
      const record = await load(id);
      expect(results[i]!.rev).toBe(2);
      expect(record.rev).toBe(2);
      expect(record.stateValue).toBe(results[i]!.state);
      expect(record.history.filter((h) => h.event === "ACCEPT")).toHaveLength(1);
      const queued = record.effects.slice(-1).map((e) => e.id);
      expect([...(await getPendingEffects(queued)).keys()]).toEqual(queued);
    }
    await drainEffectRunner();
  });

  it("let exactly one of two transitions of the same case win, the loser told in Thai and English, while the others in the batch go through", async () => {
    const ids = await fileCases(720, 6);
    const staff = await officer();
    const contested = ids[2]!;
    const outcomes = await Promise.allSettled([
      ...ids.map((id) => fireCaseEvent(staff, id, { type: "ACCEPT", rev: 1 })),
      fireCaseEvent(staff, contested, { type: "REQUEST_MISSING", rev: 1, comment: "ขาดแผนที่", data: { missingItems: ["/documents/siteMap"] } }),
    ]);
    const mine = [outcomes[2]!, outcomes[ids.length]!];
    expect(mine.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const lost = mine.find((o): o is PromiseRejectedResult => o.status === "rejected")!;
    expect(lost.reason).toBeInstanceOf(AppError);
    const error = lost.reason as AppError;
    expect(error.code).toBe("STALE_REVISION");
    expect(error.text.th).toMatch(/ถูกเปลี่ยนแปลงโดยผู้อื่น/);
    expect(error.text.en).toMatch(/Someone else changed this application/);
    for (const [i, o] of outcomes.slice(0, ids.length).entries()) if (i !== 2) expect(o.status, `case ${i}`).toBe("fulfilled");
    const record = await load(contested);
    expect(record.rev).toBe(2);
    expect(record.history.filter((h) => h.event !== "SUBMIT")).toHaveLength(1);
    await drainEffectRunner();
  });
});

describe("transitions of the same cases from two processes at once", () => {
  it("let exactly one transition per case win across the processes", async () => {
    const ids = await fileCases(820, 6);
    const other = startReadyChild<string[]>("test/support/children/fire-events.ts", ["ACCEPT", "officer@sukjai.demo.borikan.local", "1", ...ids]);
    await other.ready;
    const staff = await officer();
    const mine = await Promise.allSettled(
      ids.map((id) => fireCaseEvent(staff, id, { type: "REQUEST_MISSING", rev: 1, comment: "ขาดแผนที่", data: { missingItems: ["/documents/siteMap"] } })),
    );
    const theirs = await other.finished();
    expect(theirs.code, theirs.stderr).toBe(0);
    for (const [i, id] of ids.entries()) {
      const wins = [mine[i]!.status === "fulfilled", theirs.answer![i] === "won"].filter(Boolean);
      expect(wins, `case ${i}`).toHaveLength(1);
      if (mine[i]!.status === "rejected") expect(((mine[i] as PromiseRejectedResult).reason as AppError).code).toBe("STALE_REVISION");
      else expect(theirs.answer![i]).toBe("STALE_REVISION");
      const record = await load(id);
      expect(record.rev).toBe(2);
      expect(record.history.filter((h) => h.event !== "SUBMIT")).toHaveLength(1);
    }
    await drainEffectRunner();
  });
});

describe("one failing write of a batch", () => {
  it("fails only its own transition: a refused case update (a duplicate tracking number) leaves the others written", async () => {
    const ids = await fileCases(740, 5);
    const records = await Promise.all(ids.map(load));
    const results = await Promise.allSettled(
      records.map((r, i) =>
        applyCaseUpdate(r._id, r.rev, {
          // the third takes another case's tracking number: the unique index refuses that one write
          set: i === 2 ? { trackingNumber: records[0]!.trackingNumber } : { stateValue: "checked" },
          history: entry("CHECK", r.stateValue, "checked"),
          effects: [],
        }),
      ),
    );
    for (const [i, result] of results.entries()) {
      const after = await load(ids[i]!);
      if (i === 2) {
        expect(result.status).toBe("rejected");
        expect(after.rev).toBe(records[i]!.rev);
        expect(after.history).toHaveLength(records[i]!.history.length);
      } else {
        expect(result).toEqual({ status: "fulfilled", value: true });
        expect(after.rev).toBe(records[i]!.rev + 1);
        expect(after.stateValue).toBe("checked");
      }
    }
  });

  it("fails only its own transition when its pending entries cannot be written, and leaves its revision free", async () => {
    const ids = await fileCases(760, 4);
    const records = await Promise.all(ids.map(load));
    const results = await Promise.allSettled(
      records.map((r, i) =>
        applyCaseUpdate(r._id, r.rev, { set: { stateValue: "checked" }, history: entry("CHECK", r.stateValue, "checked"), effects: [] }, async () => {
          if (i === 1) throw new Error("announcement refused");
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled", "fulfilled"]);
    const failed = records[1]!;
    expect((await load(ids[1]!)).rev).toBe(failed.rev);
    // nothing holds the revision: a retry at once is written
    expect(await applyCaseUpdate(failed._id, failed.rev, { set: { stateValue: "checked" }, history: entry("CHECK", failed.stateValue, "checked"), effects: [] })).toBe(true);
    expect((await load(ids[1]!)).rev).toBe(failed.rev + 1);
  });

  it("reports an update that matched nothing as not written, and the others of its batch as written", async () => {
    const ids = await fileCases(780, 5);
    const records = await Promise.all(ids.map(load));
    // the fourth names a revision the case is not at (its update matches nothing)
    const results = await Promise.all(
      records.map((r, i) => applyCaseUpdate(r._id, i === 3 ? r.rev + 7 : r.rev, { set: { stateValue: "checked" }, history: entry("CHECK", r.stateValue, "checked"), effects: [] })),
    );
    expect(results).toEqual([true, true, true, false, true]);
    for (const [i, r] of records.entries()) expect((await load(ids[i]!)).rev).toBe(i === 3 ? r.rev : r.rev + 1);
  });
});

describe("many transitions of one case at once, from several processes", () => {
  // Several processes, so the updates reach the engine on different connections at the same moment (one process
  // would group them into one command, which the engine runs one after another).
  it("let exactly one win per revision, the others told STALE_REVISION, and write one history entry", async () => {
    const ids = await fileCases(860, 8);
    const children = [1, 2, 3].map(() =>
      startReadyChild<string[]>("test/support/children/fire-events.ts", ["ACCEPT", "officer@sukjai.demo.borikan.local", "1", ...ids, ...ids], { waitForGo: true }),
    );
    await Promise.all(children.map((c) => c.ready));
    const staff = await officer();
    for (const c of children) c.go();
    const mine = await Promise.allSettled([...ids, ...ids].map((id) => fireCaseEvent(staff, id, { type: "ACCEPT", rev: 1 })));
    const theirs = await Promise.all(children.map((c) => c.finished()));
    for (const t of theirs) expect(t.code, t.stderr).toBe(0);
    for (const [i, id] of ids.entries()) {
      const mineHere = [mine[i]!, mine[i + ids.length]!].map((o) => (o.status === "fulfilled" ? "won" : (o.reason as AppError).code));
      const outcomes = [...mineHere, ...theirs.flatMap((t) => [t.answer![i]!, t.answer![i + ids.length]!])];
      expect(outcomes.filter((o) => o === "won"), `case ${i}: ${outcomes.join(" ")}`).toHaveLength(1);
      expect(outcomes.filter((o) => o !== "won").every((o) => o === "STALE_REVISION"), outcomes.join(" ")).toBe(true);
      const record = await load(id);
      expect(record.rev).toBe(2);
      expect(record.history.filter((h) => h.event !== "SUBMIT")).toHaveLength(1);
    }
    await drainEffectRunner();
  });
});

describe("one case advanced revision by revision from several processes at once", () => {
  it("gives each revision to exactly one writer: no two are told they wrote it, none is lost", async () => {
    const [id] = await fileCases(880, 1);
    const start = (await load(id!)).rev;
    const until = start + 40;
    const children = [1, 2, 3].map(() => startReadyChild<number[]>("test/support/children/race-revisions.ts", [id!, String(until)], { waitForGo: true }));
    await Promise.all(children.map((c) => c.ready));
    for (const c of children) c.go();
    const mine = await advanceCaseRevisions(id!, until);
    const theirs = await Promise.all(children.map((c) => c.finished()));
    for (const t of theirs) expect(t.code, t.stderr).toBe(0);
    const won = [mine, ...theirs.map((t) => t.answer!)].flat().sort((a, b) => a - b);
    // every revision from start+1 to until, each once
    expect(won).toEqual(Array.from({ length: until - start }, (_, i) => start + 1 + i));
    const record = await load(id!);
    expect(record.rev).toBe(until);
    expect(record.history.filter((h) => h.event === "NOTE")).toHaveLength(until - start);
  });
});
