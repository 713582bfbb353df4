/**
 * The numbers people quote: tracking numbers of applications and result-letter numbers. Each series runs per
 * agency and Buddhist-era year, and the year is Bangkok's (a letter issued at 00:30 on 1 January in Bangkok
 * opens the new year's series, though it is still 31 December in UTC).
 */
import { bangkokBuddhistYear } from "../time/bangkok-clock";

export function trackingSequenceName(agencyId: string, at: Date): string {
  return `tracking:${agencyId}:${bangkokBuddhistYear(at)}`;
}

/** "SKJ-2570-000123". */
export function trackingNumber(agencyCode: string, at: Date, seq: number): string {
  return `${agencyCode}-${bangkokBuddhistYear(at)}-${String(seq).padStart(6, "0")}`;
}

export function letterSequenceName(agencyId: string, at: Date): string {
  return `letter:${agencyId}:${bangkokBuddhistYear(at)}`;
}

/** "SKJ-L-2570-00001". */
export function letterNumber(agencyCode: string, at: Date, seq: number): string {
  return `${agencyCode}-L-${bangkokBuddhistYear(at)}-${String(seq).padStart(5, "0")}`;
}
