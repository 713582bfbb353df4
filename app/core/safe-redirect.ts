/**
 * Where to send someone after sign-in, from a `next` value the request supplied. The value is resolved the way a
 * browser would resolve it (the WHATWG URL parser strips tabs and newlines and reads `\` as `/`), against the
 * site's own address, and kept only when it stays on the same origin; anything else goes to `fallback`.
 * Returns a path (path + search + hash), never an absolute URL.
 */
export function safeNext(next: unknown, publicUrl: string, fallback = "/"): string {
  if (typeof next !== "string" || next.trim() === "") return fallback;
  let base: URL;
  let target: URL;
  try {
    base = new URL(publicUrl);
    target = new URL(next, base);
  } catch {
    return fallback;
  }
  if (target.origin !== base.origin) return fallback;
  const path = target.pathname + target.search + target.hash;
  // `/.//evil` resolves on this origin to the path `//evil`, which a browser reads back as another host.
  if (!path.startsWith("/") || path.startsWith("//")) return fallback;
  return path;
}
