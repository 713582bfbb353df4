import type { Actor } from "~/core/actor";
import { forbidden, notFound } from "~/core/errors";
import { periodAt, periodKey, periodLabel, reportPeriod, type ReportPeriod } from "~/core/oversight/report-periods";
import type { LocalizedText } from "~/core/text";
import { listAgencies } from "~/models/agency.server";
import { getOversightReport, getOversightReportPdf, listOversightReports } from "~/models/oversight-report.server";

export type SentReportRow = { key: string; period: number; label: LocalizedText; sentAt: string; recipients: number; delivered: boolean; agency?: LocalizedText };

/** What /opdc/reports shows: the 60-day reports sent, this progress period's notices, and when the next ones are due. */
export async function listOversightReportsForOpdc(actor: Actor, now = new Date()) {
  if (actor.kind !== "opdc") throw forbidden();
  const names = new Map((await listAgencies()).map((a) => [a._id, a.name]));
  const row = (r: Awaited<ReturnType<typeof listOversightReports>>[number]): SentReportRow => ({
    key: r._id,
    period: r.period,
    label: periodLabel(reportPeriod(r.kind, r.period)),
    sentAt: r.sentAt.toISOString(),
    recipients: r.recipients.length,
    delivered: r.delivered,
    ...(r.agencyId ? { agency: names.get(r.agencyId) ?? { th: r.agencyId, en: r.agencyId } } : {}),
  });
  const progress = periodAt("progress", now);
  const report = periodAt("report", now);
  const next = (p: ReportPeriod | null, kind: ReportPeriod["kind"]) => reportPeriod(kind, (p?.number ?? 0) + 1);
  const notices = progress ? await listOversightReports({ kind: "progress", period: progress.number }, 10_000) : [];
  return {
    reports: (await listOversightReports({ kind: "report" })).map(row),
    notices: notices.map(row),
    currentProgress: progress ? periodLabel(progress) : null,
    nextProgress: { label: periodLabel(next(progress, "progress")), firstDay: next(progress, "progress").firstDay },
    nextReport: { label: periodLabel(next(report, "report")), firstDay: next(report, "report").firstDay },
  };
}

/** The PDF of the report over all agencies for `period`, as it was sent. */
export async function getOversightReportPdfForOpdc(actor: Actor, period: number): Promise<Buffer> {
  if (actor.kind !== "opdc") throw forbidden();
  const key = periodKey({ kind: "report", number: period });
  const pdf = (await getOversightReport(key)) ? await getOversightReportPdf(key) : null;
  if (!pdf) throw notFound({ th: "รายงานรอบนี้", en: "The report of this period" });
  return pdf;
}
