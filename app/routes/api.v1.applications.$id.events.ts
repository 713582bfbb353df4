/**
 * POST /api/v1/applications/:id/events  body `{ type, comment?, data?, rev? }`
 * → 200 { id, state, status, rev, documents: { pending } } — the transition is written; what it queued (permit,
 * letter, e-mail notice) is still being prepared: GET the application until its `documents.pending` is empty · 400 malformed body · 401 · 403 ROLE_NOT_ALLOWED · 404 (not visible)
 * · 409 STALE_REVISION · 422 EVENT_NOT_ALLOWED / COMMENT_REQUIRED / FORM_INVALID. Any other method → 405.
 */
import { json, type ActionFunctionArgs } from "@remix-run/node";
import { AppError } from "~/core/errors";
import { fireCaseEvent, type CaseEventInput } from "~/services/fire-case-event.server";
import { requireApiActor } from "~/utils/auth.server";
import { actionOnly, apiHandler, readJsonBody, requireMethod } from "~/utils/http.server";

export async function action({ request, params }: ActionFunctionArgs) {
  return apiHandler(async () => {
    requireMethod(request, "POST");
    const actor = await requireApiActor(request);
    const input = parseEventInput(await readJsonBody(request));
    const result = await fireCaseEvent(actor, params.id ?? "", input);
    return json(result, { headers: { "Cache-Control": "no-store" } });
  });
}

// A GET here would otherwise get Remix's own 405 page, not the API's error shape.
export const loader = actionOnly("POST");

/** Shape only; whether the event is allowed is the use case's business. */
function parseEventInput(body: unknown): CaseEventInput {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw badBody("/", "a JSON object", "ออบเจกต์ JSON");
  const { type, comment, data, rev } = body as Record<string, unknown>;
  if (typeof type !== "string") throw badBody("/type", "a string", "ข้อความ");
  if (comment !== undefined && comment !== null && typeof comment !== "string") throw badBody("/comment", "a string", "ข้อความ");
  if (data !== undefined && data !== null && (typeof data !== "object" || Array.isArray(data))) throw badBody("/data", "an object", "ออบเจกต์");
  if (rev !== undefined && rev !== null && !(typeof rev === "number" && Number.isInteger(rev) && rev >= 0)) {
    throw badBody("/rev", "a non-negative integer", "จำนวนเต็มไม่ติดลบ");
  }
  return {
    type,
    ...(typeof comment === "string" ? { comment } : {}),
    ...(data && typeof data === "object" ? { data: data as Record<string, unknown> } : {}),
    ...(typeof rev === "number" ? { rev } : {}),
  };
}

function badBody(pointer: string, en: string, th: string) {
  return new AppError("BAD_REQUEST", { th: `${pointer} ต้องเป็น${th}`, en: `${pointer} must be ${en}` }, { pointer });
}

