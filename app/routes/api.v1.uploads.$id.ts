/**
 * GET /api/v1/uploads/:id → `{ id, name, size, type, sha256, status, field, service, attached, expiresAt }`
 * for the uploader (or, once attached, the case's applicant and agency); 404 for anyone else.
 */
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { readableUpload, uploadStatus } from "~/services/uploads/upload-access.server";
import { requireApiActor } from "~/utils/auth.server";
import { apiHandler } from "~/utils/http.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return apiHandler(async () => json(uploadStatus(await readableUpload(await requireApiActor(request), params.id ?? "")), { headers: { "Cache-Control": "no-store" } }));
}
