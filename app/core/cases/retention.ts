import type { Retention } from "../definitions/types";

/** When a manifest says nothing: ten years, the usual keeping period of government licensing files. */
export const DEFAULT_RETENTION: Retention = { closedCaseYears: 10 };

/** The moment a closed case's personal data is due for removal (calendar years/days after closing, UTC). */
export function retentionEndsAt(closedAt: Date, retention: Retention | undefined): Date {
  const rule = retention ?? DEFAULT_RETENTION;
  const end = new Date(closedAt.getTime());
  if ("closedCaseDays" in rule) end.setUTCDate(end.getUTCDate() + rule.closedCaseDays);
  else end.setUTCFullYear(end.getUTCFullYear() + rule.closedCaseYears);
  return end;
}

/** Has a case closed at `closedAt` been kept for longer than its service allows? */
export function isPastRetention(closedAt: Date, retention: Retention | undefined, now: Date): boolean {
  return retentionEndsAt(closedAt, retention).getTime() <= now.getTime();
}
