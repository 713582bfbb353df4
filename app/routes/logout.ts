import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { recordSignOut } from "~/services/audit/record-sign-in.server";
import { endSession } from "~/utils/auth.server";

export async function action({ request }: ActionFunctionArgs) {
  await recordSignOut(request);
  return endSession(request);
}
export const loader = () => redirect("/");
