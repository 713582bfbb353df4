/**
 * POST /api/v1/admin/api-keys/:id/rotate `{ graceHours? }` (0–168, default 24) → 201 `{ apiKey, key }`: the new
 * key, shown only here; the old one works until `apiKey.previousKey.graceUntil` · 404 another agency's key ·
 * 409 revoked or expired · 422 bad grace.
 */
import { json, type ActionFunctionArgs } from "@remix-run/node";
import { rotateApiKey } from "~/services/api-keys/rotate-api-key.server";
import { requireApiActor } from "~/utils/auth.server";
import { actionOnly, apiHandler, readJsonBody, requireMethod } from "~/utils/http.server";

export async function action({ request, params }: ActionFunctionArgs) {
  return apiHandler(async () => {
    requireMethod(request, "POST");
    const actor = await requireApiActor(request);
    // The body is optional: no JSON body means the default grace.
    const body = (request.headers.get("Content-Type") ?? "").includes("json") ? await readJsonBody(request) : {};
    return json(await rotateApiKey(actor, params.id ?? "", body), { status: 201, headers: { "Cache-Control": "no-store" } });
  });
}

// A GET gets the API's 405, not Remix's own page.
export const loader = actionOnly("POST");
