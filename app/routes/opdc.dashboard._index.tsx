import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CsrfField } from "~/components/CsrfField";
import { BarsSection, FIGURE_TEXT, Headline, MonthsSection } from "~/components/oversight/FigureSections";
import { AppError, isAppError } from "~/core/errors";
import { dashboardTables, tableById } from "~/core/oversight/figure-tables";
import { pick, type LocalizedText } from "~/core/text";
import { formatDateTime } from "~/core/thai/buddhist-date";
import { recomputeAgencyFigures } from "~/services/oversight/recompute-agency-figures.server";
import { viewOpdcDashboard } from "~/services/oversight/view-figures.server";
import { requireSessionActor } from "~/utils/auth.server";
import { pageHandler, readForm, requireMethod } from "~/utils/http.server";
import { requestLang } from "~/utils/lang.server";
import styles from "~/styles/oversight.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction = () => [{ title: "แดชบอร์ด ก.พ.ร. / OPDC dashboard — Borikan" }];

const T = {
  title: { th: "แดชบอร์ดติดตามการให้บริการของหน่วยงาน", en: "How agencies are doing" },
  intro: {
    th: "ตัวเลขรวมตั้งแต่เริ่มใช้ระบบ รายเดือนเฉพาะ 12 เดือนล่าสุด ระยะเวลานับเป็นวันทำการตั้งแต่วันที่เริ่มนับ ไม่รวมวันที่รอผู้ขอ",
    en: "Totals since records began; months are the last 12. Times are working days from the day a case counts from, less the days waiting on the applicant.",
  },
  recompute: { th: "คำนวณใหม่ทันที", en: "Recompute now" },
  recomputing: { th: "กำลังคำนวณ…", en: "Recomputing…" },
  recomputed: { th: "คำนวณตัวชี้วัดใหม่แล้ว", en: "The figures were recomputed" },
  notYet: { th: "ยังไม่มีการคำนวณตัวชี้วัด ระบบจะคำนวณให้ภายในไม่กี่นาที หรือกดคำนวณใหม่ทันที", en: "The figures have not been computed yet: the worker computes them shortly, or press Recompute now." },
  agencies: { th: "หน่วยงาน", en: "Agencies" },
  details: { th: "ดูรายบริการ", en: "By service" },
  problem: { th: "คำนวณใหม่ไม่ได้", en: "Could not recompute" },
} satisfies Record<string, LocalizedText>;

export const loader = ({ request }: LoaderFunctionArgs) =>
  pageHandler(async () => {
    const actor = await requireSessionActor(request);
    const { agencies, all } = await viewOpdcDashboard(actor);
    return json({ lang: await requestLang(request), agencies, all });
  });

type Result = { recomputedAt?: string; message?: LocalizedText };

export const action = ({ request }: ActionFunctionArgs) =>
  pageHandler(async () => {
    requireMethod(request, "POST");
    const actor = await requireSessionActor(request);
    const form = await readForm(request);
    if (form.get("intent") !== "recompute") throw new AppError("BAD_REQUEST", { th: "ไม่รู้จักคำสั่งนี้", en: "Unknown request" });
    try {
      const done = await recomputeAgencyFigures(actor);
      return json<Result>({ recomputedAt: done.computedAt });
    } catch (error) {
      if (isAppError(error) && error.code === "RATE_LIMITED") return json<Result>({ message: error.text }, { status: 429 });
      throw error;
    }
  });

