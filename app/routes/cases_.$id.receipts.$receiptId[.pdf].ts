import type { LoaderFunctionArgs } from "@remix-run/node";
import { isAppError } from "~/core/errors";
import { getReceipt } from "~/models/receipt.server";
import { loadVisibleCase } from "~/services/case-access.server";
import { paymentReceiptPdf } from "~/services/payments/receipt-documents.server";
import { requireSessionActor } from "~/utils/auth.server";

/** The electronic receipt of a case's fee, for its applicant and the agency's staff only. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireSessionActor(request);
  const notFound = () => new Response("Not found / ไม่พบเอกสาร", { status: 404 });
  try {
    await loadVisibleCase(actor, params.id ?? "");
  } catch (error) {
    if (isAppError(error) && error.code === "NOT_FOUND") throw notFound();
    throw error;
  }
  const receipt = await getReceipt(params.receiptId ?? "");
  if (!receipt || receipt.caseId !== params.id) throw notFound();
  const file = await paymentReceiptPdf(receipt);
  if (!file) throw notFound();
  return new Response(new Uint8Array(file.data), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${receipt.number}.pdf"`,
      "Cache-Control": "private, no-store",
    },
  });
}
