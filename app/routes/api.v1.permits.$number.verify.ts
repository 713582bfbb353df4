/**
 * GET /api/v1/permits/:number/verify → { valid, status, permit, signature }
 * valid = the permit exists, the agency's signature matches its stored content and it is in force today.
 * Unknown number → 404 with { valid: false, status: "unknown", permit: null, error }. Public, no account.
 */
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { PERMIT_NOT_FOUND } from "~/services/permit-lifecycle.server";
import { enforceRateLimit } from "~/services/security/rate-limits.server";
import { verifyPermitNumber } from "~/services/verify-permit.server";
import { clientIp } from "~/utils/client-ip.server";
import { apiHandler } from "~/utils/http.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return apiHandler(async () => {
    await enforceRateLimit("permitVerify", clientIp(request));
    const result = await verifyPermitNumber(params.number ?? "");
    // Live status: an answer cached for long could show a revoked permit as valid.
    const headers = { "Cache-Control": "no-cache", "Access-Control-Allow-Origin": "*" };
    if (!result) {
      return json(
        {
          valid: false,
          status: "unknown",
          permit: null,
          error: { code: "NOT_FOUND", message: { th: `ไม่พบ${PERMIT_NOT_FOUND.th}`, en: `${PERMIT_NOT_FOUND.en} was not found` } },
        },
        { status: 404, headers },
      );
    }
    return json(result, { headers });
  });
}
