/**
 * GET /api/v1/registry/permits.csv?… — every permit matching the query as CSV (UTF-8 with BOM so that
 * spreadsheet programs read Thai), streamed. Same filters and errors as the JSON endpoint.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { stringify } from "csv-stringify";
import { Readable } from "node:stream";
import { parseRegistryQuery } from "~/core/registry/registry-query";
import { ensureRegistryReady, REGISTRY_CSV_COLUMNS, registryExport } from "~/services/registry-listing.server";
import { enforceRateLimit } from "~/services/security/rate-limits.server";
import { clientIp } from "~/utils/client-ip.server";
import { apiHandler } from "~/utils/http.server";

export async function loader({ request }: LoaderFunctionArgs) {
  return apiHandler(async () => {
    await enforceRateLimit("registryExport", clientIp(request));
    const params = new URL(request.url).searchParams;
    parseRegistryQuery(params); // a malformed query is a 400 before any byte is streamed
    await ensureRegistryReady(); // and a registry still being prepared a 503
    const rows = Readable.from(
      (async function* () {
        yield REGISTRY_CSV_COLUMNS.map((c) => c.header);
        for await (const permit of registryExport(params)) yield REGISTRY_CSV_COLUMNS.map((c) => c.value(permit));
      })(),
    );
    const csv = rows.pipe(stringify({ bom: true }));
    return new Response(Readable.toWeb(csv) as ReadableStream, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": 'attachment; filename="borikan-permits.csv"',
        "Cache-Control": "no-cache",
        "Access-Control-Allow-Origin": "*",
      },
    });
  });
}
