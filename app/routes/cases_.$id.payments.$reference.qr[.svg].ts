import type { LoaderFunctionArgs } from "@remix-run/node";
import { getPaymentQrSvg } from "~/services/payments/get-payment-qr.server";
import { enforceRateLimit } from "~/services/security/rate-limits.server";
import { requireSessionActor } from "~/utils/auth.server";
import { pageHandler } from "~/utils/http.server";

/** The PromptPay bill-payment QR of a payment still due, as an SVG image, for whoever may see the case. */
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  pageHandler(async () => {
    const actor = await requireSessionActor(request);
    await enforceRateLimit("paymentCodes", actor.id);
    const svg = await getPaymentQrSvg(actor, params.id ?? "", params.reference ?? "", new Date());
    return new Response(svg, {
      headers: { "Content-Type": "image/svg+xml; charset=utf-8", "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff" },
    });
  });
