import type { LocalizedText } from "../text";
import type { ServiceUse } from "./readiness";

/**
 * The figures OPDC watches per agency (Act B.E. 2565; OPDC's oversight of electronic services). Computed by
 * the worker from the cases and services (never on a request), stored as a snapshot, read by the dashboard,
 * the public statistics pages, the periodic progress notices and the reports.
 */
export type MonthFigures = {
  /** "YYYY-MM", Bangkok calendar. */
  month: string;
  filed: number;
  decided: number;
  decidedOnTime: number;
};

export type ServiceFigures = {
  slug: string;
  title: LocalizedText;
  level: "initial" | "standard";
  statutoryDays: number | null;
  filed: number;
  decided: number;
  decidedOnTime: number;
  /** Working days from receipt to decision; null when nothing is decided yet. */
  medianDays: number | null;
  p90Days: number | null;
  openPastLimit: number;
  /** What the readiness check counts (receipts, letters, permits, payments); absent in snapshots made before it. */
  use?: ServiceUse;
};

export type AgencyFigures = {
  agencyId: string;
  agencyCode: string;
  name: LocalizedText;
  computedAt: string;
  servicesOnline: { initial: number; standard: number };
  filed: number;
  decided: number;
  decidedOnTime: number;
  /** decidedOnTime / decided, or null when nothing is decided. */
  onTimeShare: number | null;
  medianDays: number | null;
  p90Days: number | null;
  openCases: number;
  openPastLimit: number;
  delayNoticesSent: number;
  months: MonthFigures[];
  services: ServiceFigures[];
};
