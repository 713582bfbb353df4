import type { LoaderFunctionArgs } from "@remix-run/node";
import { getPayInSlip } from "~/services/payments/get-pay-in-slip.server";
import { enforceRateLimit } from "~/services/security/rate-limits.server";
import { requireSessionActor } from "~/utils/auth.server";
import { pageHandler } from "~/utils/http.server";

/** The bank-counter pay-in slip of a payment still due (PDF), for whoever may see the case. */
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  pageHandler(async () => {
    const actor = await requireSessionActor(request);
    await enforceRateLimit("paymentCodes", actor.id);
    const { pdf, fileName } = await getPayInSlip(actor, params.id ?? "", params.reference ?? "", new Date());
    return new Response(new Uint8Array(pdf), {
      headers: { "Content-Type": "application/pdf", "Content-Disposition": `attachment; filename="${fileName}"`, "Cache-Control": "private, no-store" },
    });
  });
