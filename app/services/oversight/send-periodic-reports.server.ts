/**
 * OPDC's periodic notices under s.22 of the Electronic Government Administration Act B.E. 2565, sent by the
 * worker: every 15 days each agency's progress notice (to its agency admins, with a PDF of its figures), every
 * 60 days the report over all agencies (to the OPDC admins, with the PDF, also downloadable at /opdc/reports).
 *
 * Exactly once across restarts and processes: each send is claimed by its `_id` (`progress:<agencyId>:<period>`,
 * `report:<period>`) and recorded under the same `_id` once the e-mail is out. A claim without a record is a send
 * that died half-way: once its lease is stale it is taken over and done (the message keeps its Message-ID, so a
 * receiver sees a repeat as the same message). A failed send gives its claim back and is tried on the next sweep.
 */
import { periodAt, periodKey, periodLabel, type ReportPeriod } from "~/core/oversight/report-periods";
import type { LocalizedText } from "~/core/text";
import { listAgencies, type Agency } from "~/models/agency.server";
import { acquireLease, releaseClaim, STALE_CLAIM_MS } from "~/models/claim.server";
import { getOversightReport, recordOversightReport } from "~/models/oversight-report.server";
import { listAgencyAccounts, listOpdcAdmins } from "~/models/user.server";
import { sendMail } from "~/services/mail/mailer.server";
import { env } from "~/utils/env.server";
import { logError } from "~/utils/log.server";
import { loadAgencyFigures, loadAgencyFiguresOf, loadAllAgencyFigures, refreshAgencyFigures } from "./agency-figures.server";
import { renderOversightReportPdf, renderProgressNoticePdf } from "./oversight-pdf.server";

export type PeriodicReportsOutcome = { sent: string[]; failed: string[] };
export type PeriodicReportsOptions = { staleAfterMs?: number };

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
const messageIdOf = (key: string) => `<${key.replace(/:/g, ".")}@borikan>`;

async function agencyAdminEmails(agency: Agency): Promise<string[]> {
  const admins = (await listAgencyAccounts(agency._id)).filter((u) => u.kind === "agencyAdmin" && u.active !== false).map((u) => u.email);
  // An agency onboarded but without an admin yet: its contact person.
  return admins.length > 0 ? admins : agency.contact?.email ? [agency.contact.email] : [];
}

type Send = { key: string; period: ReportPeriod; agencyId?: string; recipients: () => Promise<string[]>; compose: () => Promise<{ pdf: Buffer; filename: string; subject: LocalizedText; body: LocalizedText }> };

/** One send under its claim; true when this call sent it. */
async function sendOnce(send: Send, now: Date, options: PeriodicReportsOptions): Promise<boolean> {
  if (await getOversightReport(send.key)) return false;
  const lease = await acquireLease(send.key, async () => !(await getOversightReport(send.key)), options.staleAfterMs ?? STALE_CLAIM_MS);
  if (!lease) return false;
  try {
    const [recipients, message] = await Promise.all([send.recipients(), send.compose()]);
    let delivered = false;
    if (recipients.length > 0) {
      const text = `${message.body.th}\n\n${message.body.en}`;
      const outcome = await sendMail({
        to: recipients.join(", "),
        subject: `${message.subject.th} / ${message.subject.en}`,
        text,
        html: `<p lang="th">${escapeHtml(message.body.th).replace(/\n/g, "<br>")}</p><p lang="en">${escapeHtml(message.body.en).replace(/\n/g, "<br>")}</p>`,
        attachments: [{ filename: message.filename, content: message.pdf, contentType: "application/pdf" }],
        messageId: messageIdOf(send.key),
      });
      delivered = outcome.delivered;
    }
    await recordOversightReport(
      {
        _id: send.key,
        kind: send.period.kind,
        ...(send.agencyId ? { agencyId: send.agencyId } : {}),
        period: send.period.number,
        firstDay: send.period.firstDay,
        lastDay: send.period.lastDay,
        sentAt: now,
        recipients,
        delivered,
        pdfBytes: message.pdf.length,
      },
      message.pdf,
    );
    return true;
  } catch (error) {
    // Nothing recorded: give the claim back so the next sweep tries again.
    await releaseClaim(send.key).catch(() => undefined);
    throw error;
  }
}

