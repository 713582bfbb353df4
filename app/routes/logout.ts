import type { ActionFunctionArgs } from "@remix-run/node";
import { recordSignOut } from "~/services/audit/record-sign-in.server";
import { methodNotAllowed } from "~/core/errors";
import { endSession } from "~/utils/auth.server";
import { errorResponse, pageHandler, readForm, requireMethod } from "~/utils/http.server";

// Signing out is a POST with the form token, like every other change: another site cannot sign a user out.
export const action = ({ request }: ActionFunctionArgs) =>
  pageHandler(async () => {
    requireMethod(request, "POST");
    await readForm(request);
    await recordSignOut(request);
    return endSession(request);
  });
export const loader = () => errorResponse(methodNotAllowed(["POST"]));
