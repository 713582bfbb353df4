/**
 * GET /api/v1/receipts/:id/verify → { valid, status: "valid" | "altered", receipt, signature }
 * valid = the receipt exists and the agency's signature matches its stored content. Unknown id → 404.
 * Public, no account; counted against the same per-address limit as permit verification.
 */
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { verifyStoredReceipt } from "~/services/payments/verify-receipt.server";
import { enforceRateLimit } from "~/services/security/rate-limits.server";
import { clientIp } from "~/utils/client-ip.server";
import { apiHandler } from "~/utils/http.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return apiHandler(async () => {
    await enforceRateLimit("permitVerify", clientIp(request));
    const result = await verifyStoredReceipt(params.id ?? "");
    const headers = { "Cache-Control": "no-cache", "Access-Control-Allow-Origin": "*" };
    if (!result) {
      return json(
        { valid: false, status: "unknown", receipt: null, error: { code: "NOT_FOUND", message: { th: "ไม่พบใบเสร็จรับเงิน", en: "Receipt not found" } } },
        { status: 404, headers },
      );
    }
    return json(result, { headers });
  });
}
