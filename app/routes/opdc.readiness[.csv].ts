/** GET /opdc/readiness.csv?agency= — OPDC's readiness table as CSV (UTF-8 with BOM, so spreadsheets read Thai). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { stringify } from "csv-stringify/sync";
import { forbidden } from "~/core/errors";
import { listAllReadiness, readinessCsvRows } from "~/services/oversight/list-readiness.server";
import { enforceRateLimit } from "~/services/security/rate-limits.server";
import { requireSessionActor } from "~/utils/auth.server";
import { apiHandler } from "~/utils/http.server";

export async function loader({ request }: LoaderFunctionArgs) {
  return apiHandler(async () => {
    const actor = await requireSessionActor(request);
    const agency = new URL(request.url).searchParams.get("agency") || null;
    if (actor.kind !== "opdc") throw forbidden();
    await enforceRateLimit("oversightExport", actor.id);
    const { rows } = await listAllReadiness(actor, agency);
    return new Response(stringify(readinessCsvRows(rows), { bom: true }), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="borikan-readiness${agency ? `-${agency.replace(/[^a-z0-9-]/gi, "")}` : ""}.csv"`,
        "Cache-Control": "no-store",
      },
    });
  });
}
