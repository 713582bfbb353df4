import type { ActionFunctionArgs } from "@remix-run/node";
import { recordSignOut } from "~/services/audit/record-sign-in.server";
import { methodNotAllowed } from "~/core/errors";
import { endSession } from "~/utils/auth.server";
import { errorResponse } from "~/utils/http.server";

// Signing out changes state, so only POST does it: a link or an image on another site cannot.
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return errorResponse(methodNotAllowed(["POST"]));
  await recordSignOut(request);
  return endSession(request);
}
export const loader = () => errorResponse(methodNotAllowed(["POST"]));
