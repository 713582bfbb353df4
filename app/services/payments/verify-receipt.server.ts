import { formatBaht } from "~/core/payments/fees";
import { receiptMismatches, type PaymentReceipt } from "~/core/payments/receipt";
import { RECEIPT_JWS_TYPE, signatureVerdict, verifySignedDocument, type SignatureVerdict } from "~/core/permits/permit-signature";
import type { LocalizedText } from "~/core/text";
import { getReceipt } from "~/models/receipt.server";
import { publishedKeySet } from "../document-signing.server";

export type ReceiptVerification = {
  /** The receipt exists and what is stored is exactly what the agency signed. */
  valid: boolean;
  /** "altered": the stored receipt or its signature was changed after signing. */
  status: "valid" | "altered";
  receipt: { number: string; agency: LocalizedText; amount: string; issuedAt: string; trackingNumber: string };
  signature: SignatureVerdict;
};

/**
 * Online verification of an electronic receipt (GET /api/v1/receipts/:id/verify): its signature checks out
 * against the agency's published key and the signed fields still match the stored receipt.
 */
export async function verifyStoredReceipt(id: string): Promise<ReceiptVerification | null> {
  const receipt = await getReceipt(id);
  if (!receipt) return null;
  return verifyReceipt(receipt);
}

export async function verifyReceipt(receipt: PaymentReceipt): Promise<ReceiptVerification> {
  const check = await verifySignedDocument<Record<string, unknown> & { agency: string }>(
    receipt.signature.jws,
    await publishedKeySet(receipt.signature.kid),
    RECEIPT_JWS_TYPE,
  );
  const { signature: _signed, ...stored } = receipt;
  const signature = signatureVerdict(
    check,
    (signed) => (signed.agency === receipt.agencyId ? receiptMismatches(signed.payload, stored) : ["agency"]),
    (fields) => ({
      th: `ข้อมูลใบเสร็จที่เก็บไว้ไม่ตรงกับที่หน่วยงานลงนาม (${fields})`,
      en: `The stored receipt differs from what the agency signed (${fields})`,
    }),
  );
  return {
    valid: signature.valid,
    status: signature.valid ? "valid" : "altered",
    receipt: {
      number: receipt.number,
      agency: receipt.agencyName,
      amount: formatBaht(receipt.amountSatang),
      issuedAt: new Date(receipt.issuedAt).toISOString(),
      trackingNumber: receipt.trackingNumber,
    },
    signature,
  };
}
