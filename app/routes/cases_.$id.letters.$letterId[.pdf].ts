import type { LoaderFunctionArgs } from "@remix-run/node";
import { getFile } from "~/models/stored-file.server";
import { getResultDocument } from "~/models/result-document.server";
import { ensureResultPdf, resultFileId } from "~/services/permit-documents.server";
import { caseDocumentPdf } from "~/utils/case-document-response.server";

/** A signed result letter of a case, for its applicant and the agency's staff only (it may give reasons). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return caseDocumentPdf(request, params.id ?? "", async () => {
    const letter = await getResultDocument(params.letterId ?? "");
    if (!letter) return null;
    return {
      caseId: letter.caseId,
      number: letter.number,
      pdf: async () => {
        await ensureResultPdf(letter);
        return getFile(resultFileId(letter.id));
      },
    };
  });
}
