import mongoose from "mongoose";
import { describe, expect, it, inject } from "vitest";
import { verifySignedDocument } from "~/core/permits/permit-signature";
import { publishedKeySet, signDocument } from "~/services/document-signing.server";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { withTestDatabase } from "../support/db";

withTestDatabase({ seed: false });

const TYPE = "borikan-test+jws";
const verifies = async (jws: string, kid?: string) => (await verifySignedDocument<{ agency: string }>(jws, await publishedKeySet(kid), TYPE)).ok;

describe("the agency's signing key, kept once read", () => {
  it("signs with the key another process stored, read once and then without a round trip", async () => {
    // given the agency's key stored by another process (inserted here behind the service's back)
    const first = await signDocument("keyshop", { agency: "keyshop", n: 1 }, TYPE);
    const stored = await mongoose.connection.db!.collection("signingkeys").findOne({ _id: "keyshop" as never });
    expect(stored?.kid).toBe(first.kid);
    // when it signs again, the key document is not read again
    const seen: string[] = [];
    // the same database again, through a connection that reports its commands
    const uri = `${inject("mongoBaseUri")}${mongoose.connection.db!.databaseName}`;
    await disconnectDb();
    global.__borikanDb = mongoose.connect(uri, { monitorCommands: true });
    const client = (await global.__borikanDb).connection.getClient();
    client.on("commandStarted", (event) => void seen.push(`${event.commandName} ${String((event.command as Record<string, unknown>)[event.commandName])}`));
    await mongoose.connection.db!.collection("signingkeys").countDocuments(); // (the listener hears this connection)
    const second = await signDocument("keyshop", { agency: "keyshop", n: 2 }, TYPE);
    const whileSigning = [...seen];
    expect(second.kid).toBe(first.kid);
    expect(await verifies(second.jws)).toBe(true);
    expect(whileSigning).toContain("aggregate signingkeys");
    expect(whileSigning.filter((c) => c === "find signingkeys")).toEqual([]);
  });

  it("signs with each database's own key when the process moves to another database", async () => {
    const here = mongoose.connection.db!.databaseName;
    const signedHere = await signDocument("keyshop", { agency: "keyshop", n: 3 }, TYPE);
    const elsewhere = `${here}_other`;
    await disconnectDb();
    await connectDb(`${inject("mongoBaseUri")}${elsewhere}`);
    try {
      // a fresh database has no key for the agency: a new one is made and published there
      const signedThere = await signDocument("keyshop", { agency: "keyshop", n: 4 }, TYPE);
      expect(signedThere.kid).not.toBe(signedHere.kid);
      expect(await verifies(signedThere.jws, signedThere.kid)).toBe(true);
    } finally {
      await mongoose.connection.db!.dropDatabase();
      await disconnectDb();
      await connectDb(`${inject("mongoBaseUri")}${here}`);
    }
    expect(await verifies(signedHere.jws, signedHere.kid)).toBe(true);
  });
});
