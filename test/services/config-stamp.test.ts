/**
 * The configuration stamp's safety net (decision 018): a writer that changed an API client but failed before
 * bumping the stamp (a crash between its two writes) leaves the change unseen for at most a minute — never for
 * ever — and a writer that does bump is seen on the next request. Time is moved with a fake `Date` only.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClientModel, findApiKey } from "~/models/api-client.server";
import { bumpConfigStamp, CONFIG_CACHE_MAX_AGE_MS } from "~/models/config-stamp.server";
import { DEMO_API_KEY } from "~/services/seed-demo.server";
import { hashApiKey } from "~/utils/passwords.server";
import { requireApiActor } from "~/utils/auth.server";
import { withTestDatabase } from "../support/db";

withTestDatabase();

afterEach(() => {
  vi.useRealTimers();
});

const keyed = () => new Request("http://localhost/api/v1/applications", { headers: { Authorization: `Bearer ${DEMO_API_KEY}` } });

describe("a change whose writer never bumped the stamp", () => {
  it("is seen once the copies are a minute old, and at once after any bump", async () => {
    const start = new Date("2026-12-07T05:00:00Z");
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(start);
    const client = (await findApiKey(hashApiKey(DEMO_API_KEY)))!.client;
    expect((await requireApiActor(keyed(), start)).id).toBe(String(client._id));
    // The revocation is written, then the writer dies before its bump.
    await ApiClientModel.updateOne({ _id: client._id }, { $set: { revokedAt: start, revokedBy: { id: "x", name: "x" } } });
    // Within the minute this process still acts on its copy…
    vi.setSystemTime(new Date(start.getTime() + CONFIG_CACHE_MAX_AGE_MS - 1));
    expect((await requireApiActor(keyed(), new Date())).id).toBe(String(client._id));
    // …and after it reads the client again.
    vi.setSystemTime(new Date(start.getTime() + CONFIG_CACHE_MAX_AGE_MS));
    await expect(requireApiActor(keyed(), new Date())).rejects.toMatchObject({ code: "UNAUTHENTICATED", details: { reason: "revoked" } });
    // Undone by a writer that bumps: seen at once.
    await ApiClientModel.updateOne({ _id: client._id }, { $unset: { revokedAt: 1, revokedBy: 1 } });
    await bumpConfigStamp();
    expect((await requireApiActor(keyed(), new Date())).id).toBe(String(client._id));
  });
});
