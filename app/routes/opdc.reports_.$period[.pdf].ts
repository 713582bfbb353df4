/** GET /opdc/reports/:period.pdf — OPDC's report over all agencies for one 60-day period, as it was sent. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { forbidden, notFound } from "~/core/errors";
import { parsePeriodNumber } from "~/core/oversight/report-periods";
import { getOversightReportPdfForOpdc } from "~/services/oversight/list-oversight-reports.server";
import { enforceRateLimit } from "~/services/security/rate-limits.server";
import { requireSessionActor } from "~/utils/auth.server";
import { apiHandler } from "~/utils/http.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return apiHandler(async () => {
    const actor = await requireSessionActor(request);
    if (actor.kind !== "opdc") throw forbidden();
    const period = parsePeriodNumber(params.period);
    if (period === null) throw notFound({ th: "รายงานรอบนี้", en: "The report of this period" });
    await enforceRateLimit("oversightExport", actor.id);
    const pdf = await getOversightReportPdfForOpdc(actor, period);
    return new Response(new Uint8Array(pdf), {
      headers: {
        "Content-Type": "application/pdf",
        "Content-Disposition": `attachment; filename="opdc-report-${period}.pdf"`,
        "Content-Length": String(pdf.length),
        "Cache-Control": "private, no-store",
      },
    });
  });
}
