/** GET /cases/:id/attachments.zip — every attachment of the case in one zip, streamed (applicant and agency only). */
import { createReadableStreamFromReadable, type LoaderFunctionArgs } from "@remix-run/node";
import { caseAttachmentsZip } from "~/services/uploads/case-attachments.server";
import { contentDisposition } from "~/services/uploads/serve-upload.server";
import { requireApiActor } from "~/utils/auth.server";
import { apiHandler } from "~/utils/http.server";
import { requestLang } from "~/utils/lang.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return apiHandler(async () => {
    const { stream, fileName } = await caseAttachmentsZip(await requireApiActor(request), params.id ?? "", await requestLang(request));
    return new Response(createReadableStreamFromReadable(stream), {
      headers: { "Content-Type": "application/zip", "Content-Disposition": contentDisposition("attachment", fileName), "Cache-Control": "private, no-store" },
    });
  });
}
