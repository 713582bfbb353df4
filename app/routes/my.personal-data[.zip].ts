/** GET /my/personal-data.zip — everything held about the signed-in person (PDPA), streamed as a zip. */
import { createReadableStreamFromReadable, type LoaderFunctionArgs } from "@remix-run/node";
import { exportPersonalData } from "~/services/privacy/export-personal-data.server";
import { contentDisposition } from "~/services/uploads/serve-upload.server";
import { requireSessionActor } from "~/utils/auth.server";
import { apiHandler } from "~/utils/http.server";
import { requestLang } from "~/utils/lang.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireSessionActor(request);
  return apiHandler(async () => {
    const { stream, fileName } = await exportPersonalData(actor, await requestLang(request));
    return new Response(createReadableStreamFromReadable(stream), {
      headers: { "Content-Type": "application/zip", "Content-Disposition": contentDisposition("attachment", fileName), "Cache-Control": "private, no-store" },
    });
  });
}
