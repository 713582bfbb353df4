/**
 * The tables of OPDC's figures, one definition for the page (a table beside each chart) and for the CSV
 * download of that same table, so the two can never disagree. Pure.
 */
import { monthNames } from "../thai/buddhist-date";
import { pick, type Lang, type LocalizedText } from "../text";
import type { AgencyFigures } from "./figures";

export type CellKind = "text" | "month" | "count" | "days" | "share";
export type Cell = string | number | null;
export type FigureColumn = { key: string; label: LocalizedText; kind: CellKind };
export type FigureTable = { id: string; caption: LocalizedText; columns: FigureColumn[]; rows: Cell[][] };

const col = (key: string, th: string, en: string, kind: CellKind): FigureColumn => ({ key, label: { th, en }, kind });
const AGENCY = col("agency", "หน่วยงาน", "Agency", "text");
const CODE = col("code", "รหัส", "Code", "text");
const SERVICE = col("service", "บริการ", "Service", "text");
const SLUG = col("slug", "รหัสบริการ", "Service id", "text");
const MONTH = col("month", "เดือน", "Month", "month");
const FILED = col("filed", "ยื่นคำขอ", "Filed", "count");
const DECIDED = col("decided", "พิจารณาแล้วเสร็จ", "Decided", "count");
const ON_TIME = col("decided_on_time", "เสร็จภายในกำหนด", "Decided on time", "count");
const SHARE = col("on_time_share", "สัดส่วนที่เสร็จภายในกำหนด", "Share decided on time", "share");
const MEDIAN = col("median_days", "มัธยฐาน (วันทำการ)", "Median (working days)", "days");
const P90 = col("p90_days", "เปอร์เซ็นไทล์ที่ 90 (วันทำการ)", "90th percentile (working days)", "days");
const LIMIT = col("statutory_days", "กำหนดตามกฎหมาย (วันทำการ)", "Statutory limit (working days)", "days");
const OPEN = col("open_cases", "อยู่ระหว่างดำเนินการ", "Open", "count");
const PAST = col("open_past_limit", "เกินกำหนดและยังไม่เสร็จ", "Open past their limit", "count");
const NOTICES = col("delay_notices", "หนังสือแจ้งความล่าช้าที่ส่ง", "Delay notices sent", "count");
const INITIAL = col("services_initial", "บริการระดับเริ่มต้น", "Services at the initial level", "count");
const STANDARD = col("services_standard", "บริการระดับมาตรฐาน", "Services at the standard level", "count");

/** The share as a percentage with one decimal (what the CSV carries); null stays null. */
export const sharePercent = (share: number | null): number | null => (share === null ? null : Math.round(share * 1000) / 10);
const shareOf = (onTime: number, decided: number) => sharePercent(decided > 0 ? onTime / decided : null);

function monthsTable(figures: Pick<AgencyFigures, "months">, caption: LocalizedText): FigureTable {
  return {
    id: "months",
    caption,
    columns: [MONTH, FILED, DECIDED, ON_TIME],
    rows: figures.months.map((m) => [m.month, m.filed, m.decided, m.decidedOnTime]),
  };
}

/** The dashboard over all agencies: one table per chart. */
export function dashboardTables(agencies: AgencyFigures[], all: AgencyFigures | null, lang: Lang = "th"): FigureTable[] {
  const name = (f: AgencyFigures) => [pick(f.name, lang), f.agencyCode];
  return [
    ...(all ? [monthsTable(all, { th: "คำขอต่อเดือน ทุกหน่วยงาน (12 เดือนล่าสุด)", en: "Applications per month, all agencies (last 12 months)" })] : []),
    {
      id: "on-time",
      caption: { th: "สัดส่วนคำขอที่พิจารณาเสร็จภายในกำหนด ต่อหน่วยงาน", en: "Share decided on time, per agency" },
      columns: [AGENCY, CODE, DECIDED, ON_TIME, SHARE],
      rows: agencies.map((f) => [...name(f), f.decided, f.decidedOnTime, sharePercent(f.onTimeShare)]),
    },
    {
      id: "processing-time",
      caption: { th: "ระยะเวลาพิจารณา (วันทำการ) ต่อหน่วยงาน", en: "Processing time (working days), per agency" },
      columns: [AGENCY, CODE, MEDIAN, P90],
      rows: agencies.map((f) => [...name(f), f.medianDays, f.p90Days]),
    },
    {
      id: "open-past-limit",
      caption: { th: "คำขอที่เกินกำหนดและยังไม่เสร็จ ต่อหน่วยงาน", en: "Open cases past their limit, per agency" },
      columns: [AGENCY, CODE, OPEN, PAST],
      rows: agencies.map((f) => [...name(f), f.openCases, f.openPastLimit]),
    },
    {
      id: "delay-notices",
      caption: { th: "หนังสือแจ้งความล่าช้าที่ส่ง ต่อหน่วยงาน", en: "Delay notices sent, per agency" },
      columns: [AGENCY, CODE, NOTICES],
      rows: agencies.map((f) => [...name(f), f.delayNoticesSent]),
    },
    {
      id: "services-online",
      caption: { th: "บริการที่เปิดให้ยื่นทางออนไลน์ ต่อหน่วยงาน", en: "Services online, per agency" },
      columns: [AGENCY, CODE, INITIAL, STANDARD, FILED],
      rows: agencies.map((f) => [...name(f), f.servicesOnline.initial, f.servicesOnline.standard, f.filed]),
    },
  ];
}

