import { createHash } from "node:crypto";
import mongoose, { Schema } from "mongoose";

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

/** Records use, but at most once per `minIntervalMs`, so a busy page does not write on every request. */
export async function touchSessionRecord(session: SessionRecord, now: Date, minIntervalMs: number): Promise<void> {
  if (now.getTime() - session.lastSeenAt.getTime() < minIntervalMs) return;
  await SessionModel.updateOne({ _id: session._id }, { $set: { lastSeenAt: now } });
}

export async function deleteSessionRecord(cookieId: string): Promise<void> {
  await SessionModel.deleteOne({ _id: sessionRecordId(cookieId) });
}

export async function deleteSessionRecordById(recordId: string): Promise<void> {
  await SessionModel.deleteOne({ _id: recordId });
}

export async function deleteSessionsOfUser(userId: string): Promise<number> {
  const { deletedCount } = await SessionModel.deleteMany({ userId });
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
  return deletedCount;
}

export async function countSessionsOfUser(userId: string): Promise<number> {
  return SessionModel.countDocuments({ userId });
}
