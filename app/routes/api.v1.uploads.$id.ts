/**
 * GET /api/v1/uploads/:id → `{ id, name, size, offset, type, sha256, status, field, service, attached, expiresAt }`
 * for the uploader (or, once attached, the case's applicant and agency); 404 for anyone else.
 */
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { readableUpload, uploadStatus } from "~/services/uploads/upload-access.server";
import { uploadStorage } from "~/services/uploads/upload-storage.server";
import { requireApiActor } from "~/utils/auth.server";
import { apiHandler } from "~/utils/http.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return apiHandler(async () => {
    const doc = await readableUpload(await requireApiActor(request), params.id ?? "");
    // How far an unfinished upload got, for a client deciding whether to resume.
    const offset = doc.status === "complete" ? doc.size : await uploadStorage().store.getUpload(doc._id).then((u) => u.offset, () => 0);
    return json({ ...uploadStatus(doc), offset }, { headers: { "Cache-Control": "no-store" } });
  });
}
