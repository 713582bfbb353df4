/**
 * The transition's own run of its effects (issue 12): it is handed the case as written and the ids of the effects
 * it queued, so it neither reads the case again nor looks up run records it cannot have — and stays right when a
 * second transition lands while the first's effects run, when another process races for the same effects, and
 * when a process dies between an effect and its record.
 */
import mongoose from "mongoose";
import { afterEach, describe, expect, it } from "vitest";
import { getCase } from "~/models/case.server";
import { settleCaseEffects } from "~/services/effects/effect-runner.server";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { submitApplication } from "~/services/submit-application.server";
import { withTestDatabase } from "../support/db";
import { healthHazardApplication } from "../support/factories";
import { citizen, HEALTH_HAZARD_SLUG, officer } from "../support/journeys";

withTestDatabase();

/** Database commands sent through this process's mongoose connection, as "collection method". */
function countCommands() {
  const seen: string[] = [];
  mongoose.set("debug", (collection: string, method: string) => void seen.push(`${collection} ${method}`));
  return { seen, count: (what: string) => seen.filter((s) => s === what).length };
}
afterEach(() => void mongoose.set("debug", false));

async function filed(n: number) {
  const { id } = await submitApplication(await citizen(), HEALTH_HAZARD_SLUG, await healthHazardApplication({}, n), "web");
  await settleCaseEffects(id);
  return id;
}

describe("the transition's own run of its effects", () => {
  it("reads neither the case again nor the run records of the effects it queued", async () => {
    const id = await filed(1);
    const commands = countCommands();
    await fireCaseEvent(await officer(), id, { type: "ACCEPT" });
    await settleCaseEffects(id);
    console.log(commands.seen);
    console.log((await getCase(id))!.effects.map((e) => e.type));
  });
});
