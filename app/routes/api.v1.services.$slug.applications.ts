/**
 * POST /api/v1/services/:slug/applications  body `{ data, onBehalfOf? }`  (agency API key or citizen session);
 * `onBehalfOf: { kind: "juristic", juristicId, name }` files for a company (declared, checksum-checked).
 * → 201 { id, trackingNumber, receipt, state } · 400 malformed JSON · 401 · 404 unknown service
 * · 413 body too large · 422 FORM_INVALID with `details.fields: [{ pointer, message: {th, en} }]`.
 * Any other method → 405.
 */
import { json, type ActionFunctionArgs } from "@remix-run/node";
import { AppError } from "~/core/errors";
import { enforceFilingLimit } from "~/services/security/rate-limits.server";
import { submitApplication } from "~/services/submit-application.server";
import { requireApiActor } from "~/utils/auth.server";
import { actionOnly, apiHandler, readJsonBody, requireMethod } from "~/utils/http.server";

export async function action({ request, params }: ActionFunctionArgs) {
  return apiHandler(async () => {
    requireMethod(request, "POST");
    const actor = await requireApiActor(request);
    await enforceFilingLimit(actor);
    const body = await readJsonBody(request);
    if (!body || typeof body !== "object" || Array.isArray(body) || !("data" in body)) {
      throw new AppError("BAD_REQUEST", { th: "เนื้อหาคำขอต้องอยู่ในรูป { \"data\": {...} }", en: 'The request body must be { "data": {...} }' });
    }
    const onBehalfOf = "onBehalfOf" in body ? body.onBehalfOf : undefined;
    const result = await submitApplication(actor, params.slug ?? "", body.data, actor.kind === "api" ? "api" : "web", new Date(), { onBehalfOf });
    return json(result, { status: 201, headers: { Location: `/api/v1/applications/${result.id}`, "Cache-Control": "no-store" } });
  });
}

// A GET here would otherwise get Remix's own 405 page, not the API's error shape.
export const loader = actionOnly("POST");

