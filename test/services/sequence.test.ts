import { spawn } from "node:child_process";
import mongoose from "mongoose";
import { describe, expect, it, vi } from "vitest";
import { claim } from "~/models/claim.server";
import { claimedSequence, nextSequence, raiseSequenceHint, sequenceHint, takeSequenceNumber } from "~/models/counter.server";
import { startReadyChild } from "../support/child-process";
import { withTestDatabase } from "../support/db";

withTestDatabase({ seed: false });

describe("sequence numbers", () => {
  it("gives 30 concurrent callers 30 different, gap-free numbers", async () => {
    const numbers = await Promise.all(Array.from({ length: 30 }, () => nextSequence("test:concurrent")));
    expect(new Set(numbers).size).toBe(30);
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it("keeps separate sequences apart", async () => {
    expect(await nextSequence("test:a")).toBe(1);
    expect(await nextSequence("test:b")).toBe(1);
    expect(await nextSequence("test:a")).toBe(2);
  });

  it("skips numbers another process took, without a gap", async () => {
    expect(await nextSequence("test:shared")).toBe(1);
    // Another process takes 2..6 and raises the shared hint only to 4 (it raises it now and then).
    for (let n = 2; n <= 6; n++) expect(await claim(`seq:test:shared:${n}`)).toBe(true);
    await raiseSequenceHint("test:shared", 4);
    expect(await nextSequence("test:shared", "me")).toBe(7);
    expect(await claimedSequence("test:shared", "me")).toBe(7);
    expect(await nextSequence("test:shared")).toBe(8);
  });

  it("gives two processes taking 40 numbers each at once 80 different, gap-free numbers", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "test/support/children/take-sequence.ts", "test:two-processes", "40"], { env: process.env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (err += chunk));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    // Keep taking numbers here until the child has finished, so the two really overlap.
    const mine: number[] = [];
    let childDone = false;
    void exited.then(() => (childDone = true));
    while (!childDone || mine.length < 40) {
      mine.push(...(await Promise.all(Array.from({ length: 4 }, () => nextSequence("test:two-processes")))));
      if (mine.length >= 400) break;
    }
    expect(await exited, err).toBe(0);
    const theirs = JSON.parse(out) as number[];
    const all = [...mine, ...theirs].sort((a, b) => a - b);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
  });

  it("hands each owner of a batch the number claimed under its name, when another process took one in the middle", async () => {
    expect(await nextSequence("test:owners")).toBe(1);
    // Another process takes 3 (and does not raise the hint): the next batch of four here claims 2..5 at once.
    expect(await claim("seq:test:owners:3")).toBe(true);
    const owners = ["w1", "w2", "w3", "w4"];
    const numbers = await Promise.all(owners.map((owner) => nextSequence("test:owners", owner)));
    expect([...numbers].sort((a, b) => a - b)).toEqual([2, 4, 5, 6]);
    // A crashed caller finds again exactly the number it was handed.
    for (const [i, owner] of owners.entries()) expect(await claimedSequence("test:owners", owner)).toBe(numbers[i]);
    expect(await nextSequence("test:owners")).toBe(7);
  });

  it("gives two processes taking 200 numbers each, 32 at a time, the numbers 1..400 exactly once", async () => {
    const child = startReadyChild<number[]>("test/support/children/take-sequence.ts", ["test:two-by-200", "200", "32"]);
    await child.ready;
    const mine: number[] = [];
    for (let taken = 0; taken < 200; taken += 32) {
      mine.push(...(await Promise.all(Array.from({ length: Math.min(32, 200 - taken) }, (_, i) => nextSequence("test:two-by-200", `parent-${taken + i}`)))));
    }
    const { code, answer: theirs, stderr } = await child.finished();
    expect(code, stderr).toBe(0);
    expect(theirs).toHaveLength(200);
    const all = [...mine, ...theirs!].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    // Every owner's claim names the number it was handed (what crash recovery reads).
    for (const i of [0, 57, 199]) expect(await claimedSequence("test:two-by-200", `parent-${i}`)).toBe(mine[i]);
  });

  it("never hands out twice a number whose batch was stored but whose reply was lost; its owners find theirs again", async () => {
    expect(await nextSequence("test:lost-reply")).toBe(1);
    // let the allocator's loop finish its turn, so the next call starts a batch of its own
    await new Promise((resolve) => setImmediate(resolve));
    const claims = mongoose.model("Claim").collection;
    const insertMany = claims.insertMany.bind(claims);
    // The insert reaches the database, then the connection drops before the reply (a crash half-way).
    let calls = 0;
    const spy = vi.spyOn(claims, "insertMany").mockImplementation(async (...args: Parameters<typeof claims.insertMany>) => {
      const result = await insertMany(...args);
      if (++calls === 2) throw new Error("connection reset by peer");
      return result;
    });
    try {
      const owners = ["lost-1", "lost-2", "lost-3"];
      const outcomes = await Promise.allSettled([nextSequence("test:lost-reply", "first"), ...owners.map((o) => nextSequence("test:lost-reply", o))]);
      // the first went alone and was answered; the three behind it went together and lost their reply
      expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "rejected", "rejected"]);
      expect((outcomes[0] as PromiseFulfilledResult<number>).value).toBe(2);
      // their numbers are taken (a re-run finds them by owner), and the next callers get the numbers after them
      expect(await Promise.all(owners.map((o) => claimedSequence("test:lost-reply", o)))).toEqual([3, 4, 5]);
      expect(await Promise.all([nextSequence("test:lost-reply"), nextSequence("test:lost-reply")])).toEqual([6, 7]);
    } finally {
      spy.mockRestore();
    }
  });

  describe("a number answered once claimed (takeSequenceNumber, decision 029)", () => {
    /** Holds every raise of a sequence hint until `open()`; `started` resolves when the first raise is asked for. */
    function holdHintRaises() {
      // The hint is raised with the driver's updateOne on the model's collection (decision 038).
      const counters = mongoose.model("Counter").collection;
      const updateOne = counters.updateOne.bind(counters);
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      let started!: () => void;
      const raiseStarted = new Promise<void>((resolve) => (started = resolve));
      const spy = vi.spyOn(counters, "updateOne").mockImplementation(((...args: Parameters<typeof updateOne>) => {
        started();
        return gate.then(() => updateOne(...args));
      }) as never);
      return { open, raiseStarted, restore: () => spy.mockRestore() };
    }
    const turn = () => new Promise((resolve) => setImmediate(resolve));

    it("answers the number while the hint is still being raised, and `hinted` settles once the hint covers it", async () => {
      const hold = holdHintRaises();
      try {
        let taken: { value: number; hinted: Promise<void> } | undefined;
        void takeSequenceNumber("test:early").then((t) => (taken = t));
        await hold.raiseStarted;
        await turn();
        expect(taken?.value).toBe(1);
        let hinted = false;
        void taken!.hinted.then(() => (hinted = true));
        await turn();
        expect(hinted).toBe(false);
        expect(await sequenceHint("test:early")).toBe(0);
        hold.open();
        await taken!.hinted;
        expect(await sequenceHint("test:early")).toBe(1);
      } finally {
        hold.restore();
      }
    });

    it("still answers nextSequence only after the hint covers its number", async () => {
      const hold = holdHintRaises();
      try {
        let answered: number | undefined;
        const next = nextSequence("test:after-hint").then((n) => (answered = n));
        await hold.raiseStarted;
        await turn();
        expect(answered).toBeUndefined();
        hold.open();
        expect(await next).toBe(1);
        expect(await sequenceHint("test:after-hint")).toBe(1);
      } finally {
        hold.restore();
      }
    });

    it("gives 30 concurrent callers of both kinds 30 different, gap-free numbers, the hint at the highest once all settled", async () => {
      const taken = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          i % 2 === 0 ? takeSequenceNumber("test:mixed").then(async ({ value, hinted }) => (await hinted, value)) : nextSequence("test:mixed"),
        ),
      );
      expect([...taken].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      expect(await sequenceHint("test:mixed")).toBe(30);
    });
  });
});
