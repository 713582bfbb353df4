/** GET /api/v1/admin/staff → `{ agency, staff, roles, invitations }` of the signed-in agency admin's agency (403 otherwise). */
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { getStaffOverview } from "~/services/onboarding/staff.server";
import { requireApiActor } from "~/utils/auth.server";
import { apiHandler } from "~/utils/http.server";

export const loader = ({ request }: LoaderFunctionArgs) => apiHandler(async () => json(await getStaffOverview(await requireApiActor(request))));
