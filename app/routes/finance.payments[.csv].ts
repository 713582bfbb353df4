import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportPaymentsCsv } from "~/services/payments/export-payments-csv.server";
import { requireSessionActor } from "~/utils/auth.server";
import { pageHandler } from "~/utils/http.server";

/** GET /finance/payments.csv?month=YYYY-MM: the agency's payments of a Bangkok month (finance staff only). */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireSessionActor(request);
  return pageHandler(async () => {
    const { filename, body } = await exportPaymentsCsv(actor, new URL(request.url).searchParams.get("month") ?? "");
    return new Response(body, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${filename}"`,
        "Cache-Control": "private, no-store",
      },
    });
  });
}
