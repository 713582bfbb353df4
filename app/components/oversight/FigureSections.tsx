/**
 * The sections of OPDC's dashboard and the public statistics: each a chart (server-drawn SVG) beside the table
 * of the same numbers and its CSV link. The tables come from core/oversight/figure-tables, like the CSVs.
 */
import type { AgencyFigures } from "~/core/oversight/figures";
import { formatCell, monthLabel, type FigureTable } from "~/core/oversight/figure-tables";
import { pick, type Lang, type LocalizedText } from "~/core/text";
import { FigureTableView, HBarChart, MonthChart, SERIES_COLORS, type HBar } from "./FigureCharts";

export const FIGURE_TEXT = {
  filed: { th: "ยื่นคำขอ", en: "Filed" },
  decided: { th: "พิจารณาแล้วเสร็จ", en: "Decided" },
  onTime: { th: "เสร็จภายในกำหนด (%)", en: "Decided on time (%)" },
  median: { th: "มัธยฐาน", en: "Median" },
  p90: { th: "เปอร์เซ็นไทล์ที่ 90", en: "90th percentile" },
  limit: { th: "กำหนดตามกฎหมาย", en: "Statutory limit" },
  pastLimit: { th: "เกินกำหนด ยังไม่เสร็จ", en: "Open past limit" },
  notices: { th: "หนังสือแจ้งความล่าช้า", en: "Delay notices" },
  csv: { th: "ดาวน์โหลดตารางนี้เป็น CSV", en: "Download this table as CSV" },
  computedAt: { th: "คำนวณเมื่อ", en: "Computed at" },
  none: { th: "ยังไม่มีข้อมูล", en: "No data yet" },
} satisfies Record<string, LocalizedText>;

type Props = { table: FigureTable; lang: Lang; csvBase?: string };

function csvHref(base: string | undefined, table: FigureTable, lang: Lang): string | undefined {
  return base ? `${base}?table=${table.id}&lang=${lang}` : undefined;
}

/** A described section: heading, chart, table. */
function Section({ table, lang, csvBase, chart }: Props & { chart: React.ReactNode }) {
  return (
    // A table of many columns takes the whole width, under its chart.
    <section className={`bk-figure${table.columns.length > 5 ? " bk-figure-stacked" : ""}`} aria-labelledby={`figure-${table.id}`} data-testid={`figure-${table.id}`}>
      <h2 id={`figure-${table.id}`}>{pick(table.caption, lang)}</h2>
      {chart}
      <FigureTableView table={table} lang={lang} csvHref={csvHref(csvBase, table, lang)} csvLabel={pick(FIGURE_TEXT.csv, lang)} />
    </section>
  );
}

/** Applications per month: filed and decided. */
export function MonthsSection({ figures, table, lang, csvBase }: Props & { figures: Pick<AgencyFigures, "months"> }) {
  const t = (text: LocalizedText) => pick(text, lang);
  const total = figures.months.reduce((sum, m) => sum + m.filed, 0);
  return (
    <Section
      table={table}
      lang={lang}
      csvBase={csvBase}
      chart={
        <MonthChart
          id={`${table.id}-chart`}
          title={t(table.caption)}
          desc={lang === "th" ? `คำขอที่ยื่นและที่พิจารณาแล้วเสร็จในแต่ละเดือน รวม ${total} คำขอใน 12 เดือน ตัวเลขอยู่ในตารางถัดไป` : `Applications filed and decided each month: ${total} filed in 12 months. The numbers are in the table next to it.`}
          series={[{ label: t(FIGURE_TEXT.filed), color: SERIES_COLORS[0] }, { label: t(FIGURE_TEXT.decided), color: SERIES_COLORS[1] }]}
          months={figures.months.map((m) => ({ label: monthLabel(m.month, lang).replace(/ (\d{2})(\d{2})$/, " $2"), values: [m.filed, m.decided] }))}
        />
      }
    />
  );
}

/** A per-row bar chart of some columns of the table (by key), with an optional marker column (a limit). */
export function BarsSection({ table, lang, csvBase, valueKeys, seriesLabels, markerKey, max, unit, desc }: Props & { valueKeys: string[]; seriesLabels: LocalizedText[]; markerKey?: string; max?: number; unit?: string; desc: LocalizedText }) {
  const t = (text: LocalizedText) => pick(text, lang);
  const index = (key: string) => table.columns.findIndex((c) => c.key === key);
  const bars: HBar[] = table.rows.map((row) => ({
    label: String(row[0] ?? ""),
    values: valueKeys.map((key) => {
      const v = row[index(key)];
      return typeof v === "number" ? v : null;
    }),
    marker: markerKey ? ((row[index(markerKey)] as number | null) ?? null) : undefined,
  }));
  return (
    <Section
      table={table}
      lang={lang}
      csvBase={csvBase}
      chart={
        <HBarChart
          id={`${table.id}-chart`}
          title={t(table.caption)}
          desc={t(desc)}
          series={seriesLabels.map((label, i) => ({ label: t(label), color: SERIES_COLORS[i % SERIES_COLORS.length]! }))}
          bars={bars}
          max={max}
          unit={unit}
          markerLabel={markerKey ? t(FIGURE_TEXT.limit) : undefined}
        />
      }
    />
  );
}

/** The headline numbers of one set of figures. */
export function Headline({ figures, lang }: { figures: AgencyFigures; lang: Lang }) {
  const t = (text: LocalizedText) => pick(text, lang);
  const share = figures.onTimeShare === null ? "—" : formatCell(Math.round(figures.onTimeShare * 1000) / 10, "share", lang);
  const items: [LocalizedText, string][] = [
    [FIGURE_TEXT.filed, String(figures.filed)],
    [FIGURE_TEXT.decided, String(figures.decided)],
    [FIGURE_TEXT.onTime, share],
    [{ th: "มัธยฐาน / P90 (วันทำการ)", en: "Median / P90 (working days)" }, `${formatCell(figures.medianDays, "days", lang)} / ${formatCell(figures.p90Days, "days", lang)}`],
    [FIGURE_TEXT.pastLimit, String(figures.openPastLimit)],
    [FIGURE_TEXT.notices, String(figures.delayNoticesSent)],
  ];
  return (
    <ul className="bk-kpis" data-testid="headline">
      {items.map(([label, value]) => (
        <li key={label.en}>
          <strong>{value}</strong>
          {t(label)}
        </li>
      ))}
    </ul>
  );
}
