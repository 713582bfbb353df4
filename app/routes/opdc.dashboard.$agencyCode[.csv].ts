/** GET /opdc/dashboard/:agencyCode.csv?table=…&lang=… — one table of an agency's figures as CSV (OPDC admins only). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { agencyTables } from "~/core/oversight/figure-tables";
import { csvLang, figuresCsv } from "~/services/oversight/figures-csv.server";
import { viewAgencyDashboard } from "~/services/oversight/view-figures.server";
import { requireSessionActor } from "~/utils/auth.server";
import { pageHandler } from "~/utils/http.server";

export const loader = ({ request, params }: LoaderFunctionArgs) =>
  pageHandler(async () => {
    const actor = await requireSessionActor(request);
    const figures = await viewAgencyDashboard(actor, params.agencyCode ?? "");
    const url = new URL(request.url);
    return figuresCsv(agencyTables(figures, csvLang(url)), url, `borikan-${figures.agencyCode}`);
  });
