import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { pick, type LocalizedText } from "~/core/text";
import { formatDate, formatDateTime } from "~/core/thai/buddhist-date";
import { listOversightReportsForOpdc } from "~/services/oversight/list-oversight-reports.server";
import readinessStyles from "~/styles/readiness.css";
import { requireSessionActor } from "~/utils/auth.server";
import { pageHandler } from "~/utils/http.server";
import { requestLang } from "~/utils/lang.server";

export const meta: MetaFunction = () => [{ title: "รายงาน ก.พ.ร. / OPDC reports — Borikan" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: readinessStyles }];

const T = {
  title: { th: "รายงานและหนังสือแจ้งความคืบหน้า (มาตรา 22)", en: "Reports and progress notices (s.22)" },
  intro: {
    th: "ระบบส่งหนังสือแจ้งความคืบหน้าให้ผู้ดูแลระบบของทุกหน่วยงานทุก 15 วัน และส่งรายงานผลของทุกหน่วยงานให้ผู้ดูแลระบบ ก.พ.ร. ทุก 60 วัน โดยอัตโนมัติ แต่ละรอบส่งเพียงครั้งเดียว",
    en: "The platform sends every agency's admins a progress notice every 15 days, and OPDC's admins a report over all agencies every 60 days, on its own; each period is sent once.",
  },
  reports: { th: "รายงานผลทุกหน่วยงาน (ทุก 60 วัน)", en: "Reports over all agencies (every 60 days)" },
  notices: { th: "หนังสือแจ้งความคืบหน้ารอบปัจจุบัน (ทุก 15 วัน)", en: "Progress notices of the current period (every 15 days)" },
  period: { th: "รอบ", en: "Period" },
  agency: { th: "หน่วยงาน", en: "Agency" },
  sentAt: { th: "ส่งเมื่อ", en: "Sent" },
  recipients: { th: "ผู้รับ", en: "Recipients" },
  pdf: { th: "ไฟล์", en: "File" },
  download: { th: "ดาวน์โหลด PDF", en: "Download PDF" },
  noReports: { th: "ยังไม่มีรายงานที่ส่ง", en: "No report sent yet" },
  noNotices: { th: "ยังไม่มีหนังสือที่ส่งในรอบนี้", en: "No notice sent in this period yet" },
  nobody: { th: "ไม่มีผู้รับ (หน่วยงานยังไม่มีผู้ดูแลระบบ)", en: "Nobody to send to (no agency admin yet)" },
  nextProgress: { th: "หนังสือแจ้งความคืบหน้ารอบถัดไป", en: "Next progress notices" },
  nextReport: { th: "รายงานรอบถัดไป", en: "Next report" },
  from: { th: "ส่งตั้งแต่", en: "due from" },
} satisfies Record<string, LocalizedText>;

export const loader = ({ request }: LoaderFunctionArgs) =>
  pageHandler(async () => {
    const actor = await requireSessionActor(request);
    return json({ lang: await requestLang(request), ...(await listOversightReportsForOpdc(actor)) });
  });

export default function OpdcReports() {
  const { lang, reports, notices, currentProgress, nextProgress, nextReport } = useLoaderData<typeof loader>();
  const t = (text: LocalizedText) => pick(text, lang);
  return (
    <div className="bk-readiness" data-testid="opdc-reports">
      <h1>{t(T.title)}</h1>
      <p>{t(T.intro)}</p>
      <ul>
        <li>{t(T.nextProgress)}: {t(nextProgress.label)} · {t(T.from)} {formatDate(nextProgress.firstDay, lang)}</li>
        <li>{t(T.nextReport)}: {t(nextReport.label)} · {t(T.from)} {formatDate(nextReport.firstDay, lang)}</li>
      </ul>
      <table className="bk-table" data-testid="reports-table">
        <caption>{t(T.reports)}</caption>
        <thead>
          <tr>
            <th scope="col">{t(T.period)}</th>
            <th scope="col">{t(T.sentAt)}</th>
            <th scope="col">{t(T.recipients)}</th>
            <th scope="col">{t(T.pdf)}</th>
          </tr>
        </thead>
        <tbody>
          {reports.length === 0 ? <tr><td colSpan={4} className="bk-muted">{t(T.noReports)}</td></tr> : null}
          {reports.map((r) => (
            <tr key={r.key} data-period={r.period}>
              <th scope="row">{t(r.label)}</th>
              <td>{formatDateTime(r.sentAt, lang)}</td>
              <td>{r.recipients}</td>
              <td>
                <a href={`/opdc/reports/${r.period}.pdf`} download data-testid={`report-pdf-${r.period}`}>
                  {t(T.download)} ({t(T.period)} {r.period})
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="bk-table" data-testid="notices-table" style={{ marginTop: 20 }}>
        <caption>{t(T.notices)}{currentProgress ? ` — ${t(currentProgress)}` : ""}</caption>
        <thead>
          <tr>
            <th scope="col">{t(T.agency)}</th>
            <th scope="col">{t(T.sentAt)}</th>
            <th scope="col">{t(T.recipients)}</th>
          </tr>
        </thead>
        <tbody>
          {notices.length === 0 ? <tr><td colSpan={3} className="bk-muted">{t(T.noNotices)}</td></tr> : null}
          {notices.map((n) => (
            <tr key={n.key}>
              <th scope="row">{n.agency ? t(n.agency) : n.key}</th>
              <td>{formatDateTime(n.sentAt, lang)}</td>
              <td>{n.recipients > 0 ? n.recipients : t(T.nobody)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
