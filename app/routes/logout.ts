import type { ActionFunctionArgs } from "@remix-run/node";
import { methodNotAllowed } from "~/core/errors";
import { endSession } from "~/utils/auth.server";
import { errorResponse } from "~/utils/http.server";

// Signing out changes state, so only POST does it: a link or an image on another site cannot.
export const action = ({ request }: ActionFunctionArgs) => (request.method === "POST" ? endSession(request) : errorResponse(methodNotAllowed(["POST"])));
export const loader = () => errorResponse(methodNotAllowed(["POST"]));
