import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { endSession } from "~/utils/auth.server";
import { pageHandler, readForm, requireMethod } from "~/utils/http.server";

// Signing out is a POST with the form token, like every other change: another site cannot sign a user out.
export const action = ({ request }: ActionFunctionArgs) =>
  pageHandler(async () => {
    requireMethod(request, "POST");
    await readForm(request);
    return endSession(request);
  });
export const loader = () => redirect("/");
