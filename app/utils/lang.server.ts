import { createCookie } from "@remix-run/node";
import type { Lang } from "~/core/text";
import { parseLang } from "~/i18n/i18n";

export const langCookie = createCookie("lang", { path: "/", sameSite: "lax", maxAge: 60 * 60 * 24 * 365 });

/** Thai unless the visitor chose English (?lang=en or the lang cookie). */
export async function requestLang(request: Request): Promise<Lang> {
  const fromQuery = new URL(request.url).searchParams.get("lang");
  if (fromQuery) return parseLang(fromQuery);
  return parseLang(await langCookie.parse(request.headers.get("Cookie")));
}
