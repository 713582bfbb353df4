/**
 * GET /api/v1/agencies/:code/statistics — an agency's public statistics as open data (JSON): volumes per
 * month and per service, and the share decided on time; the same figures as /agencies/:code/statistics.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { viewPublicStatistics } from "~/services/oversight/view-figures.server";
import { enforceRateLimit } from "~/services/security/rate-limits.server";
import { clientIp } from "~/utils/client-ip.server";
import { apiHandler } from "~/utils/http.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return apiHandler(async () => {
    await enforceRateLimit("statisticsExport", clientIp(request));
    return json(await viewPublicStatistics(params.code ?? ""), { headers: { "Cache-Control": "no-cache", "Access-Control-Allow-Origin": "*" } });
  });
}
