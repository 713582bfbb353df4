import { createCookieSessionStorage } from "@remix-run/node";
import { env } from "./env.server";

// Sessions live in a signed cookie, so any number of web processes can serve a user.
let storage: ReturnType<typeof createCookieSessionStorage<{ userId: string }>> | undefined;

export function sessionStorage() {
  storage ??= createCookieSessionStorage<{ userId: string }>({
    cookie: {
      name: "__borikan",
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secrets: [env().SESSION_SECRET],
      secure: env().NODE_ENV === "production" && env().PUBLIC_URL.startsWith("https:"),
      maxAge: 60 * 60 * 8,
    },
  });
  return storage;
}

export async function getSession(request: Request) {
  return sessionStorage().getSession(request.headers.get("Cookie"));
}

/** The session cookie's name: other modules (the form token) read its value from the Cookie header. */
export function sessionCookieName(): string {
  return "__borikan";
}
