/**
 * The web process's outer defences, installed in server.js before the tus endpoint and Remix:
 * security headers (helmet, with a per-request CSP nonce) on every response, and the same-origin rule for
 * every request that could change something on the strength of the session cookie.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { NextFunction, Request as ExpressRequest, RequestHandler, Response as ExpressResponse } from "express";
import helmet from "helmet";
import { crossOrigin, httpStatusFor } from "~/core/errors";
import { env } from "./env.server";
import { hasSessionCookie } from "./form-token.server";
import { sessionCookieName } from "./session.server";

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export type RequestFacts = {
  method: string;
  path: string;
  /** Lower-case header names, as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
};

export type CrossOriginVerdict = { allowed: true } | { allowed: false; reason: "foreign-origin" | "no-origin" | "not-json" };

const header = (facts: RequestFacts, name: string): string | undefined => {
  const value = facts.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Whether a request may go on. Safe methods and API-key (Bearer) clients always may. Any unsafe request that names
 * a foreign `Origin` is refused (that also stops a forged sign-in); one that carries the session cookie must prove
 * it comes from our own pages: `Origin` equal to PUBLIC_URL's, else `Sec-Fetch-Site: same-origin`. Session-cookie
 * requests to the JSON API with a body must be `application/json`, which a cross-site form or no-cors fetch cannot send.
 */
export function crossOriginVerdict(facts: RequestFacts, publicOrigin: string, cookieName: string): CrossOriginVerdict {
  if (!UNSAFE_METHODS.has(facts.method.toUpperCase())) return { allowed: true };
  if (/^Bearer\s/i.test(header(facts, "authorization") ?? "")) return { allowed: true };
  const origin = header(facts, "origin");
  if (origin !== undefined && origin !== publicOrigin) return { allowed: false, reason: "foreign-origin" };
  if (!hasSessionCookie(header(facts, "cookie") ?? null, cookieName)) return { allowed: true };
  if (origin === undefined && header(facts, "sec-fetch-site") !== "same-origin") return { allowed: false, reason: "no-origin" };
  if (facts.path.startsWith("/api/") && hasBody(facts) && !isJson(header(facts, "content-type"))) return { allowed: false, reason: "not-json" };
  return { allowed: true };
}

function hasBody(facts: RequestFacts): boolean {
  const length = header(facts, "content-length");
  return header(facts, "transfer-encoding") !== undefined || (length !== undefined && length !== "0");
}

function isJson(contentType: string | undefined): boolean {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase() === "application/json";
}

/**
 * The same rule inside the app, for requests that reach a route without server.js's middleware (another server
 * adapter, the route tests): a session-cookie request that fails it is refused with 403 CROSS_ORIGIN.
 */
export function assertSameOrigin(request: Request): void {
  const url = new URL(request.url);
  const headers: RequestFacts["headers"] = {};
  request.headers.forEach((value, name) => (headers[name] = value));
  const verdict = crossOriginVerdict({ method: request.method, path: url.pathname, headers }, publicOrigin(), sessionCookieName());
  if (!verdict.allowed) throw crossOrigin();
}

export function publicOrigin(): string {
  return new URL(env().PUBLIC_URL).origin;
}

/** Requests that get the API's JSON error shape rather than an HTML page. */
function wantsJson(req: ExpressRequest): boolean {
  const url = new URL(req.originalUrl, "http://local");
  return url.pathname.startsWith("/api/") || url.pathname === "/uploads" || url.pathname.startsWith("/uploads/") || url.searchParams.has("_data");
}

