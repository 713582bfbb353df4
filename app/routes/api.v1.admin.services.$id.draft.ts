/**
 * GET /api/v1/admin/services/:id/draft → the draft `{ slug, rev, definition, basedOnVersion, updatedAt }`
 * PUT /api/v1/admin/services/:id/draft `{ definition, rev }` → the saved draft · 409 stale rev · 422 invalid
 */
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { loadOwnDraft, saveServiceDraft } from "~/services/admin/service-admin.server";
import { requireApiActor } from "~/utils/auth.server";
import { apiHandler, readDefinitionJsonBody, requireMethod } from "~/utils/http.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return apiHandler(async () => json(await loadOwnDraft(await requireApiActor(request), params.id ?? ""), { headers: { "Cache-Control": "no-store" } }));
}

export async function action({ request, params }: ActionFunctionArgs) {
  return apiHandler(async () => {
    requireMethod(request, "PUT");
    const actor = await requireApiActor(request);
    const body = ((await readDefinitionJsonBody(request)) ?? {}) as Record<string, unknown>;
    return json(await saveServiceDraft(actor, params.id ?? "", body));
  });
}
