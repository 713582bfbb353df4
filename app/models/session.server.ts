import { createHash } from "node:crypto";
import mongoose, { Schema } from "mongoose";
import { bumpConfigStamp, configCache } from "./config-stamp.server";

/** Whose limits apply: staff (officers and agency admins), OPDC administrators, or citizens. */
export type SessionKind = "citizen" | "staff" | "opdc";

/**
 * A signed-in browser. `_id` is the SHA-256 (hex) of the random id in the cookie, so every look-up is an `_id`
 * equality (fast on FerretDB) and a copy of the database holds no usable cookie.
 */
export type SessionRecord = {
  _id: string;
  userId: string;
  kind: SessionKind;
  createdAt: Date;
  lastSeenAt: Date;
  /** Absolute end, fixed at sign-in. */
  expiresAt: Date;
  ip?: string;
  userAgent?: string;
  /**
   * Set while a sign-in is not complete: the password was right but the second factor is still to be given
   * ("secondFactor") or, for someone required to have one, to be enrolled ("enrolSecondFactor"). Such a session
   * acts for nobody: only the second-factor pages accept it.
   */
  pendingStep?: PendingStep;
};

export type PendingStep = "secondFactor" | "enrolSecondFactor";

const SessionSchema = new Schema<SessionRecord>(
  {
    _id: String,
    userId: { type: String, required: true },
    kind: { type: String, required: true },
    createdAt: { type: Date, required: true },
    lastSeenAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    ip: String,
    userAgent: String,
    pendingStep: String,
  },
  { versionKey: false },
);
// "Sign out everywhere" finds a user's sessions by this index on MongoDB; on FerretDB it is a scan, which is
// acceptable for a rare action (and the user's sessionsValidFrom refuses any session it could miss).
SessionSchema.index({ userId: 1 });
// MongoDB removes sessions past their absolute end by itself; a session that is idle or refused is removed when
// it is next presented.
SessionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
// The worker's sweep of sessions left idle (FerretDB does not run TTL indexes; MongoDB still has idle ones).
SessionSchema.index({ lastSeenAt: 1 });

const SessionModel = (mongoose.models.Session as mongoose.Model<SessionRecord>) ?? mongoose.model<SessionRecord>("Session", SessionSchema);

export function sessionRecordId(cookieId: string): string {
  return createHash("sha256").update(cookieId).digest("hex");
}

export async function createSessionRecord(cookieId: string, session: Omit<SessionRecord, "_id">): Promise<SessionRecord> {
  const created = await SessionModel.create({ _id: sessionRecordId(cookieId), ...session });
  return created.toObject() as SessionRecord;
}

export async function findSessionRecord(cookieId: string): Promise<SessionRecord | null> {
  return SessionModel.findById(sessionRecordId(cookieId)).lean<SessionRecord>();
}

// Live sessions, by record id (found ones only: a made-up cookie is read each time and cannot fill the cache).
const liveSessions = configCache<SessionRecord | null>(20_000);

/**
 * The session as of the configuration stamp, which every delete below bumps: a session ended anywhere is not
 * served from a copy. The copy's `lastSeenAt` may be behind (another process touched it, without bumping): it
 * is never later than the stored one, so a copy that says "in use" is right; one that says "idle" must be read
 * again (`forgetSessionRecord`) before the session is refused. Shared: only `touchSessionRecord` changes it.
 */
export function findLiveSessionRecord(cookieId: string): Promise<SessionRecord | null> {
  const id = sessionRecordId(cookieId);
  return liveSessions.get(id, () => SessionModel.findById(id).lean<SessionRecord>().exec(), (found) => found !== null);
}

export function forgetSessionRecord(recordId: string): void {
  liveSessions.forget(recordId);
}

/**
 * Records use, but at most once per `minIntervalMs`, so a busy page does not write on every request. Not a
 * configuration change (no bump); this process's copy moves forward with it, so it does not write again at once.
 */
export async function touchSessionRecord(session: SessionRecord, now: Date, minIntervalMs: number): Promise<void> {
  if (now.getTime() - session.lastSeenAt.getTime() < minIntervalMs) return;
  await SessionModel.updateOne({ _id: session._id }, { $set: { lastSeenAt: now } });
  if (now.getTime() > session.lastSeenAt.getTime()) session.lastSeenAt = now;
}

export async function deleteSessionRecord(cookieId: string): Promise<void> {
  await SessionModel.deleteOne({ _id: sessionRecordId(cookieId) });
  await bumpConfigStamp();
}

export async function deleteSessionRecordById(recordId: string): Promise<void> {
  await SessionModel.deleteOne({ _id: recordId });
  await bumpConfigStamp();
}

export async function deleteSessionsOfUser(userId: string): Promise<number> {
  const { deletedCount } = await SessionModel.deleteMany({ userId });
  await bumpConfigStamp();
  return deletedCount;
}

/** Deletes sessions past their absolute end, or unused since the cut-off of their kind. One query: a scan on FerretDB. */
export async function deleteEndedSessions(now: Date, idleCutoff: Record<SessionKind, Date>): Promise<number> {
  const { deletedCount } = await SessionModel.deleteMany({
    $or: [
      { expiresAt: { $lte: now } },
      ...(Object.entries(idleCutoff) as [SessionKind, Date][]).map(([kind, before]) => ({ kind, lastSeenAt: { $lte: before } })),
    ],
  });
  // Copies of these would be refused anyway (past their end or idle), but no process should keep them.
  if (deletedCount > 0) await bumpConfigStamp(now);
  return deletedCount;
}

export async function countSessionsOfUser(userId: string): Promise<number> {
  return SessionModel.countDocuments({ userId });
}
