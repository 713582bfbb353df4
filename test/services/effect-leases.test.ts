/**
 * The leases of a run's effects taken together (decision 035): one insert for all of them before the first runs,
 * the ones a run does not reach given back at once, and a lease taken ahead renewed before its effect when the run
 * has gone on so long that another process could take it over as stale.
 */
import mongoose from "mongoose";
import { afterEach, describe, expect, it } from "vitest";
import { getCase, type CaseDoc } from "~/models/case.server";
import { claim, claimedAt, claimMany, releaseClaim, releaseLeases, renewLease } from "~/models/claim.server";
import { getEffectRuns, markEffectDone } from "~/models/effect-run.server";
import { countPermits } from "~/models/permit.server";
import { scheduleCaseEffects, settleCaseEffects } from "~/services/effects/effect-runner.server";
import { runCaseEffects } from "~/services/effects/run-effects.server";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { withTestDatabase } from "../support/db";
import { caseAwaitingFee, officer } from "../support/journeys";

withTestDatabase();
afterEach(() => {
  mongoose.set("debug", false);
  delete process.env.BORIKAN_HOLD_EFFECTS;
});

/** Database commands sent through this process's mongoose connection, as "collection method". */
function countCommands() {
  const seen: string[] = [];
  mongoose.set("debug", (collection: string, method: string) => void seen.push(`${collection} ${method}`));
  return { count: (what: string) => seen.filter((s) => s === what).length };
}

/** FEE_PAID fired with this process's runner held: the case as written and its three new effects, not run. */
async function feePaidHeld(id: string): Promise<{ record: CaseDoc; fresh: string[]; byType: Record<string, string> }> {
  const before = (await getCase(id))!.effects.length;
  process.env.BORIKAN_HOLD_EFFECTS = "1";
  await fireCaseEvent(await officer(), id, { type: "FEE_PAID" });
  delete process.env.BORIKAN_HOLD_EFFECTS;
  const record = (await getCase(id))!;
  const fresh = record.effects.slice(before);
  return { record, fresh: fresh.map((e) => e.id), byType: Object.fromEntries(fresh.map((e) => [e.type, e.id])) };
}

async function expectAllDone(id: string) {
  const record = (await getCase(id))!;
  const runs = await getEffectRuns(record.effects.map((e) => e.id));
  expect(record.effects.filter((e) => !runs.has(e.id)).map((e) => e.type)).toEqual([]);
}

describe("the leases of a run's effects", () => {
  it("are taken in one insert for a FEE_PAID's receipt, permit and notice", async () => {
    const id = await caseAwaitingFee(1);
    const permitsBefore = await countPermits();
    const commands = countCommands();
    await fireCaseEvent(await officer(), id, { type: "FEE_PAID" });
    await settleCaseEffects(id);
    // one grouped insert for the three leases, one for each sequence number (receipt, permit), one for the payment's
    // claim (all grouped inserts since decision 037; the payment's goes with the receipt number's once the process
    // knows where that sequence is, which its first receipt reads first: test/services/permit-commands.test.ts)
    expect(commands.count("claims insertMany")).toBe(4);
    expect(commands.count("claims insertOne")).toBe(0);
    expect(await countPermits()).toBe(permitsBefore + 1);
    await expectAllDone(id);
  });

  it("that a run does not reach are given back at once: a run stopped at a held effect does not hold up the next", async () => {
    const id = await caseAwaitingFee(2);
    const held = await feePaidHeld(id);
    const receipt = held.byType.recordPayment!;
    expect(await claim(`effect:${receipt}`)).toBe(true); // another process has the receipt
    // when this process's run finds it held
    expect(await scheduleCaseEffects(id, held)).toEqual({ ran: [], blocked: receipt });
    // then it holds no lease of the permit or the notice
    expect(await claimedAt(`effect:${held.byType.issuePermit}`)).toBeNull();
    expect(await claimedAt(`effect:${held.byType.notifyApplicant}`)).toBeNull();
    // and once the other process has recorded the receipt, the next run goes on at once with the rest
    await markEffectDone({ _id: receipt, caseId: id, type: "recordPayment", at: new Date(), result: { note: "by the other process" } });
    await releaseClaim(`effect:${receipt}`);
    const next = await settleCaseEffects(id);
    expect(next.blocked).toBeUndefined();
    expect(next.ran).toEqual(expect.arrayContaining([held.byType.issuePermit, held.byType.notifyApplicant]));
    await expectAllDone(id);
  });

  it("are renewed before their effect when half their stale age has gone by, each effect run once", async () => {
    const id = await caseAwaitingFee(3);
    const held = await feePaidHeld(id);
    const permitsBefore = await countPermits();
    // given a stale age far shorter than the run (as if the receipt had taken most of a minute)
    const outcome = await runCaseEffects(id, { staleAfterMs: 4 });
    expect(outcome.ran).toEqual(expect.arrayContaining(held.fresh));
    // then each lease was renewed as its effect began (taken together, they would all bear one time)
    const times = await Promise.all(["recordPayment", "issuePermit", "notifyApplicant"].map((type) => claimedAt(`effect:${held.byType[type]}`)));
    expect(times[1]!.getTime()).toBeGreaterThan(times[0]!.getTime());
    expect(times[2]!.getTime()).toBeGreaterThan(times[1]!.getTime());
    expect(await countPermits()).toBe(permitsBefore + 1);
    await expectAllDone(id);
  });

  it("renew and give back only while the holder still has them, never a lease taken over since", async () => {
    const at = new Date(Date.now() - 120_000);
    expect(await claimMany([{ key: "lease:a" }, { key: "lease:b" }, { key: "lease:c" }], at)).toEqual([true, true, true]);
    // a lease the holder still has is renewed, and its old time no longer names it
    const renewed = await renewLease("lease:a", at);
    expect(renewed!.getTime()).toBeGreaterThan(at.getTime());
    expect(await renewLease("lease:a", at)).toBeNull();
    // a lease taken over by another process (released as stale and claimed again) is neither renewed nor given back
    await releaseClaim("lease:b");
    expect(await claim("lease:b")).toBe(true);
    expect(await renewLease("lease:b", at)).toBeNull();
    await releaseLeases(["lease:a", "lease:b", "lease:c"], at);
    expect(await claimedAt("lease:b")).not.toBeNull();
    expect(await claimedAt("lease:a")).toEqual(renewed);
    expect(await claimedAt("lease:c")).toBeNull();
  });
});
