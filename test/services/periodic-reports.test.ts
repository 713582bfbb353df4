import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { periodAt, reportPeriod } from "~/core/oversight/report-periods";
import { claim } from "~/models/claim.server";
import { getOversightReport, getOversightReportPdf, listOversightReports } from "~/models/oversight-report.server";
import { sendPeriodicReports } from "~/services/oversight/send-periodic-reports.server";
import { withTestDatabase } from "../support/db";
import { citizen, HEALTH_HAZARD_SLUG } from "../support/journeys";
import { healthHazardApplication } from "../support/factories";
import { startTestSmtp, type ReceivedMail } from "../support/smtp";
import { submitApplication } from "~/services/submit-application.server";

// The SMTP server first: env() reads SMTP_URL once per file.
const smtp = await startTestSmtp();
process.env.SMTP_URL = smtp.url;
withTestDatabase();
afterAll(async () => {
  await smtp.close();
  delete process.env.SMTP_URL;
  rmSync(tmp, { recursive: true, force: true });
});

const AGENCY_ADMIN = "admin@sukjai.demo.borikan.local";
const OPDC_ADMIN = "opdc@demo.borikan.local";
const tmp = mkdtempSync(path.join(tmpdir(), "borikan-periodic-"));
let files = 0;
function pdfText(pdf: Buffer): string {
  const file = path.join(tmp, `${++files}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync("/usr/bin/pdftotext", ["-enc", "UTF-8", file, "-"]).toString("utf8");
}
const pdfOf = (received: ReceivedMail) => {
  const attachment = received.mail.attachments.find((a) => a.contentType === "application/pdf");
  expect(attachment, "a PDF attached").toBeDefined();
  return attachment!.content;
};
const bkk = (local: string) => new Date(`${local}+07:00`);

describe("the s.22 progress notices and reports", () => {
  // 09:00 Bangkok on the first day of progress period 13 and of report period 4.
  const first = bkk("2026-03-30T09:00:00");

  it("the chosen instants fall in the periods the test means", () => {
    expect(periodAt("progress", first)?.number).toBe(13);
    expect(periodAt("report", first)?.number).toBe(4);
    expect(periodAt("report", bkk("2026-04-29T09:00:00"))?.number).toBe(4);
    expect(periodAt("progress", bkk("2026-04-14T00:05:00"))?.number).toBe(14);
  });

  it("two sweeps at once, then a third: one notice per agency and one report, each with a PDF naming its subject", async () => {
    await submitApplication(await citizen(), HEALTH_HAZARD_SLUG, await healthHazardApplication({}, 1), "web");
    const [a, b] = await Promise.all([sendPeriodicReports(first), sendPeriodicReports(first)]);
    const again = await sendPeriodicReports(first);
    expect([...a.sent, ...b.sent].sort()).toEqual(["progress:sukjai:13", "progress:thungthong:13", "report:4"]);
    expect([...a.failed, ...b.failed, ...again.sent, ...again.failed]).toEqual([]);

    const notices = smtp.mailsTo(AGENCY_ADMIN);
    expect(notices).toHaveLength(1);
    const notice = notices[0]!;
    expect(notice.mail.subject).toContain("เทศบาลเมืองสุขใจ");
    expect(notice.mail.text).toContain("section 22");
    const noticeText = pdfText(pdfOf(notice));
    expect(noticeText).toContain("เทศบาลเมืองสุขใจ");
    expect(noticeText).toContain("Sukjai Town Municipality");
    expect(noticeText).toContain("Period 13 (30 Mar 2026 – 13 Apr 2026)");
    expect(noticeText).not.toContain("Thung Thong");

    const reports = smtp.mailsTo(OPDC_ADMIN);
    expect(reports).toHaveLength(1);
    const reportText = pdfText(pdfOf(reports[0]!));
    expect(reportText).toContain("เทศบาลเมืองสุขใจ");
    expect(reportText).toContain("Thung Thong");
    expect(reportText).toContain("(TTG)");
    // The notices go to no one else: OPDC does not receive agencies' notices, agency admins not the report.
    expect(smtp.inbox).toHaveLength(2);
  });

  it("each send is recorded under its claim's _id; the report's PDF is kept for download", async () => {
    const notice = await getOversightReport("progress:sukjai:13");
    expect(notice).toMatchObject({ kind: "progress", agencyId: "sukjai", period: 13, firstDay: "2026-03-30", lastDay: "2026-04-13", recipients: [AGENCY_ADMIN], delivered: true });
    // An agency without an admin or contact: recorded, nobody to tell.
    expect(await getOversightReport("progress:thungthong:13")).toMatchObject({ recipients: [], delivered: false });
    const report = await getOversightReport("report:4");
    expect(report).toMatchObject({ kind: "report", period: 4, recipients: [OPDC_ADMIN], delivered: true });
    const pdf = await getOversightReportPdf("report:4");
    expect(pdf?.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(pdf?.length).toBe(report!.pdfBytes);
    expect((await listOversightReports({ kind: "report" })).map((r) => r._id)).toEqual(["report:4"]);
  });

  it("the next progress period sends again, the same report period does not", async () => {
    const next = bkk("2026-04-14T00:05:00");
    const outcome = await sendPeriodicReports(next);
    expect(outcome.sent.sort()).toEqual(["progress:sukjai:14", "progress:thungthong:14"]);
    const notices = smtp.mailsTo(AGENCY_ADMIN);
    expect(notices).toHaveLength(2);
    expect(pdfText(pdfOf(notices[1]!))).toContain("Period 14 (14 Apr 2026 – 28 Apr 2026)");
    expect(smtp.mailsTo(OPDC_ADMIN)).toHaveLength(1);
  });

  it("a send that died after its claim is taken over once the claim is stale, and only then", async () => {
    // Progress period 15 was claimed by a process that then crashed: no record, no e-mail.
    const at = reportPeriod("progress", 15).startsAt;
    expect(await claim("progress:sukjai:15")).toBe(true);
    const fresh = await sendPeriodicReports(at);
    expect(fresh.sent).toEqual(["progress:thungthong:15"]);
    expect(smtp.mailsTo(AGENCY_ADMIN)).toHaveLength(2);
    const resumed = await sendPeriodicReports(at, { staleAfterMs: 0 });
    expect(resumed.sent).toEqual(["progress:sukjai:15"]);
    expect(smtp.mailsTo(AGENCY_ADMIN)).toHaveLength(3);
    expect(smtp.mailsTo(AGENCY_ADMIN)[2]!.mail.messageId).toBe("<progress.sukjai.15@borikan>");
  });

  it("before the epoch nothing is due", async () => {
    expect(await sendPeriodicReports(bkk("2025-09-30T23:59:00"))).toEqual({ sent: [], failed: [] });
  });
});
