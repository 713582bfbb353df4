import { createHash } from "node:crypto";
import mongoose from "mongoose";
import { describe, expect, it } from "vitest";
import { claim, claimOwner } from "~/models/claim.server";
import { fileExists, getFile, putFileOnce } from "~/models/stored-file.server";
import { withTestDatabase } from "../support/db";

withTestDatabase({ seed: false });

/** The stored document as the database has it (not through mongoose). */
const raw = (collection: string, id: string) => mongoose.connection.db!.collection<{ _id: string }>(collection).findOne({ _id: id });

describe("claims and generated files written with the plain driver", () => {
  it("store a claim as mongoose did, exactly once, with its owner", async () => {
    // given a key / when two callers claim it
    expect(await claim("test:one", "effect-a")).toBe(true);
    expect(await claim("test:one", "effect-b")).toBe(false);
    expect(await claim("test:ownerless")).toBe(true);
    // then the first owns it, and the documents have the schema's types and no other field
    expect(await claimOwner("test:one")).toBe("effect-a");
    const stored = await raw("claims", "test:one");
    expect(Object.keys(stored!).sort()).toEqual(["_id", "at", "owner"]);
    expect((stored as unknown as { at: unknown }).at).toBeInstanceOf(Date);
    expect(Object.keys((await raw("claims", "test:ownerless"))!).sort()).toEqual(["_id", "at"]);
  });

  it("store a file once, readable byte for byte, and keep the first when stored again", async () => {
    // given a generated PDF's bytes / when they are stored twice under one id, the second time different
    const first = Buffer.from("%PDF-1.7 first");
    await putFileOnce("permit/T-1.pdf", "application/pdf", first);
    await putFileOnce("permit/T-1.pdf", "application/pdf", Buffer.from("%PDF-1.7 second"));
    // then the first is kept, with its size, hash and date, and read back as a Buffer
    expect(await fileExists("permit/T-1.pdf")).toBe(true);
    const file = await getFile("permit/T-1.pdf");
    expect(Buffer.isBuffer(file!.data) && file!.data.equals(first)).toBe(true);
    expect(file).toMatchObject({ contentType: "application/pdf", bytes: first.length, sha256: createHash("sha256").update(first).digest("hex") });
    expect(file!.createdAt).toBeInstanceOf(Date);
    expect(Object.keys((await raw("storedfiles", "permit/T-1.pdf"))!).sort()).toEqual(["_id", "bytes", "contentType", "createdAt", "data", "sha256"]);
  });
});
