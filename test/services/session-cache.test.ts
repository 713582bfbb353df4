/**
 * Sessions are kept per process under the configuration stamp (decision 018). What another process does to a
 * session without bumping the stamp — touching its `lastSeenAt` — must never end it here; what it does with a
 * bump — deleting it — must end it here on the next request. Clocks are chosen instants.
 */
import mongoose from "mongoose";
import { describe, expect, it } from "vitest";
import { bumpConfigStamp } from "~/models/config-stamp.server";
import { findUserByEmail } from "~/models/user.server";
import { createSession, resolveSession, sessionCookieName } from "~/utils/session.server";
import { withTestDatabase } from "../support/db";

withTestDatabase();

const MINUTE = 60_000;
// Staff sessions: 30 minutes idle by default, 8 hours at most.
const IDLE = 30 * MINUTE;

async function signedIn(at: Date) {
  const user = (await findUserByEmail("officer@sukjai.demo.borikan.local"))!;
  const { cookieId, record } = await createSession(user, {}, at);
  const request = () => new Request("http://localhost/inbox", { headers: { Cookie: `${sessionCookieName()}=${cookieId}` } });
  return { request, recordId: record._id };
}

const sessions = () => mongoose.connection.collection<{ _id: string; lastSeenAt: Date }>("sessions");

describe("a session kept by this process", () => {
  it("is not ended as idle when another process kept it in use, and this process does not write it again at once", async () => {
    const t0 = new Date("2026-12-07T02:00:00Z");
    const { request, recordId } = await signedIn(t0);
    // This process reads (and keeps) the session, and records its use at t0 + 2 min.
    expect((await resolveSession(request(), new Date(t0.getTime() + 2 * MINUTE))).session).not.toBeNull();
    expect((await sessions().findOne({ _id: recordId }))!.lastSeenAt).toEqual(new Date(t0.getTime() + 2 * MINUTE));
    // Its copy moved forward with its own write: a request 30 s later writes nothing.
    await sessions().updateOne({ _id: recordId }, { $set: { lastSeenAt: new Date(t0.getTime() + 2 * MINUTE - 1) } });
    expect((await resolveSession(request(), new Date(t0.getTime() + 2 * MINUTE + 30_000))).session).not.toBeNull();
    expect((await sessions().findOne({ _id: recordId }))!.lastSeenAt).toEqual(new Date(t0.getTime() + 2 * MINUTE - 1));
    // Another process serves the session at t0 + 25 min (a touch: no bump of the stamp).
    await sessions().updateOne({ _id: recordId }, { $set: { lastSeenAt: new Date(t0.getTime() + 25 * MINUTE) } });
    // Past the idle limit as this process's copy sees it, within it as the database says: still signed in.
    const at = new Date(t0.getTime() + 2 * MINUTE + IDLE + MINUTE);
    const { session, presentedButRefused } = await resolveSession(request(), at);
    expect(presentedButRefused).toBe(false);
    expect(session?.record._id).toBe(recordId);
    expect((await sessions().findOne({ _id: recordId }))!.lastSeenAt).toEqual(at);
  });

  it("is ended as idle when the database agrees, and the record removed", async () => {
    const t0 = new Date("2026-12-07T03:00:00Z");
    const { request, recordId } = await signedIn(t0);
    expect((await resolveSession(request(), new Date(t0.getTime() + MINUTE))).session).not.toBeNull();
    const { session, presentedButRefused } = await resolveSession(request(), new Date(t0.getTime() + MINUTE + IDLE));
    expect(session).toBeNull();
    expect(presentedButRefused).toBe(true);
    expect(await sessions().findOne({ _id: recordId })).toBeNull();
  });

  it("is kept while the stamp is unchanged, and ends once a deletion elsewhere bumps it", async () => {
    const t0 = new Date("2026-12-07T04:00:00Z");
    const { request, recordId } = await signedIn(t0);
    const soon = new Date(t0.getTime() + 10_000);
    expect((await resolveSession(request(), soon)).session).not.toBeNull();
    // Deleted behind the models' back (no bump): this process still has its copy, which shows it is cached…
    await sessions().deleteOne({ _id: recordId });
    expect((await resolveSession(request(), soon)).session).not.toBeNull();
    // …and the bump every deleting model function makes is what ends it here.
    await bumpConfigStamp();
    expect((await resolveSession(request(), soon)).presentedButRefused).toBe(true);
  });
});
