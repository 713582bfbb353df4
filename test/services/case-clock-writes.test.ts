/**
 * The clock row a transition writes (decision 028): a move that changes none of the row's fields leaves a row that
 * already holds them unwritten (its `updatedAt` stays), yet still creates a missing row and still rewrites a row the
 * sweep changed; a move that changes the clock (a pause, a decision) writes the row as before.
 */
import { describe, expect, it } from "vitest";
import { CaseClockModel, getCaseClock } from "~/models/case-clock.server";
import { drainEffectRunner } from "~/services/effects/effect-runner.server";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { submitApplication } from "~/services/submit-application.server";
import { withTestDatabase } from "../support/db";
import { healthHazardApplication } from "../support/factories";
import { citizen, HEALTH_HAZARD_SLUG, officer } from "../support/journeys";

withTestDatabase();

const filedAt = new Date("2026-06-08T03:00:00Z");
const minutes = (n: number) => new Date(filedAt.getTime() + n * 60_000);

async function fileCase(n: number): Promise<string> {
  const { id } = await submitApplication(await citizen(), HEALTH_HAZARD_SLUG, await healthHazardApplication({}, n), "web", filedAt);
  await drainEffectRunner();
  return id;
}

describe("the clock row of a transition", () => {
  it("is left as it is when the move changes none of its fields", async () => {
    const id = await fileCase(910);
    const before = await getCaseClock(id);
    expect(before?.updatedAt).toEqual(filedAt);
    await fireCaseEvent(await officer(), id, { type: "ACCEPT" }, minutes(5));
    expect(await getCaseClock(id)).toEqual(before);
    await drainEffectRunner();
  });

  it("is created when it is missing, even by a move that changes none of its fields", async () => {
    const id = await fileCase(911);
    const before = await getCaseClock(id);
    await CaseClockModel.deleteOne({ _id: id });
    await fireCaseEvent(await officer(), id, { type: "ACCEPT" }, minutes(5));
    // A filing inserts the row with these two as null; an upsert on the embedded engine leaves them out. Both read as
    // "none" wherever they are used (decision 029).
    const noneAsNull = (row: object | null) => ({ lastNoticeAt: null, decisionNotifiedAt: null, ...row });
    expect(noneAsNull(await getCaseClock(id))).toEqual(noneAsNull({ ...before!, updatedAt: minutes(5) }));
    await drainEffectRunner();
  });

  it("is rewritten from the case when it differs from it (a row the sweep moved on)", async () => {
    const id = await fileCase(912);
    const before = await getCaseClock(id);
    await CaseClockModel.updateOne({ _id: id }, { $set: { nextNoticeAt: minutes(60_000), checkAt: minutes(60_000) } });
    await fireCaseEvent(await officer(), id, { type: "ACCEPT" }, minutes(5));
    expect(await getCaseClock(id)).toMatchObject({ nextNoticeAt: before!.nextNoticeAt, checkAt: before!.checkAt });
    await drainEffectRunner();
  });

  it("is written with the move's time when the move changes the clock (the applicant is waited for)", async () => {
    const id = await fileCase(913);
    const before = await getCaseClock(id);
    expect(before?.nextNoticeAt).not.toBeNull();
    await fireCaseEvent(await officer(), id, { type: "REQUEST_MISSING", comment: "ขาดแผนที่", data: { missingItems: ["/documents/siteMap"] } }, minutes(5));
    expect(await getCaseClock(id)).toMatchObject({ nextNoticeAt: null, checkAt: null, updatedAt: minutes(5) });
    await drainEffectRunner();
  });
});
