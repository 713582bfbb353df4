import mongoose from "mongoose";
import { env } from "./env.server";

// FerretDB v1 (the embedded default) has no transactions and refuses `$`/`.` keys: every write in
// Borikan is a single-document update, and definitions are stored as JSON strings.
mongoose.set("strictQuery", true);
mongoose.set("autoIndex", true);

declare global {
  // Kept across dev reloads so the server does not open a new pool on every change.
  var __borikanDb: Promise<typeof mongoose> | undefined;
}

export function connectDb(uri = env().MONGODB_URI): Promise<typeof mongoose> {
  if (!global.__borikanDb) {
    global.__borikanDb = mongoose.connect(uri, { serverSelectionTimeoutMS: 10_000 }).catch((error) => {
      global.__borikanDb = undefined;
      throw error;
    });
  }
  return global.__borikanDb;
}

export async function disconnectDb() {
  if (global.__borikanDb) {
    await mongoose.disconnect();
    global.__borikanDb = undefined;
  }
}

export async function pingDb(): Promise<boolean> {
  try {
    const conn = await connectDb();
    await conn.connection.db!.admin().command({ ping: 1 });
    return true;
  } catch {
    return false;
  }
}
