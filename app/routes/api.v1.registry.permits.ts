/**
 * GET /api/v1/registry/permits?q=&agency=&type=&province=&district=&status=&page=&pageSize=
 * → { items, total, page, pageSize }. Public open data (s.13): printed permit fields only, with the status
 * as of today. A malformed parameter → 400 naming it. The same query as CSV: /api/v1/registry/permits.csv
 */
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { registryPage } from "~/services/registry-listing.server";
import { enforceRateLimit } from "~/services/security/rate-limits.server";
import { clientIp } from "~/utils/client-ip.server";
import { apiHandler } from "~/utils/http.server";

export async function loader({ request }: LoaderFunctionArgs) {
  return apiHandler(async () => {
    await enforceRateLimit("registrySearch", clientIp(request));
    const { items, total, page, pageSize } = await registryPage(new URL(request.url).searchParams);
    return json({ items, total, page, pageSize }, { headers: { "Cache-Control": "no-cache", "Access-Control-Allow-Origin": "*" } });
  });
}
