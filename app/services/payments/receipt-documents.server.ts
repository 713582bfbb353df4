import type { PaymentReceipt } from "~/core/payments/receipt";
import { fileExists, getFile, putFileOnce, type StoredFile } from "~/models/stored-file.server";
import { renderPdf } from "../pdf/pdf-pool.server";
import { verifyUrlOf } from "../permit-documents.server";

export const paymentReceiptFileId = (id: string) => `payment-receipt/${id}.pdf`;

/** The receipt's PDF is rendered once and kept: what the payer downloaded is what is stored. */
export async function ensurePaymentReceiptPdf(receipt: PaymentReceipt, options: { justIssued?: boolean } = {}): Promise<void> {
  const id = paymentReceiptFileId(receipt.id);
  // A receipt this caller stored a moment ago has no PDF yet (the PDF is only ever made after the receipt is
  // stored): skip the look-up. putFileOnce keeps the first anyway.
  if (!options.justIssued && (await fileExists(id))) return;
  const { signature, ...unsigned } = receipt;
  const pdf = await renderPdf({ kind: "paymentReceipt", input: { receipt: unsigned, verifyUrl: verifyUrlOf(signature.jws), keyId: signature.kid } });
  await putFileOnce(id, "application/pdf", pdf);
}

export async function paymentReceiptPdf(receipt: PaymentReceipt): Promise<StoredFile | null> {
  await ensurePaymentReceiptPdf(receipt);
  return getFile(paymentReceiptFileId(receipt.id));
}