/** Express middleware: refuses cross-site requests with 403 CROSS_ORIGIN and logs each refusal as one JSON line. */
export function refuseCrossSiteRequests(): RequestHandler {
  const ours = publicOrigin();
  const cookieName = sessionCookieName();
  return (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    const verdict = crossOriginVerdict({ method: req.method, path: req.path, headers: req.headers }, ours, cookieName);
    if (verdict.allowed) return next();
    console.warn(
      JSON.stringify({
        event: "cross-origin-refused",
        reason: verdict.reason,
        method: req.method,
        path: req.path,
        origin: req.get("origin") ?? null,
        secFetchSite: req.get("sec-fetch-site") ?? null,
      }),
    );
    const error = crossOrigin();
    res.status(httpStatusFor(error.code));
    // The body is not read: close the connection rather than leave an unread upload on it.
    res.set("Connection", "close");
    if (wantsJson(req)) {
      res.json({ error: { code: error.code, message: error.text, details: null } });
      return;
    }
    res.type("html").send(refusalPage(error.text));
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function refusalPage(text: { th: string; en: string }): string {
  return `<!doctype html><html lang="th"><head><meta charset="utf-8"><title>ปฏิเสธคำขอ / Request refused — Borikan</title></head>
<body><main><h1>ปฏิเสธคำขอ / Request refused</h1><p lang="th">${escapeHtml(text.th)}</p><p lang="en">${escapeHtml(text.en)}</p><p><a href="/">หน้าแรก / Home</a></p></main></body></html>`;
}

/**
 * Remix builds `request.url` from `Host` (and compares `Origin` with `X-Forwarded-Host`/`Host` on document
 * POSTs). Neither header is trusted: the site is where PUBLIC_URL says, so both are set from it.
 */
export function alignHostWithPublicUrl(): RequestHandler {
  const host = new URL(env().PUBLIC_URL).host;
  return (req, _res, next) => {
    req.headers.host = host;
    delete req.headers["x-forwarded-host"];
    next();
  };
}

export type WithNonce = ServerResponse & { locals: { cspNonce?: string } };
const nonceOf = (_req: IncomingMessage, res: ServerResponse) => `'nonce-${(res as WithNonce).locals.cspNonce}'`;

/** Helmet's headers on every response, with a fresh CSP nonce per request in `res.locals.cspNonce`. */
export function securityHeaders(): RequestHandler {
  const write = securityHeaderWriter();
  return (req, res, next) => write(req.path, req, res, next);
}

/**
 * What securityHeaders() does, for a request given by its path and Node's own req/res (server.js's API fast path,
 * which has no Express request): `res.locals` must exist. `next` is called synchronously unless helmet fails.
 */
export function securityHeaderWriter(): (path: string, req: IncomingMessage, res: WithNonce, next: (error?: unknown) => void) => void {
  const https = publicOrigin().startsWith("https:");
  const options = (frameAncestors: string) =>
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          // Remix's inline scripts carry the nonce. 'unsafe-eval': the form validator (ajv, via RJSF) compiles
          // each JSON Schema into a function with `new Function` in the browser.
          scriptSrc: ["'self'", nonceOf, "'unsafe-eval'"],
          scriptSrcAttr: ["'none'"],
          // React renders `style` attributes into the server's HTML; styles cannot run code.
          styleSrc: ["'self'", "'unsafe-inline'"],
          // data: for QR codes and embedded attachments, blob: for previews of files being uploaded.
          imgSrc: ["'self'", "data:", "blob:"],
          fontSrc: ["'self'", "data:"],
          connectSrc: ["'self'"],
          // Attachments are previewed in a frame of our own.
          frameSrc: ["'self'"],
          mediaSrc: ["'self'", "blob:"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          // The sign-in buttons of OpenID providers post here and are redirected on to the provider.
          formAction: ["'self'", ...new Set(env().oidcProviders.map((p) => new URL(p.issuer).origin))],
          frameAncestors: [frameAncestors],
          upgradeInsecureRequests: https ? [] : null,
        },
      },
      strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
      referrerPolicy: { policy: "strict-origin-when-cross-origin" },
      xFrameOptions: { action: frameAncestors === "'self'" ? "sameorigin" : "deny" },
    });
  const pages = options("'none'");
  // Attachments (/files/:id) are shown in the case page's preview frame, so our own pages may frame them.
  const files = options("'self'");
  return (path, req, res, next) => {
    res.locals.cspNonce = newCspNonce();
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()");
    (path.startsWith("/files/") ? files : pages)(req, res, next);
  };
}

const NONCE_BYTES = 16;
/** Nonces are cut from a block of random bytes drawn for 256 responses at a time (decision 038). */
const NONCES_PER_BLOCK = 256;
let nonceBlock = Buffer.alloc(0);
let nonceOffset = 0;

/**
 * A fresh CSP nonce: 16 random bytes in base64, as `randomBytes(16)` gave each response, but drawn from the same
 * generator a block at a time (one call per response was ~1 % of an API filing's web CPU). Each byte is used once.
 */
export function newCspNonce(): string {
  if (nonceOffset + NONCE_BYTES > nonceBlock.length) {
    nonceBlock = randomBytes(NONCE_BYTES * NONCES_PER_BLOCK);
    nonceOffset = 0;
  }
  const nonce = nonceBlock.toString("base64", nonceOffset, nonceOffset + NONCE_BYTES);
  nonceOffset += NONCE_BYTES;
  return nonce;
}

/** What server.js passes to Remix as the load context. */
export function remixLoadContext(_req: ExpressRequest, res: ExpressResponse): { cspNonce: string } {
  return { cspNonce: String(res.locals.cspNonce ?? "") };
}
