/** When a signed-in session stops being accepted. Pure: the caller supplies the clock and the limits. */

export type SessionTimes = { createdAt: Date; lastSeenAt: Date; expiresAt: Date };
export type SessionHolder = { active?: boolean; sessionsValidFrom?: Date | null };

/** Why a session is refused, or null when it may be used. */
export type SessionRefusal = "expired" | "idle" | "revoked" | "inactive";

export function sessionRefusal(session: SessionTimes, holder: SessionHolder | null, idleMs: number, now: Date): SessionRefusal | null {
  if (!holder || holder.active === false) return "inactive";
  if (holder.sessionsValidFrom && session.createdAt.getTime() < holder.sessionsValidFrom.getTime()) return "revoked";
  if (now.getTime() >= session.expiresAt.getTime()) return "expired";
  if (now.getTime() - session.lastSeenAt.getTime() >= idleMs) return "idle";
  return null;
}

/**
 * How stale `lastSeenAt` may get before it is written again: a minute, or a quarter of the idle limit when that
 * is shorter. A session may therefore end up to this much before its full idle time — never after it.
 */
export function touchIntervalMs(idleMs: number): number {
  return Math.min(60_000, idleMs / 4);
}
