/**
 * GET /files/:id — an attachment: inline for PDFs and images, `?download=1` to save it; Range requests give 206.
 * Only the uploader (before it is attached), then the case's applicant and agency; 404 for anyone else.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { serveUpload } from "~/services/uploads/serve-upload.server";
import { requireApiActor } from "~/utils/auth.server";
import { apiHandler } from "~/utils/http.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return apiHandler(async () => serveUpload(await requireApiActor(request), params.id ?? "", request));
}