export default function OpdcDashboard() {
  const { lang, agencies, all } = useLoaderData<typeof loader>();
  const result = useActionData<Result>();
  const busy = useNavigation().state === "submitting";
  const t = (text: LocalizedText) => pick(text, lang);
  const tables = dashboardTables(agencies, all, lang);
  const table = (id: string) => tableById(tables, id)!;
  return (
    <div>
      {result?.message ? (
        <div className="bk-error-summary" role="alert" data-testid="error-summary">
          <h2>{t(T.problem)}</h2>
          <p>{t(result.message)}</p>
        </div>
      ) : null}
      {result?.recomputedAt ? <div className="bk-alert ok" role="status" data-testid="recomputed">{t(T.recomputed)}</div> : null}
      <h1>{t(T.title)}</h1>
      <p className="bk-muted">{t(T.intro)}</p>
      <div style={{ display: "flex", gap: 12, flexWrap: "wrap", alignItems: "center" }} className="bk-no-print">
        {all ? <span data-testid="computed-at">{t(FIGURE_TEXT.computedAt)} {formatDateTime(all.computedAt, lang)}</span> : null}
        <Form method="post">
          <CsrfField />
          <input type="hidden" name="intent" value="recompute" />
          <button className="bk-button secondary" type="submit" disabled={busy} data-testid="recompute">{t(busy ? T.recomputing : T.recompute)}</button>
        </Form>
      </div>
      {!all ? (
        <p className="bk-alert" data-testid="not-yet">{t(T.notYet)}</p>
      ) : (
        <>
          <Headline figures={all} lang={lang} />
          <nav aria-label={t(T.agencies)}>
            <h2 style={{ fontSize: "1.15rem" }}>{t(T.agencies)}</h2>
            <ul data-testid="agency-links">
              {agencies.map((a) => (
                <li key={a.agencyId}>
                  <Link to={`/opdc/dashboard/${a.agencyCode}`}>{pick(a.name, lang)} ({a.agencyCode}): {t(T.details)}</Link>
                </li>
              ))}
            </ul>
          </nav>
          <MonthsSection figures={all} table={table("months")} lang={lang} csvBase="/opdc/dashboard.csv" />
          <BarsSection
            table={table("on-time")}
            lang={lang}
            csvBase="/opdc/dashboard.csv"
            valueKeys={["on_time_share"]}
            seriesLabels={[FIGURE_TEXT.onTime]}
            max={100}
            unit=" %"
            desc={{ th: "ร้อยละของคำขอที่พิจารณาเสร็จภายในกำหนดตามกฎหมาย ของแต่ละหน่วยงาน", en: "Per agency, the percentage of decided cases decided within the statutory limit." }}
          />
          <BarsSection
            table={table("processing-time")}
            lang={lang}
            csvBase="/opdc/dashboard.csv"
            valueKeys={["median_days", "p90_days"]}
            seriesLabels={[FIGURE_TEXT.median, FIGURE_TEXT.p90]}
            desc={{ th: "มัธยฐานและเปอร์เซ็นไทล์ที่ 90 ของระยะเวลาพิจารณาเป็นวันทำการ ของแต่ละหน่วยงาน เทียบกับกำหนดของแต่ละบริการได้ในหน้ารายบริการ", en: "Per agency, the median and 90th-percentile processing time in working days; each service's limit is on the agency's page." }}
          />
          <BarsSection
            table={table("open-past-limit")}
            lang={lang}
            csvBase="/opdc/dashboard.csv"
            valueKeys={["open_past_limit"]}
            seriesLabels={[FIGURE_TEXT.pastLimit]}
            desc={{ th: "จำนวนคำขอที่ยังไม่เสร็จและเกินกำหนดตามกฎหมายแล้ว ของแต่ละหน่วยงาน", en: "Per agency, cases still open past their statutory limit." }}
          />
          <BarsSection
            table={table("delay-notices")}
            lang={lang}
            csvBase="/opdc/dashboard.csv"
            valueKeys={["delay_notices"]}
            seriesLabels={[FIGURE_TEXT.notices]}
            desc={{ th: "จำนวนหนังสือแจ้งความล่าช้าที่ส่งถึงผู้ขอ ของแต่ละหน่วยงาน", en: "Per agency, delay notices sent to applicants." }}
          />
          <BarsSection
            table={table("services-online")}
            lang={lang}
            csvBase="/opdc/dashboard.csv"
            valueKeys={["services_initial", "services_standard"]}
            seriesLabels={[{ th: "ระดับเริ่มต้น", en: "Initial level" }, { th: "ระดับมาตรฐาน", en: "Standard level" }]}
            desc={{ th: "จำนวนบริการที่เปิดให้ยื่นทางออนไลน์ในระดับเริ่มต้นและระดับมาตรฐาน ของแต่ละหน่วยงาน", en: "Per agency, services online at the initial and the standard level." }}
          />
        </>
      )}
    </div>
  );
}
