/**
 * POST /api/v1/admin/services/:id/simulate `{ data, steps: [{ event, role, comment?, actor? }] }` →
 * `{ formErrors, trace: { start, steps[], stoppedAt? } }` — the draft tried without creating a case.
 */
import { json, type ActionFunctionArgs } from "@remix-run/node";
import { simulateServiceDraft } from "~/services/admin/service-admin.server";
import { requireApiActor } from "~/utils/auth.server";
import { actionOnly, apiHandler, readDefinitionJsonBody, requireMethod } from "~/utils/http.server";

export async function action({ request, params }: ActionFunctionArgs) {
  return apiHandler(async () => {
    requireMethod(request, "POST");
    const actor = await requireApiActor(request);
    const body = ((await readDefinitionJsonBody(request)) ?? {}) as Record<string, unknown>;
    return json(await simulateServiceDraft(actor, params.id ?? "", body));
  });
}

// A GET gets the API's 405, not Remix's own page.
export const loader = actionOnly("POST");
