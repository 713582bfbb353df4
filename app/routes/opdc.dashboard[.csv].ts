/** GET /opdc/dashboard.csv?table=…&lang=… — one table of OPDC's dashboard as CSV (OPDC admins only). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { dashboardTables } from "~/core/oversight/figure-tables";
import { csvLang, figuresCsv } from "~/services/oversight/figures-csv.server";
import { viewOpdcDashboard } from "~/services/oversight/view-figures.server";
import { requireSessionActor } from "~/utils/auth.server";
import { pageHandler } from "~/utils/http.server";

export const loader = ({ request }: LoaderFunctionArgs) =>
  pageHandler(async () => {
    const actor = await requireSessionActor(request);
    const { agencies, all } = await viewOpdcDashboard(actor);
    const url = new URL(request.url);
    return figuresCsv(dashboardTables(agencies, all, csvLang(url)), url, "borikan-opdc-dashboard");
  });
