/**
 * Decision 034: a transition marks its case's effects open (`effectsQueuedAt`) in the case update itself, instead of
 * writing pending entries before it. The worker's sweep finds marked cases by an index, runs what a dead process
 * left unrun, and takes the mark off once every effect of the case is done — never off a case that moved since
 * it read it, and a transition never leaves its effects unmarked, whatever order it and the sweep write in.
 */
import { spawnSync } from "node:child_process";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { applyCaseUpdate, clearOpenEffects, getCase, type CaseDoc } from "~/models/case.server";
import { listPendingEffects } from "~/models/effect-run.server";
import { caseDocuments } from "~/services/case-documents.server";
import { newEffects } from "~/services/case-effects.server";
import { settleCaseEffects } from "~/services/effects/effect-runner.server";
import { sweepPendingEffects } from "~/services/effects/run-effects.server";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { submitApplication } from "~/services/submit-application.server";
import { withTestDatabase } from "../support/db";
import { healthHazardApplication } from "../support/factories";
import { citizen, HEALTH_HAZARD_SLUG, officer } from "../support/journeys";
import { startTestSmtp } from "../support/smtp";

const smtp = await startTestSmtp();
process.env.SMTP_URL = smtp.url;
withTestDatabase();
afterAll(async () => {
  await smtp.close();
  delete process.env.SMTP_URL;
});
afterEach(() => {
  delete process.env.BORIKAN_HOLD_EFFECTS;
});

const emailOf = (n: number) => `applicant${900 + n}@example.co.th`;

async function filed(n: number): Promise<string> {
  const { id } = await submitApplication(await citizen(), HEALTH_HAZARD_SLUG, await healthHazardApplication({}, 900 + n), "web");
  await settleCaseEffects(id);
  return id;
}

const load = async (id: string) => (await getCase(id)) as CaseDoc;

describe("a transition's effects marked open in its own write", () => {
  it("survive the web process dying right after the write: no pending entry was written, and the worker's sweep sends the notice once, then takes the mark off", async () => {
    const id = await filed(1);
    const mailed = smtp.mailsTo(emailOf(1)).length;
    const child = spawnSync("npx", ["tsx", "test/support/children/fire-event.ts", id, "ACCEPT", "officer@sukjai.demo.borikan.local"], {
      env: { ...process.env, BORIKAN_CRASH_AT: "case:transition-written" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(child.stderr, child.stderr).toContain("crash injected at case:transition-written");

    const record = await load(id);
    expect(record.stateValue).toBe("inspection");
    expect(record.effectsQueuedAt).toBeInstanceOf(Date);
    expect((await listPendingEffects()).filter((p) => p.caseId === id)).toEqual([]);
    expect((await caseDocuments(record)).pending.map((p) => [p.kind, p.state])).toEqual([["notice", "preparing"]]);
    expect(smtp.mailsTo(emailOf(1))).toHaveLength(mailed);

    expect(await sweepPendingEffects({ staleAfterMs: 0 })).toBe(1);
    expect(smtp.mailsTo(emailOf(1))).toHaveLength(mailed + 1);
    expect((await caseDocuments(await load(id))).pending).toEqual([]);
    // the next sweep sees every effect done: the mark goes, nothing runs again
    expect(await sweepPendingEffects({ staleAfterMs: 0 })).toBe(0);
    expect((await load(id)).effectsQueuedAt).toBeUndefined();
    expect(await sweepPendingEffects({ staleAfterMs: 0 })).toBe(0);
    expect(smtp.mailsTo(emailOf(1))).toHaveLength(mailed + 1);
  });

  it("keep their mark whichever of a transition and the sweep's clear of an older mark writes first", async () => {
    const [a, b] = [await filed(2), await filed(3)];
    for (const id of [a, b]) {
      await fireCaseEvent(await officer(), id, { type: "ACCEPT" });
      await settleCaseEffects(id);
    }
    const [readA, readB] = [await load(a), await load(b)];
    expect([readA.effectsQueuedAt, readB.effectsQueuedAt].every((d) => d instanceof Date)).toBe(true);
    const queue = (record: CaseDoc) =>
      applyCaseUpdate(record._id, record.rev, {
        set: {},
        history: { at: new Date(), actor: { kind: "staff", id: "t", name: "t" }, role: "officer", event: "NOTE", from: record.stateValue, to: record.stateValue },
        effects: newEffects([{ type: "notifyApplicant", params: {} }], new Date()),
      });

    // a: the transition (from the revision the sweep read) lands first; the sweep's clear, guarded by that revision, misses
    expect(await queue(readA)).toBe(true);
    await clearOpenEffects([readA]);
    // b: the sweep's clear lands first; the transition read the case (marked) before it, and marks it again
    await clearOpenEffects([readB]);
    expect((await load(b)).effectsQueuedAt).toBeUndefined();
    expect(await queue(readB)).toBe(true);

    for (const id of [a, b]) expect((await load(id)).effectsQueuedAt, id).toBeInstanceOf(Date);
    // and the sweep runs the new notices (no process ran them: the writes above queue without running)
    const before = smtp.mailsTo(emailOf(2)).length + smtp.mailsTo(emailOf(3)).length;
    expect(await sweepPendingEffects({ staleAfterMs: 0 })).toBe(2);
    expect(smtp.mailsTo(emailOf(2)).length + smtp.mailsTo(emailOf(3)).length).toBe(before + 2);
  });
});
