/**
 * GET /api/v1/admin/agencies → `{ items: AgencyView[] }` · POST `{ code, name: {th, en}, kind, province, contact: {name,
 * email, phone}, targetLevel }` → 201 AgencyView. OPDC admins only (403 otherwise); 422 FORM_INVALID, 409 code taken.
 */
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { createAgency, listAgencyOverview } from "~/services/onboarding/agencies.server";
import { requireApiActor } from "~/utils/auth.server";
import { apiHandler, readJsonBody, requireMethod } from "~/utils/http.server";

export const loader = ({ request }: LoaderFunctionArgs) =>
  apiHandler(async () => json({ items: await listAgencyOverview(await requireApiActor(request)) }));

export const action = ({ request }: ActionFunctionArgs) =>
  apiHandler(async () => {
    requireMethod(request, "POST");
    const actor = await requireApiActor(request);
    return json(await createAgency(actor, await readJsonBody(request)), { status: 201 });
  });
