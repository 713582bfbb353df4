/** GET /api/v1/admin/invitations[?agency=] → `{ items }`: an agency admin's own agency's; OPDC names the agency. */
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { listInvitations } from "~/services/onboarding/manage-invitations.server";
import { requireApiActor } from "~/utils/auth.server";
import { apiHandler } from "~/utils/http.server";

export const loader = ({ request }: LoaderFunctionArgs) =>
  apiHandler(async () => {
    const agency = new URL(request.url).searchParams.get("agency") ?? undefined;
    return json({ items: await listInvitations(await requireApiActor(request), agency) });
  });
