// The embedded database as scripts/ferretdb.mjs starts it: our processes connect through a Unix socket in its
// data directory, tools through the loopback port; both reach the same data, a server killed outright can be
// started again on the same directory with every acknowledged write kept, and a directory whose path is too
// long for a socket falls back to the port.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { MongoClient } from "mongodb";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, startFerretDb } from "../../scripts/ferretdb.mjs";

const root = mkdtempSync(path.join(os.tmpdir(), "borikan-embedded-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function withClient<T>(uri: string, work: (client: MongoClient) => Promise<T>): Promise<T> {
  const client = new MongoClient(uri, { directConnection: true, serverSelectionTimeoutMS: 10_000 });
  try {
    await client.connect();
    return await work(client);
  } finally {
    await client.close();
  }
}

describe("embedded database", () => {
  it("serves the same data on its socket and on its loopback port, and keeps it when killed outright", async () => {
    const dataDir = path.join(root, "one");
    const first = await startFerretDb({ port: await freePort(), dataDir });
    expect(first.uri).toBe(`mongodb://${encodeURIComponent(path.join(dataDir, "ferretdb.sock"))}/`);
    expect(first.tcpUri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/$/);

    const ids = Array.from({ length: 20 }, (_, i) => `doc-${i}`);
    await withClient(first.uri, (client) =>
      client.db("embedded_test").collection<{ _id: string; n: number }>("things").insertMany(ids.map((id, n) => ({ _id: id, n }))),
    );
    const viaPort = await withClient(first.tcpUri, (client) => client.db("embedded_test").collection("things").countDocuments({}));
    expect(viaPort).toBe(20);

    // Killed outright: the socket file stays behind and no shutdown runs. The next start must remove the file,
    // and every write acknowledged before the kill must be there (synchronous=normal under WAL loses nothing
    // when only the process dies).
    first.process.kill("SIGKILL");
    await new Promise((resolve) => first.process.once("exit", resolve));
    const second = await startFerretDb({ port: await freePort(), dataDir });
    try {
      const stored = await withClient(second.uri, (client) =>
        client.db("embedded_test").collection<{ _id: string; n: number }>("things").find({}).sort({ _id: 1 }).toArray(),
      );
      expect(stored.map((doc) => doc._id)).toEqual([...ids].sort());
    } finally {
      await second.stop();
    }
  });

  it("uses the loopback port when the data directory's path is too long for a socket", async () => {
    const dataDir = path.join(root, "x".repeat(120));
    mkdirSync(dataDir, { recursive: true });
    const server = await startFerretDb({ port: await freePort(), dataDir });
    try {
      expect(server.uri).toBe(server.tcpUri);
      const ok = await withClient(server.uri, async (client) => (await client.db("embedded_test").command({ ping: 1 })).ok);
      expect(ok).toBe(1);
    } finally {
      await server.stop();
    }
  });
});
