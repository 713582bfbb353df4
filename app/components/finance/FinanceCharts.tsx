/**
 * The finance overview's charts, drawn as inline SVG on the server in the style of OPDC's figures
 * (components/oversight/FigureCharts.tsx): readable without JavaScript, named by <title>, described by <desc>.
 */
import { HBarChart, MonthChart, SERIES_COLORS } from "~/components/oversight/FigureCharts";

/** Baht received per day: one bar a day, labelled with the day of the month. */
export function DayChart(props: { title: string; desc: string; seriesLabel: string; days: { day: string; baht: number }[] }) {
  return (
    <MonthChart
      id="finance-days"
      title={props.title}
      desc={props.desc}
      series={[{ label: props.seriesLabel, color: SERIES_COLORS[0] }]}
      months={props.days.map((d) => ({ label: String(Number(d.day.slice(8, 10))), values: [d.baht] }))}
    />
  );
}

/** Baht received per service in a month. */
export function ServiceChart(props: { title: string; desc: string; seriesLabel: string; services: { label: string; baht: number }[] }) {
  return (
    <HBarChart
      id="finance-services"
      title={props.title}
      desc={props.desc}
      series={[{ label: props.seriesLabel, color: SERIES_COLORS[2] }]}
      bars={props.services.map((s) => ({ label: s.label, values: [s.baht] }))}
    />
  );
}
