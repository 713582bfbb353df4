import type { LoaderFunctionArgs } from "@remix-run/node";
import { isAppError } from "~/core/errors";
import { getFile } from "~/models/stored-file.server";
import { getResultDocument } from "~/models/result-document.server";
import { loadVisibleCase } from "~/services/case-access.server";
import { ensureResultPdf, resultFileId } from "~/services/permit-documents.server";
import { requireSessionActor } from "~/utils/auth.server";

/** A signed result letter of a case, for its applicant and the agency's staff only (it may give reasons). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireSessionActor(request);
  const notFound = () => new Response("Not found / ไม่พบเอกสาร", { status: 404 });
  try {
    await loadVisibleCase(actor, params.id ?? "");
  } catch (error) {
    if (isAppError(error) && error.code === "NOT_FOUND") throw notFound();
    throw error;
  }
  const letter = await getResultDocument(params.letterId ?? "");
  if (!letter || letter.caseId !== params.id) throw notFound();
  await ensureResultPdf(letter);
  const file = await getFile(resultFileId(letter.id));
  if (!file) throw notFound();
  return new Response(new Uint8Array(file.data), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${letter.number}.pdf"`,
      "Cache-Control": "private, no-store",
    },
  });
}
