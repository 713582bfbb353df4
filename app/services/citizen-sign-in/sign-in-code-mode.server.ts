import { env } from "~/utils/env.server";

/**
 * How codes reach people: by e-mail through SMTP_URL; in a demo (BORIKAN_DEMO=1, or outside production) without
 * SMTP_URL, on the page itself; in production without SMTP_URL not at all.
 */
export type SignInCodeMode = "email" | "demo" | "unavailable";

export function signInCodeMode(): SignInCodeMode {
  if (env().SMTP_URL) return "email";
  return process.env.BORIKAN_DEMO === "1" || env().NODE_ENV !== "production" ? "demo" : "unavailable";
}
