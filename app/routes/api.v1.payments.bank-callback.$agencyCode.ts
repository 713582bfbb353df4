/**
 * POST /api/v1/payments/bank-callback/:agencyCode — a bank's signed notification of one bill payment.
 * Headers: `X-Borikan-Timestamp: <Unix seconds>`, `X-Borikan-Signature: sha256=<hex HMAC-SHA-256 of "<timestamp>.<raw body>">`
 * under the agency's callback secret (set on /finance/settings). Body: `{ transactionId, ref1, ref2?, amount, paidAt }`
 * (amount in baht, paidAt ISO 8601 with an offset).
 * → 200 `{ transactionId, outcome: "applied" | "unmatched" | "duplicate", reason?, paymentReference?, replay }`: the same
 * transaction id again answers its first outcome with `replay: true` and applies nothing · 401 bad signature, old or
 * future timestamp (more than 5 minutes), unknown agency — one message for all · 400 malformed body · 413 · 429.
 */
import { json, type ActionFunctionArgs } from "@remix-run/node";
import { AppError } from "~/core/errors";
import { receiveBankCallback } from "~/services/payments/receive-bank-callback.server";
import { enforceRateLimit } from "~/services/security/rate-limits.server";
import { clientIp } from "~/utils/client-ip.server";
import { actionOnly, apiHandler, requireMethod } from "~/utils/http.server";

const MAX_CALLBACK_BYTES = 16 * 1024;

export async function action({ request, params }: ActionFunctionArgs) {
  return apiHandler(async () => {
    requireMethod(request, "POST");
    await enforceRateLimit("bankCallback", clientIp(request));
    const rawBody = await readRawBody(request);
    const answer = await receiveBankCallback({
      agencyCode: params.agencyCode ?? "",
      timestamp: request.headers.get("X-Borikan-Timestamp"),
      signature: request.headers.get("X-Borikan-Signature"),
      rawBody,
    });
    return json(answer, { headers: { "Cache-Control": "no-store" } });
  });
}

export const loader = actionOnly("POST");

/** The body exactly as sent (the signature covers its bytes), at most 16 KiB. */
async function readRawBody(request: Request): Promise<string> {
  const tooLarge = () => new AppError("PAYLOAD_TOO_LARGE", { th: "เนื้อหาใหญ่เกินไป", en: "The body is too large" });
  if (Number(request.headers.get("Content-Length") ?? "0") > MAX_CALLBACK_BYTES) throw tooLarge();
  const reader = request.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_CALLBACK_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
