/**
 * POST /api/v1/admin/services `{ slug, fromTemplate? | definition? | title? }` → 201 `{ slug, rev, definition, basedOnVersion }`
 * Agency admins (their agency's services, slugs `<agency>-…`) and OPDC admins (templates). 403 otherwise,
 * 409 when a draft of the slug exists, 422 `DEFINITION_INVALID` with `details.issues[{ file, path, message }]`.
 */
import { json, type ActionFunctionArgs } from "@remix-run/node";
import { createServiceDraft } from "~/services/admin/service-admin.server";
import { requireApiActor } from "~/utils/auth.server";
import { actionOnly, apiHandler, readDefinitionJsonBody, requireMethod } from "~/utils/http.server";

export async function action({ request }: ActionFunctionArgs) {
  return apiHandler(async () => {
    requireMethod(request, "POST");
    const actor = await requireApiActor(request);
    const draft = await createServiceDraft(actor, ((await readDefinitionJsonBody(request)) ?? {}) as Record<string, unknown>);
    return json(draft, { status: 201 });
  });
}

// A GET gets the API's 405, not Remix's own page.
export const loader = actionOnly("POST");
