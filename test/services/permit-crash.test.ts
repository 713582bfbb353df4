import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { formatPermitNumber, permitSequenceName, yearBEOf } from "~/core/permits/permit-rules";
import { sequenceHint } from "~/models/counter.server";
import { todayInBangkok } from "~/core/thai/buddhist-date";
import { getCase } from "~/models/case.server";
import { listPendingEffects } from "~/models/effect-run.server";
import { getPermit } from "~/models/permit.server";
import { fileExists } from "~/models/stored-file.server";
import { caseDocuments } from "~/services/case-documents.server";
import { sweepPendingEffects } from "~/services/effects/run-effects.server";
import { permitFileId } from "~/services/permit-documents.server";
import { withTestDatabase } from "../support/db";
import { caseAwaitingFee } from "../support/journeys";

withTestDatabase();

const YEAR = yearBEOf(todayInBangkok());
const numberOf = (seq: number) => formatPermitNumber("{agency}-{type}-{yearBE}-{seq:5}", { agency: "SKJ", type: "HH", yearBE: YEAR, seq });

/** Fires FEE_PAID in a separate process that dies at `point`, as `kill -9` would. */
function approveAndCrash(caseId: string, point: string) {
  const child = spawnSync(process.execPath, ["--import", "tsx", "test/support/children/fire-event.ts", caseId, "FEE_PAID", "officer@sukjai.demo.borikan.local"], {
    env: { ...process.env, BORIKAN_CRASH_AT: point },
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(child.stderr, child.stderr).toContain(`crash injected at ${point}`);
  expect(child.status).toBe(137);
}

describe("a process killed between the approval and the permit", () => {
  const points = ["case:transition-written", "effects:before-run", "permit:number-taken", "permit:inserted", "permit:pdf-stored", "effects:before-record:recordPayment", "effects:before-record:issuePermit"];

  it.each(points.map((point, i) => [point, i + 1] as const))("at %s: the sweep issues exactly one permit, the next number, with its PDF", async (point, n) => {
    const caseId = await caseAwaitingFee(100 + n);
    const seq = (await sequenceHint(permitSequenceName("sukjai", "HH", YEAR))) + 1;
    approveAndCrash(caseId, point);

    // the approval itself was written before the crash
    expect((await getCase(caseId))!.stateValue).toBe("permitIssued");

    // the worker's sweep (lease taken over at once here; 60 s in production) finishes the work
    await sweepPendingEffects({ staleAfterMs: 0 });
    const permits = (await caseDocuments((await getCase(caseId))!)).issued.filter((d) => d.kind === "permit");
    expect(permits).toHaveLength(1);
    const number = (permits[0] as { number: string }).number;
    expect(number).toBe(numberOf(seq)); // no gap left by the crashed attempt
    expect((await getPermit(number))!.caseId).toBe(caseId);
    expect(await fileExists(permitFileId(number))).toBe(true);
    expect(await getPermit(numberOf(seq + 1))).toBeNull(); // and no second permit

    // running the sweep again changes nothing
    await sweepPendingEffects({ staleAfterMs: 0 });
    expect(await getPermit(numberOf(seq + 1))).toBeNull();
  });
});

describe("a web process killed after answering the transition, before its runner started", () => {
  it("leaves the effects pending, the case says they are being prepared, and the worker process completes them", async () => {
    const caseId = await caseAwaitingFee(200);
    const seq = (await sequenceHint(permitSequenceName("sukjai", "HH", YEAR))) + 1;
    approveAndCrash(caseId, "effects:before-run");

    const record = (await getCase(caseId))!;
    const queued = record.effects.slice(-3); // FEE_PAID's
    expect(queued.map((e) => e.type)).toEqual(["recordPayment", "issuePermit", "notifyApplicant"]);
    const pendingIds = new Set((await listPendingEffects()).map((p) => p._id));
    for (const effect of queued) expect(pendingIds.has(effect.id)).toBe(true);
    expect((await caseDocuments(record)).pending.map((p) => [p.kind, p.state])).toEqual([["receipt", "preparing"], ["permit", "preparing"], ["notice", "preparing"]]);

    // the worker as `npm start` runs it, once: its sweep takes the fresh (never leased) effects at once
    const worker = spawnSync(process.execPath, ["--import", "tsx", "scripts/worker.ts", "--once"], { env: { ...process.env }, encoding: "utf8", timeout: 60_000 });
    expect(worker.status, worker.stderr).toBe(0);
    expect(worker.stdout).toMatch(/worker: ran 3 pending effect\(s\)/);

    const docs = await caseDocuments((await getCase(caseId))!);
    expect(docs.pending).toEqual([]);
    expect(docs.issued.map((d) => d.kind)).toEqual(["letter", "receipt", "permit"]);
    expect((docs.issued[2] as { number: string }).number).toBe(numberOf(seq));
    expect(await getPermit(numberOf(seq + 1))).toBeNull();
    expect((await listPendingEffects()).filter((p) => p.caseId === caseId)).toEqual([]);
  });
});
