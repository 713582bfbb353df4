import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BarsSection, FIGURE_TEXT, Headline, MonthsSection } from "~/components/oversight/FigureSections";
import { agencyTables, tableById } from "~/core/oversight/figure-tables";
import { pick, type LocalizedText } from "~/core/text";
import { formatDateTime } from "~/core/thai/buddhist-date";
import { viewAgencyDashboard } from "~/services/oversight/view-figures.server";
import { requireSessionActor } from "~/utils/auth.server";
import { pageHandler } from "~/utils/http.server";
import { requestLang } from "~/utils/lang.server";
import styles from "~/styles/oversight.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.figures.agencyCode ?? ""} — แดชบอร์ด ก.พ.ร. / OPDC dashboard — Borikan` }];

const T = {
  back: { th: "กลับไปแดชบอร์ดทุกหน่วยงาน", en: "Back to all agencies" },
  publicPage: { th: "หน้าสถิติสาธารณะของหน่วยงานนี้", en: "This agency's public statistics" },
  online: { th: "บริการออนไลน์: ระดับเริ่มต้น {{initial}} ระดับมาตรฐาน {{standard}}", en: "Services online: {{initial}} at the initial level, {{standard}} at the standard level" },
} satisfies Record<string, LocalizedText>;

export const loader = ({ request, params }: LoaderFunctionArgs) =>
  pageHandler(async () => {
    const actor = await requireSessionActor(request);
    return json({ lang: await requestLang(request), figures: await viewAgencyDashboard(actor, params.agencyCode ?? "") });
  });

export default function AgencyDashboard() {
  const { lang, figures } = useLoaderData<typeof loader>();
  const t = (text: LocalizedText) => pick(text, lang);
  const tables = agencyTables(figures, lang);
  const table = (id: string) => tableById(tables, id)!;
  const csvBase = `/opdc/dashboard/${figures.agencyCode}.csv`;
  return (
    <div>
      <p className="bk-no-print"><Link to="/opdc/dashboard">← {t(T.back)}</Link></p>
      <h1>{pick(figures.name, lang)} <span className="bk-badge">{figures.agencyCode}</span></h1>
      <p className="bk-muted">
        {t(FIGURE_TEXT.computedAt)} {formatDateTime(figures.computedAt, lang)} ·{" "}
        {t(T.online).replace("{{initial}}", String(figures.servicesOnline.initial)).replace("{{standard}}", String(figures.servicesOnline.standard))} ·{" "}
        <Link to={`/agencies/${figures.agencyCode}/statistics`}>{t(T.publicPage)}</Link>
      </p>
      <Headline figures={figures} lang={lang} />
      <MonthsSection figures={figures} table={table("months")} lang={lang} csvBase={csvBase} />
      <BarsSection
        table={table("processing-time")}
        lang={lang}
        csvBase={csvBase}
        valueKeys={["median_days", "p90_days"]}
        seriesLabels={[FIGURE_TEXT.median, FIGURE_TEXT.p90]}
        markerKey="statutory_days"
        desc={{ th: "มัธยฐานและเปอร์เซ็นไทล์ที่ 90 ของระยะเวลาพิจารณา (วันทำการ) ของแต่ละบริการ เส้นประคือกำหนดตามกฎหมายของบริการนั้น", en: "Per service, the median and 90th-percentile processing time in working days; the dashed line is that service's statutory limit." }}
      />
      <BarsSection
        table={table("on-time")}
        lang={lang}
        csvBase={csvBase}
        valueKeys={["on_time_share"]}
        seriesLabels={[FIGURE_TEXT.onTime]}
        max={100}
        unit=" %"
        desc={{ th: "ร้อยละของคำขอที่พิจารณาเสร็จภายในกำหนด ของแต่ละบริการ", en: "Per service, the percentage of decided cases decided within the statutory limit." }}
      />
      <BarsSection
        table={table("open-past-limit")}
        lang={lang}
        csvBase={csvBase}
        valueKeys={["open_past_limit"]}
        seriesLabels={[FIGURE_TEXT.pastLimit]}
        desc={{ th: "จำนวนคำขอที่ยังไม่เสร็จและเกินกำหนดแล้ว ของแต่ละบริการ", en: "Per service, cases still open past their statutory limit." }}
      />
    </div>
  );
}
