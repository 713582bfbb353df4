import { expect } from "vitest";

/**
 * A browser's cookie jar and redirect-by-hand fetch, for walking an OpenID sign-in across the app and the
 * provider (two origins) and looking at every hop.
 */
export class CookieJar {
  private readonly jar = new Map<string, Map<string, string>>();

  header(url: string): string {
    const cookies = this.jar.get(new URL(url).host);
    return cookies ? [...cookies].map(([k, v]) => `${k}=${v}`).join("; ") : "";
  }

  store(url: string, res: Response) {
    const host = new URL(url).host;
    const cookies = this.jar.get(host) ?? new Map<string, string>();
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === "";
      if (expired) cookies.delete(name);
      else cookies.set(name, value);
    }
    this.jar.set(host, cookies);
  }

  value(url: string, name: string): string | undefined {
    return this.jar.get(new URL(url).host)?.get(name);
  }

  set(url: string, name: string, value: string) {
    const host = new URL(url).host;
    const cookies = this.jar.get(host) ?? new Map<string, string>();
    cookies.set(name, value);
    this.jar.set(host, cookies);
  }

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.header(url);
    if (cookie) headers.set("Cookie", cookie);
    headers.set("Connection", "close");
    const res = await fetch(url, { ...init, headers, redirect: "manual" });
    this.store(url, res);
    return res;
  }
}

export function locationOf(res: Response, base: string): string {
  const location = res.headers.get("Location");
  expect(location, `expected a redirect from ${base}, got ${res.status}`).toBeTruthy();
  return new URL(location!, base).href;
}

/** Follows GET redirects until one leaves for `stopAt` (returned unfetched) or a page answers. */
export async function followUntil(jar: CookieJar, url: string, stopAt: (url: string) => boolean): Promise<{ url: string; res?: Response }> {
  let current = url;
  for (let hop = 0; hop < 10; hop++) {
    if (stopAt(current)) return { url: current };
    const res = await jar.fetch(current);
    if (res.status < 300 || res.status >= 400) return { url: current, res };
    await res.body?.cancel();
    current = locationOf(res, current);
  }
  throw new Error("too many redirects");
}
