import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { requireAgencyAdmin } from "~/services/permit-import/access.server";
import { getImportJobView, importJobErrorsCsv } from "~/services/permit-import/import-jobs.server";
import { errorResponse } from "~/utils/http.server";

/**
 * An import job's progress as JSON (the import page polls it), or with ?format=csv every row error of the
 * job as a CSV file.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireAgencyAdmin(request);
  const jobId = params.jobId ?? "";
  try {
    if (new URL(request.url).searchParams.get("format") === "csv") {
      const { fileName, body } = await importJobErrorsCsv(jobId, actor);
      return new Response(body, {
        headers: {
          "Content-Type": "text/csv; charset=utf-8",
          "Content-Disposition": `attachment; filename="import-errors.csv"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
          "Cache-Control": "private, no-store",
        },
      });
    }
    return json(await getImportJobView(jobId, actor), { headers: { "Cache-Control": "private, no-store" } });
  } catch (error) {
    return errorResponse(error);
  }
}
