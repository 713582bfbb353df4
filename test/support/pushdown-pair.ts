// Two FerretDB servers of the same binary for property tests of the engine's patches: one as built (pushdown
// on), one with --test-disable-pushdown (whole documents, everything filtered, sorted and projected in Go), each
// on its own data directory, with a database of the given name on each. Stopped and removed by `close()`.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { MongoClient, type Db } from "mongodb";
import { freePort, startFerretDb } from "../../scripts/ferretdb.mjs";

export type PushdownPair = { pushed: Db; reference: Db; close(): Promise<void> };

export async function startPushdownPair(dbName: string): Promise<PushdownPair> {
  const dataRoot = mkdtempSync(path.join(os.tmpdir(), `borikan-${dbName}-`));
  const servers: Awaited<ReturnType<typeof startFerretDb>>[] = [];
  const clients: MongoClient[] = [];
  const close = async () => {
    for (const client of clients) await client.close();
    for (const server of servers) await server.stop();
    rmSync(dataRoot, { recursive: true, force: true });
  };
  try {
    for (const [name, extraArgs] of [
      ["pushdown", []],
      ["reference", ["--test-disable-pushdown"]],
    ] as const) {
      const server = await startFerretDb({ port: await freePort(), dataDir: path.join(dataRoot, name), extraArgs: [...extraArgs] });
      servers.push(server);
      const client = new MongoClient(server.uri, { directConnection: true });
      await client.connect();
      clients.push(client);
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { pushed: clients[0]!.db(dbName), reference: clients[1]!.db(dbName), close };
}
