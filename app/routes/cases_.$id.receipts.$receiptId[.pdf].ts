import type { LoaderFunctionArgs } from "@remix-run/node";
import { getReceipt } from "~/models/receipt.server";
import { paymentReceiptPdf } from "~/services/payments/receipt-documents.server";
import { caseDocumentPdf } from "~/utils/case-document-response.server";

/** The electronic receipt of a case's fee, for its applicant and the agency's staff only. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return caseDocumentPdf(request, params.id ?? "", async () => {
    const receipt = await getReceipt(params.receiptId ?? "");
    return receipt && { caseId: receipt.caseId, number: receipt.number, pdf: () => paymentReceiptPdf(receipt) };
  });
}