function progressSend(agency: Agency, period: ReportPeriod, now: Date): Send {
  const label = periodLabel(period);
  return {
    key: periodKey(period, agency._id),
    period,
    agencyId: agency._id,
    recipients: () => agencyAdminEmails(agency),
    compose: async () => {
      // Before the worker's first snapshot, or for an agency added since the last one, the figures are computed now.
      const figures = (await loadAgencyFiguresOf(agency._id)) ?? (await refreshAgencyFigures(now)).agencies.find((f) => f.agencyId === agency._id);
      if (!figures) throw new Error(`no figures for agency ${agency._id}`);
      const pdf = await renderProgressNoticePdf({ figures, periodLabel: label, issuedAt: now });
      const readiness = `${env().PUBLIC_URL}/admin/readiness`;
      return {
        pdf,
        filename: `progress-${agency.code}-${period.number}.pdf`,
        subject: { th: `ก.พ.ร. แจ้งความคืบหน้า ${label.th} — ${agency.name.th}`, en: `OPDC progress notice, ${label.en} — ${agency.name.en}` },
        body: {
          th: `เรียน ผู้ดูแลระบบ ${agency.name.th}\n\nสำนักงาน ก.พ.ร. ขอแจ้งความคืบหน้าการให้บริการทางอิเล็กทรอนิกส์ของหน่วยงาน ${label.th} ตามมาตรา 22 แห่งพระราชบัญญัติการปฏิบัติราชการทางอิเล็กทรอนิกส์ พ.ศ. 2565 รายละเอียดตามไฟล์ PDF ที่แนบ\nคำขอที่ยื่น ${figures.filed} รายการ พิจารณาแล้ว ${figures.decided} รายการ ค้างเกินกำหนด ${figures.openPastLimit} รายการ\nตรวจสอบความพร้อมของบริการได้ที่ ${readiness}`,
          en: `To the admins of ${agency.name.en}\n\nOPDC's progress notice on your electronic services, ${label.en}, under section 22 of the Electronic Government Administration Act B.E. 2565 (2022): the figures are in the attached PDF.\n${figures.filed} applications filed, ${figures.decided} decided, ${figures.openPastLimit} open past their limit.\nCheck your services' readiness at ${readiness}`,
        },
      };
    },
  };
}

function reportSend(period: ReportPeriod, now: Date): Send {
  const label = periodLabel(period);
  return {
    key: periodKey(period),
    period,
    recipients: async () => (await listOpdcAdmins()).map((u) => u.email),
    compose: async () => {
      if (!(await loadAllAgencyFigures())) await refreshAgencyFigures(now);
      const figures = await loadAgencyFigures();
      const pdf = await renderOversightReportPdf({ figures, periodLabel: label, issuedAt: now });
      const reports = `${env().PUBLIC_URL}/opdc/reports`;
      return {
        pdf,
        filename: `opdc-report-${period.number}.pdf`,
        subject: { th: `รายงานผลการให้บริการทางอิเล็กทรอนิกส์ ${label.th}`, en: `Report on electronic services, ${label.en}` },
        body: {
          th: `รายงานผลการให้บริการทางอิเล็กทรอนิกส์ของ ${figures.length} หน่วยงาน ${label.th} ตามมาตรา 22 แนบมาเป็นไฟล์ PDF และดาวน์โหลดได้ที่ ${reports}`,
          en: `The report on the electronic services of ${figures.length} agencies, ${label.en} (section 22), is attached as a PDF and can be downloaded at ${reports}`,
        },
      };
    },
  };
}

/**
 * Sends what is due at `now`: this progress period's notice to every agency that has not had it, and this
 * report period's report. Safe to run as often as wanted, by any number of processes at once.
 */
export async function sendPeriodicReports(now: Date = new Date(), options: PeriodicReportsOptions = {}): Promise<PeriodicReportsOutcome> {
  const sends: Send[] = [];
  const progress = periodAt("progress", now);
  if (progress) for (const agency of (await listAgencies()).filter((a) => a.kind !== "opdc")) sends.push(progressSend(agency, progress, now));
  const report = periodAt("report", now);
  if (report) sends.push(reportSend(report, now));
  const outcome: PeriodicReportsOutcome = { sent: [], failed: [] };
  for (const send of sends) {
    try {
      if (await sendOnce(send, now, options)) outcome.sent.push(send.key);
    } catch (error) {
      outcome.failed.push(send.key);
      logError(`periodic reports: ${send.key} failed; retried on the next sweep`, error);
    }
  }
  return outcome;
}
