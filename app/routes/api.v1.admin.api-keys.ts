/**
 * GET /api/v1/admin/api-keys → `{ keys[], choices: { roles, services } }` — the agency admin's own agency's keys.
 * POST `{ name, roles, services: "all" | slugs, expiresAt: "YYYY-MM-DD" }` → 201 `{ apiKey, key }` (the key is
 * shown only here) · 422 FORM_INVALID with `details.fields[{ pointer, message }]` · 401 · 403 not an agency admin.
 */
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { createApiKey } from "~/services/api-keys/create-api-key.server";
import { listApiKeys } from "~/services/api-keys/list-api-keys.server";
import { requireApiActor } from "~/utils/auth.server";
import { apiHandler, readJsonBody, requireMethod } from "~/utils/http.server";

const NO_STORE = { "Cache-Control": "no-store" };

export async function loader({ request }: LoaderFunctionArgs) {
  return apiHandler(async () => {
    const { keys, choices } = await listApiKeys(await requireApiActor(request));
    return json({ keys, choices: { roles: choices.roles, services: choices.services } }, { headers: NO_STORE });
  });
}

export async function action({ request }: ActionFunctionArgs) {
  return apiHandler(async () => {
    requireMethod(request, "POST");
    const actor = await requireApiActor(request);
    return json(await createApiKey(actor, await readJsonBody(request)), { status: 201, headers: NO_STORE });
  });
}
