import { connectDb } from "~/utils/db.server";
import { changeAccountEndingSessions } from "./account-change.server";

/** Ends every session of the user, in every browser, at once. Errors: NOT_FOUND. */
export async function signOutEverywhere(userId: string, now = new Date()): Promise<void> {
  await connectDb();
  await changeAccountEndingSessions(userId, {}, now);
}