/** One agency's dashboard: its months and its services against their own limits. */
export function agencyTables(f: AgencyFigures, lang: Lang = "th"): FigureTable[] {
  const service = (s: AgencyFigures["services"][number]) => [pick(s.title, lang), s.slug];
  return [
    monthsTable(f, { th: "คำขอต่อเดือน (12 เดือนล่าสุด)", en: "Applications per month (last 12 months)" }),
    {
      id: "processing-time",
      caption: { th: "ระยะเวลาพิจารณาเทียบกับกำหนดตามกฎหมาย ต่อบริการ", en: "Processing time against the statutory limit, per service" },
      columns: [SERVICE, SLUG, LIMIT, MEDIAN, P90],
      rows: f.services.map((s) => [...service(s), s.statutoryDays, s.medianDays, s.p90Days]),
    },
    {
      id: "on-time",
      caption: { th: "สัดส่วนที่เสร็จภายในกำหนด ต่อบริการ", en: "Share decided on time, per service" },
      columns: [SERVICE, SLUG, FILED, DECIDED, ON_TIME, SHARE],
      rows: f.services.map((s) => [...service(s), s.filed, s.decided, s.decidedOnTime, shareOf(s.decidedOnTime, s.decided)]),
    },
    {
      id: "open-past-limit",
      caption: { th: "คำขอที่เกินกำหนดและยังไม่เสร็จ ต่อบริการ", en: "Open cases past their limit, per service" },
      columns: [SERVICE, SLUG, PAST],
      rows: f.services.map((s) => [...service(s), s.openPastLimit]),
    },
  ];
}

/** The public statistics of one agency (the page, the JSON's twin and the CSV). */
export function publicTables(f: PublicStatistics, lang: Lang = "th"): FigureTable[] {
  return [
    monthsTable(f, { th: "คำขอต่อเดือน (12 เดือนล่าสุด)", en: "Applications per month (last 12 months)" }),
    {
      id: "services",
      caption: { th: "คำขอและความตรงต่อเวลา ต่อบริการ", en: "Applications and timeliness, per service" },
      columns: [SERVICE, SLUG, LIMIT, FILED, DECIDED, ON_TIME, SHARE],
      rows: f.services.map((s) => [pick(s.title, lang), s.slug, s.statutoryDays, s.filed, s.decided, s.decidedOnTime, shareOf(s.decidedOnTime, s.decided)]),
    },
  ];
}

/** A table by id, or the first one when the id is absent; null for an unknown id. */
export function tableById(tables: FigureTable[], id: string | null): FigureTable | null {
  if (!id) return tables[0] ?? null;
  return tables.find((t) => t.id === id) ?? null;
}

/** The CSV rows: the column keys as the header (stable names for open data), then the raw values. */
export function csvRows(table: FigureTable): string[][] {
  return [table.columns.map((c) => c.key), ...table.rows.map((row) => row.map((cell) => (cell === null ? "" : String(cell))))];
}

/** "มิ.ย. 2569" / "Jun 2026" for "2026-06". */
export function monthLabel(month: string, lang: Lang, style: "long" | "short" = "short"): string {
  const [year, m] = month.split("-").map(Number) as [number, number];
  const name = monthNames(lang, style)[m - 1] ?? month;
  return `${name} ${lang === "th" ? year + 543 : year}`;
}

/** A cell as the page shows it: months named, shares as "66.7 %", missing values as "—". */
export function formatCell(cell: Cell, kind: CellKind, lang: Lang): string {
  if (cell === null || cell === "") return "—";
  if (kind === "month" && typeof cell === "string") return monthLabel(cell, lang);
  if (kind === "share" && typeof cell === "number") return `${cell.toLocaleString("en-US", { maximumFractionDigits: 1 })} %`;
  if (kind === "days" && typeof cell === "number") return cell.toLocaleString("en-US", { maximumFractionDigits: 1 });
  return String(cell);
}

export const columnLabel = (column: FigureColumn, lang: Lang) => pick(column.label, lang);

/** What the public statistics (page, JSON, CSV) publish of an agency's figures: volumes and timeliness. */
export type PublicStatistics = {
  agencyCode: string;
  name: LocalizedText;
  computedAt: string;
  servicesOnline: AgencyFigures["servicesOnline"];
  filed: number;
  decided: number;
  decidedOnTime: number;
  onTimeShare: number | null;
  months: AgencyFigures["months"];
  services: { slug: string; title: LocalizedText; level: "initial" | "standard"; statutoryDays: number | null; filed: number; decided: number; decidedOnTime: number }[];
};

export function publicStatistics(f: AgencyFigures): PublicStatistics {
  return {
    agencyCode: f.agencyCode,
    name: f.name,
    computedAt: f.computedAt,
    servicesOnline: f.servicesOnline,
    filed: f.filed,
    decided: f.decided,
    decidedOnTime: f.decidedOnTime,
    onTimeShare: f.onTimeShare,
    months: f.months,
    services: f.services.map((s) => ({ slug: s.slug, title: s.title, level: s.level, statutoryDays: s.statutoryDays, filed: s.filed, decided: s.decided, decidedOnTime: s.decidedOnTime })),
  };
}
