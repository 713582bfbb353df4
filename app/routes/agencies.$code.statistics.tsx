import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BarsSection, FIGURE_TEXT, MonthsSection } from "~/components/oversight/FigureSections";
import { formatCell, publicTables, tableById } from "~/core/oversight/figure-tables";
import { pick, type LocalizedText } from "~/core/text";
import { formatDateTime } from "~/core/thai/buddhist-date";
import { viewPublicStatistics } from "~/services/oversight/view-figures.server";
import { enforcePageRateLimit } from "~/services/security/rate-limits.server";
import { clientIp } from "~/utils/client-ip.server";
import { pageHandler } from "~/utils/http.server";
import { requestLang } from "~/utils/lang.server";
import styles from "~/styles/oversight.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `สถิติการให้บริการ / Statistics — ${data?.statistics.name.th ?? ""} — Borikan` }];

const T = {
  title: { th: "สถิติการให้บริการ", en: "Service statistics" },
  intro: {
    th: "จำนวนคำขอและความตรงต่อเวลาของการพิจารณาตามกำหนดในคู่มือสำหรับประชาชน (พ.ร.บ.การอำนวยความสะดวกฯ พ.ศ. 2558) รวมตั้งแต่เริ่มใช้ระบบ รายเดือน 12 เดือนล่าสุด",
    en: "Applications and how many were decided within the time limit the service's manual states (Licensing Facilitation Act B.E. 2558): totals since records began, months the last 12.",
  },
  onTime: { th: "พิจารณาเสร็จภายในกำหนด", en: "Decided on time" },
  openData: { th: "ข้อมูลเปิด", en: "Open data" },
  json: { th: "ทั้งหมดเป็น JSON", en: "Everything as JSON" },
} satisfies Record<string, LocalizedText>;

export const loader = ({ request, params }: LoaderFunctionArgs) =>
  pageHandler(async () => {
    await enforcePageRateLimit("statisticsPage", clientIp(request));
    return json({ lang: await requestLang(request), statistics: await viewPublicStatistics(params.code ?? "") });
  });

export default function AgencyStatistics() {
  const { lang, statistics } = useLoaderData<typeof loader>();
  const t = (text: LocalizedText) => pick(text, lang);
  const tables = publicTables(statistics, lang);
  const table = (id: string) => tableById(tables, id)!;
  const api = `/api/v1/agencies/${statistics.agencyCode}/statistics`;
  const share = statistics.onTimeShare === null ? "—" : formatCell(Math.round(statistics.onTimeShare * 1000) / 10, "share", lang);
  return (
    <div>
      <h1>{t(T.title)}: {pick(statistics.name, lang)}</h1>
      <p className="bk-muted">{t(T.intro)}</p>
      <p className="bk-muted">{t(FIGURE_TEXT.computedAt)} {formatDateTime(statistics.computedAt, lang)}</p>
      <ul className="bk-kpis" data-testid="headline">
        <li><strong data-testid="on-time-share">{share}</strong>{t(T.onTime)}</li>
        <li><strong>{statistics.filed}</strong>{t(FIGURE_TEXT.filed)}</li>
        <li><strong>{statistics.decided}</strong>{t(FIGURE_TEXT.decided)}</li>
      </ul>
      <MonthsSection figures={statistics} table={table("months")} lang={lang} csvBase={`${api}.csv`} />
      <BarsSection
        table={table("services")}
        lang={lang}
        csvBase={`${api}.csv`}
        valueKeys={["filed", "decided"]}
        seriesLabels={[FIGURE_TEXT.filed, FIGURE_TEXT.decided]}
        desc={{ th: "จำนวนคำขอที่ยื่นและที่พิจารณาแล้วเสร็จ ของแต่ละบริการ ร้อยละที่เสร็จภายในกำหนดอยู่ในตาราง", en: "Per service, applications filed and decided; the share decided on time is in the table." }}
      />
      <p>{t(T.openData)}: <a href={api} data-testid="statistics-json">{t(T.json)}</a></p>
    </div>
  );
}
