/**
 * POST /api/v1/admin/services/:id/publish `{ rev }` → 201 `{ version, report }` — the draft as the next
 * immutable version · 422 with the verification report when it has errors · 409 when the draft changed.
 */
import { json, type ActionFunctionArgs } from "@remix-run/node";
import { publishServiceDraft } from "~/services/admin/service-admin.server";
import { requireApiActor } from "~/utils/auth.server";
import { actionOnly, apiHandler, readDefinitionJsonBody, requireMethod } from "~/utils/http.server";

export async function action({ request, params }: ActionFunctionArgs) {
  return apiHandler(async () => {
    requireMethod(request, "POST");
    const actor = await requireApiActor(request);
    const body = ((await readDefinitionJsonBody(request)) ?? {}) as Record<string, unknown>;
    return json(await publishServiceDraft(actor, params.id ?? "", body), { status: 201 });
  });
}

// A GET gets the API's 405, not Remix's own page.
export const loader = actionOnly("POST");
