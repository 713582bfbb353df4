/**
 * The inbox's list of an agency's services comes from the per-process configuration cache (decision 022): read
 * once per configuration stamp, and a publish by another process (its catalogue write, then its bump of the
 * stamp) is seen on the next look-up. The other process is played by writing its two writes directly.
 */
import { randomUUID } from "node:crypto";
import mongoose from "mongoose";
import { describe, expect, it } from "vitest";
import { listPublishedServicesOf, ServiceModel } from "~/models/service.server";
import { withTestDatabase } from "../support/db";

withTestDatabase();

const titles = async (agencyId: string) => (await listPublishedServicesOf(agencyId)).map((s) => `${s._id}:${s.title.en}`);
const anotherProcessBumps = () =>
  mongoose.connection.collection("config_stamps").updateOne({ _id: "config" as never }, { $set: { token: randomUUID(), at: new Date() } }, { upsert: true });

describe("an agency's published services", () => {
  it("are the agency's own, templates left out, by slug", async () => {
    const listed = await listPublishedServicesOf("sukjai");
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((s) => s.agencyId === "sukjai" && !s.isTemplate)).toBe(true);
    expect(listed.map((s) => s._id)).toEqual([...listed.map((s) => s._id)].sort());
    expect(listed.map((s) => s._id)).toEqual((await ServiceModel.find({ agencyId: "sukjai", isTemplate: false }).sort({ _id: 1 }).lean()).map((s) => s._id));
  });

  it("are read once per stamp, and another process's publish shows once it bumps the stamp", async () => {
    const before = await titles("sukjai");
    const slug = before[0]!.split(":")[0]!;
    // Another process's catalogue write, before its bump: this process still answers from its copy…
    await ServiceModel.collection.updateOne({ _id: slug as never }, { $set: { "title.en": "Renamed elsewhere" } });
    expect(await titles("sukjai")).toEqual(before);
    // …and after the bump it reads the catalogue again.
    await anotherProcessBumps();
    expect(await titles("sukjai")).toContain(`${slug}:Renamed elsewhere`);
  });
});
