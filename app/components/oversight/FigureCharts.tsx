/**
 * Charts of OPDC's figures drawn as inline SVG on the server: readable without JavaScript, printable, named by
 * a <title> and described by a <desc>. Each is shown beside a table of the same numbers (FigureTableView).
 */
import { columnLabel, formatCell, type FigureTable } from "~/core/oversight/figure-tables";
import type { Lang } from "~/core/text";

export type Series = { label: string; color: string };
export const SERIES_COLORS = ["#1d4f91", "#b45309", "#0f7b4a"] as const;

const WIDTH = 640;
const FONT = 12;

/** A short label for the SVG (the table beside it has the whole one). */
function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}

function Legend({ series, marker, y }: { series: Series[]; marker?: string; y: number }) {
  let x = 0;
  const items = series.map((s) => {
    const at = x;
    x += 24 + s.label.length * 7.5;
    return (
      <g key={s.label} transform={`translate(${at},${y})`}>
        <rect width={14} height={12} fill={s.color} />
        <text x={20} y={11} fontSize={FONT}>{s.label}</text>
      </g>
    );
  });
  return (
    <g>
      {items}
      {marker ? (
        <g transform={`translate(${x},${y})`}>
          <line x1={0} x2={14} y1={6} y2={6} stroke="#0b0c0c" strokeWidth={2} strokeDasharray="3 2" />
          <text x={20} y={11} fontSize={FONT}>{marker}</text>
        </g>
      ) : null}
    </g>
  );
}

export type HBar = { label: string; values: (number | null)[]; marker?: number | null };

/** Horizontal bars, one group per row (agency or service), one bar per series; an optional marker per row (a limit). */
export function HBarChart(props: { id: string; title: string; desc: string; series: Series[]; bars: HBar[]; max?: number; unit?: string; markerLabel?: string }) {
  const { id, title, desc, series, bars } = props;
  const labelWidth = 190;
  const plotWidth = WIDTH - labelWidth - 70;
  const barHeight = 14;
  const groupHeight = series.length * barHeight + 12;
  const top = 30;
  const height = top + Math.max(1, bars.length) * groupHeight + 8;
  const biggest = Math.max(0, ...bars.flatMap((b) => [...b.values.map((v) => v ?? 0), b.marker ?? 0]));
  const max = props.max ?? niceMax(biggest);
  const scale = (v: number) => (Math.min(v, max) / max) * plotWidth;
  return (
    <svg className="bk-chart" viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} data-testid={`chart-${id}`}>
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{desc}</desc>
      <Legend series={series} marker={props.markerLabel} y={0} />
      {bars.map((bar, row) => {
        const y = top + row * groupHeight;
        return (
          <g key={`${bar.label}-${row}`}>
            <text x={labelWidth - 8} y={y + groupHeight / 2} fontSize={FONT} textAnchor="end" dominantBaseline="middle">{clip(bar.label, 26)}</text>
            {bar.values.map((value, i) => (
              <g key={i}>
                <rect x={labelWidth} y={y + i * barHeight} width={value ? Math.max(1, scale(value)) : 0} height={barHeight - 2} fill={series[i]?.color ?? "#505a5f"} />
                <text x={labelWidth + scale(value ?? 0) + 4} y={y + i * barHeight + barHeight / 2} fontSize={FONT - 1} dominantBaseline="middle">
                  {value === null ? "—" : `${Math.round(value * 10) / 10}${props.unit ?? ""}`}
                </text>
              </g>
            ))}
            {bar.marker ? (
              <line x1={labelWidth + scale(bar.marker)} x2={labelWidth + scale(bar.marker)} y1={y - 3} y2={y + series.length * barHeight + 1} stroke="#0b0c0c" strokeWidth={2} strokeDasharray="3 2" />
            ) : null}
          </g>
        );
      })}
      <line x1={labelWidth} x2={labelWidth} y1={top - 4} y2={height - 8} stroke="#505a5f" />
    </svg>
  );
}

/** Vertical bars per month, one bar per series. */
export function MonthChart(props: { id: string; title: string; desc: string; series: Series[]; months: { label: string; values: number[] }[] }) {
  const { id, title, desc, series, months } = props;
  const left = 40;
  const top = 30;
  const plotHeight = 170;
  const height = top + plotHeight + 34;
  const slot = (WIDTH - left - 8) / Math.max(1, months.length);
  const barWidth = Math.max(3, (slot - 8) / Math.max(1, series.length));
  const max = niceMax(Math.max(0, ...months.flatMap((m) => m.values)));
  const y = (v: number) => top + plotHeight - (v / max) * plotHeight;
  const ticks = [0, max / 2, max];
  return (
    <svg className="bk-chart" viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} data-testid={`chart-${id}`}>
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{desc}</desc>
      <Legend series={series} y={0} />
      {ticks.map((t) => (
        <g key={t}>
          <line x1={left} x2={WIDTH - 8} y1={y(t)} y2={y(t)} stroke="#d8dde3" />
          <text x={left - 6} y={y(t)} fontSize={FONT - 1} textAnchor="end" dominantBaseline="middle">{Math.round(t * 10) / 10}</text>
        </g>
      ))}
      {months.map((m, i) => {
        const x = left + i * slot + 4;
        return (
          <g key={m.label}>
            {m.values.map((v, s) => (
              <rect key={s} x={x + s * barWidth} y={y(v)} width={barWidth - 1} height={top + plotHeight - y(v)} fill={series[s]?.color ?? "#505a5f"} />
            ))}
            <text x={x + slot / 2 - 4} y={top + plotHeight + 16} fontSize={FONT - 2} textAnchor="middle">{m.label}</text>
          </g>
        );
      })}
    </svg>
  );
}

/** The table beside a chart, with its CSV download. */
export function FigureTableView({ table, lang, csvHref, csvLabel }: { table: FigureTable; lang: Lang; csvHref?: string; csvLabel?: string }) {
  return (
    <div className="bk-figure-table">
      <table className="bk-table" data-testid={`table-${table.id}`}>
        <caption>{lang === "th" ? table.caption.th : table.caption.en}</caption>
        <thead>
          <tr>{table.columns.map((c) => <th key={c.key} scope="col">{columnLabel(c, lang)}</th>)}</tr>
        </thead>
        <tbody>
          {table.rows.map((row, r) => (
            <tr key={r}>
              {row.map((cell, i) => {
                const column = table.columns[i]!;
                const text = formatCell(cell, column.kind, lang);
                return i === 0 ? <th key={i} scope="row">{text}</th> : <td key={i} className={column.kind !== "text" ? "bk-num" : column.key === "code" ? "bk-code" : undefined}>{text}</td>;
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {csvHref ? (
        <p className="bk-csv-link">
          <a href={csvHref} download data-testid={`csv-${table.id}`}>{csvLabel ?? "CSV"}</a>
        </p>
      ) : null}
    </div>
  );
}
