import { isAppError } from "~/core/errors";
import { loadVisibleCase } from "~/services/case-access.server";
import { requireSessionActor } from "./auth.server";

const notFound = () => new Response("Not found / ไม่พบเอกสาร", { status: 404 });

/**
 * A document of a case as a PDF download, for who may see the case (its applicant, the agency's staff):
 * anyone else, and a document of another case, get the same 404.
 */
export async function caseDocumentPdf(
  request: Request,
  caseId: string,
  find: () => Promise<{ caseId: string; number: string; pdf: () => Promise<{ data: Uint8Array | Buffer } | null> } | null>,
): Promise<Response> {
  const actor = await requireSessionActor(request);
  try {
    await loadVisibleCase(actor, caseId);
  } catch (error) {
    if (isAppError(error) && error.code === "NOT_FOUND") throw notFound();
    throw error;
  }
  const document = await find();
  if (!document || document.caseId !== caseId) throw notFound();
  const file = await document.pdf();
  if (!file) throw notFound();
  return new Response(new Uint8Array(file.data), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${document.number}.pdf"`,
      "Cache-Control": "private, no-store",
    },
  });
}
