/**
 * GET /api/v1/agencies/:code/statistics.csv?table=months|services&lang=th|en — one table of an agency's public
 * statistics as CSV (UTF-8 with BOM); the same figures as the JSON.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { publicTables } from "~/core/oversight/figure-tables";
import { csvLang, figuresCsv } from "~/services/oversight/figures-csv.server";
import { viewPublicStatistics } from "~/services/oversight/view-figures.server";
import { enforceRateLimit } from "~/services/security/rate-limits.server";
import { clientIp } from "~/utils/client-ip.server";
import { apiHandler } from "~/utils/http.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return apiHandler(async () => {
    await enforceRateLimit("statisticsExport", clientIp(request));
    const statistics = await viewPublicStatistics(params.code ?? "");
    const url = new URL(request.url);
    return figuresCsv(publicTables(statistics, csvLang(url)), url, `borikan-${statistics.agencyCode}-statistics`, { "Access-Control-Allow-Origin": "*" });
  });
}
