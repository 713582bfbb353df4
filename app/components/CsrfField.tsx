import { useRouteLoaderData } from "@remix-run/react";

type RootData = { formToken?: string | null };

/** The session's form token, from the root loader; null when signed out (no session cookie). */
export function useFormToken(): string | null {
  return useRouteLoaderData<RootData>("root")?.formToken ?? null;
}

/** The hidden field every POST form carries: the server refuses a session's form without it. */
export function CsrfField() {
  const token = useFormToken();
  return token ? <input type="hidden" name="_csrf" value={token} /> : null;
}
