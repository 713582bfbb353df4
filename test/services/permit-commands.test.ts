/**
 * Fewer commands per issued permit (decision 037): the payment's claim goes with the receipt number's, the permit
 * number's hint with the change log's.
 */
import mongoose from "mongoose";
import { afterEach, describe, expect, it } from "vitest";
import { permitSequenceName, yearBEOf } from "~/core/permits/permit-rules";
import { todayInBangkok } from "~/core/thai/buddhist-date";
import { getCase } from "~/models/case.server";
import { sequenceHint } from "~/models/counter.server";
import { caseDocuments } from "~/services/case-documents.server";
import { settleCaseEffects } from "~/services/effects/effect-runner.server";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { withTestDatabase } from "../support/db";
import { caseAwaitingFee, officer } from "../support/journeys";

withTestDatabase();
afterEach(() => void mongoose.set("debug", false));

/** Commands sent through this process's mongoose connection, in order, with their first argument. */
function recordCommands() {
  const seen: { what: string; arg: unknown }[] = [];
  mongoose.set("debug", (collection: string, method: string, arg: unknown) => void seen.push({ what: `${collection} ${method}`, arg }));
  return seen;
}

const idsOf = (arg: unknown): string[] => (arg as { _id: string }[]).map((d) => d._id);

async function payFee(n: number) {
  const id = await caseAwaitingFee(n);
  const commands = recordCommands();
  await fireCaseEvent(await officer(), id, { type: "FEE_PAID" });
  await settleCaseEffects(id);
  mongoose.set("debug", false);
  const permit = (await caseDocuments((await getCase(id))!)).issued.find((d) => d.kind === "permit");
  if (permit?.kind !== "permit") throw new Error(`case ${id} has no permit`);
  return { commands, number: permit.number };
}

describe("issuing a permit with fewer commands", () => {
  it("claims the counter payment and the receipt number in one insert, once the process knows where the numbers are", async () => {
    await payFee(0); // the process's first receipt number reads the sequence's hint first, then claims alone
    const { commands } = await payFee(1);
    const claimInserts = commands.filter((c) => c.what.startsWith("claims insert"));
    const withPayment = claimInserts.find((c) => c.what === "claims insertMany" && idsOf(c.arg).some((k) => k.startsWith("payment-paid:")));
    expect(withPayment).toBeDefined();
    expect(idsOf(withPayment!.arg).sort()).toEqual([expect.stringMatching(/^payment-paid:/), expect.stringMatching(/^seq:receipt:sukjai:/)]);
    // leases, payment + receipt number, permit number
    expect(claimInserts.map((c) => c.what)).toEqual(["claims insertMany", "claims insertMany", "claims insertMany"]);
  });

  it("raises the permit number's hint in the change log's update, before the permit is written", async () => {
    const sequence = permitSequenceName("sukjai", "HH", yearBEOf(todayInBangkok()));
    const { commands, number } = await payFee(2);
    const seq = Number(number.split("-").pop());
    const counterWrites = commands.filter((c) => c.what.startsWith("counters update") || c.what === "counters bulkWrite");
    const permitHint = counterWrites.filter((c) => JSON.stringify(c.arg).includes(sequence));
    expect(permitHint.map((c) => c.what)).toEqual(["counters bulkWrite"]);
    const names = (permitHint[0]!.arg as { updateOne: { filter: { _id: string } } }[]).map((op) => op.updateOne.filter._id);
    expect(names.sort()).toEqual(["permit-changes", sequence].sort());
    expect(commands.findIndex((c) => c === permitHint[0])).toBeLessThan(commands.findIndex((c) => c.what === "permits insertOne"));
    expect(await sequenceHint(sequence)).toBe(seq);
  });
});
