import type { CommandStartedEvent } from "mongodb";
import mongoose from "mongoose";

/** "find cases", "insert claims", …: a command's name and the collection it names. */
export function commandKey(event: CommandStartedEvent): string {
  const cmd = event.command as Record<string, unknown>;
  const target = typeof cmd[event.commandName] === "string" ? ` ${String(cmd[event.commandName])}` : "";
  return `${event.commandName}${target}`;
}

/**
 * Connects the app's mongoose to `uri` with the driver's command monitoring (the app's connectDb() reuses this
 * connection: it is kept on the global) and counts the commands sent while `counting` is on, by `keyOf` (a null
 * key is not counted). Nothing sits between the process and the database.
 */
export async function connectCountingCommands(uri: string, keyOf: (event: CommandStartedEvent) => string | null = commandKey) {
  global.__borikanDb = mongoose.connect(uri, { serverSelectionTimeoutMS: 10_000, monitorCommands: true });
  const conn = await global.__borikanDb;
  const counter = { counting: false, counts: new Map<string, number>() };
  conn.connection.getClient().on("commandStarted", (event) => {
    if (!counter.counting) return;
    const key = keyOf(event);
    if (key !== null) counter.counts.set(key, (counter.counts.get(key) ?? 0) + 1);
  });
  return counter;
}
