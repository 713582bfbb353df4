/**
 * The API's hot JSON requests without Express and Remix's request handler in between (decision 024): filing
 * (`POST /api/v1/services/:slug/applications`) and case events (`POST /api/v1/applications/:id/events`). Remix's
 * handler flattens and ranks the whole route table on every request and Express adds its own layers; together
 * they cost a fifth of a filing's web CPU. This path runs the **same route action** from the server build, after
 * the same protective steps server.js's Express chain applies, and answers exactly as Express and Remix would.
 * Anything else — another method or path, a query string, a request the same-origin rule refuses — is left to
 * Express untouched (the caller hands it on when this returns false).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createReadableStreamFromReadable, json, writeReadableStreamToWritable, type ServerBuild } from "@remix-run/node";
import { configStampScope } from "~/models/config-stamp.server";
import { SOCKET_ADDRESS_HEADER } from "./client-ip.server";
import { env } from "./env.server";
import { sessionCookieName } from "./session.server";
import { crossOriginVerdict, publicOrigin, remixLoadContext, securityHeaderWriter, type WithNonce } from "./web-security.server";

/** Exact shapes only: plain ASCII segments (Remix would decode `%`-escapes; those go to Express), no trailing slash. */
const SHAPES = [
  { pattern: /^\/api\/v1\/services\/([A-Za-z0-9_-]+)\/applications$/, routeId: "routes/api.v1.services.$slug.applications", param: "slug" },
  { pattern: /^\/api\/v1\/applications\/([A-Za-z0-9_-]+)\/events$/, routeId: "routes/api.v1.applications.$id.events", param: "id" },
] as const;

type Action = NonNullable<ServerBuild["routes"][string]["module"]["action"]>;
type Listener = (req: IncomingMessage, res: ServerResponse) => boolean;

/** Node's res as Express's init leaves it for the middleware: with `locals`. */
type Res = WithNonce;

/**
 * A request listener for the hot API requests: returns false (and touches nothing) for any request it does not
 * take. `mode` "trace" logs one line per request taken (the tests check which path served what).
 */
export function apiFastPath(build: ServerBuild, mode: "on" | "trace"): Listener {
  const actions = SHAPES.map((shape) => ({ ...shape, action: build.routes[shape.routeId]?.module.action }));
  // A build without these routes (renamed, removed) leaves everything to Express.
  if (actions.some((a) => typeof a.action !== "function")) return () => false;
  const ours = publicOrigin();
  const cookieName = sessionCookieName();
  const writeSecurityHeaders = securityHeaderWriter();
  const inConfigScope = configStampScope();
  // alignHostWithPublicUrl() sets Host to PUBLIC_URL's host on every request, so the URL Remix's Express adapter
  // builds from it is fixed: its hostname and port parsing are reproduced here once.
  const host = new URL(env().PUBLIC_URL).host;
  const hostname = expressHostname(host);
  const [, hostPortText] = host.split(":");
  const hostPort = Number.parseInt(hostPortText ?? "", 10);
  const authority = `${hostname}${Number.isSafeInteger(hostPort) && hostPort ? `:${hostPort}` : ""}`;

  return (req, res) => {
    if (req.method !== "POST") return false;
    const url = req.url ?? "";
    let shape: (typeof actions)[number] | undefined;
    let match: RegExpExecArray | null = null;
    for (const candidate of actions) {
      match = candidate.pattern.exec(url);
      if (match) {
        shape = candidate;
        break;
      }
    }
    if (!shape || !match) return false;
    // Refused requests get Express's refusal (its log line, page or JSON, and Connection: close).
    if (!crossOriginVerdict({ method: req.method, path: url, headers: req.headers }, ours, cookieName).allowed) return false;
    if (mode === "trace") console.log(JSON.stringify({ event: "api-fast-path", method: req.method, path: url }));

    // server.js's chain, in its order: the socket address, security headers, configuration scope, Host.
    req.headers[SOCKET_ADDRESS_HEADER] = req.socket.remoteAddress ?? "";
    const r = res as Res;
    r.locals ??= Object.create(null) as Res["locals"];
    const action = shape.action!;
    const params = { [shape.param]: match[1]! };
    // Express catches what its middleware throws; so does this.
    try {
      writeSecurityHeaders(url, req, r, (error) => {
        if (error) return fail(res, error);
        inConfigScope(req, r, () => {
          req.headers.host = host;
          delete req.headers["x-forwarded-host"];
          const protocol = (req.socket as { encrypted?: boolean }).encrypted ? "https" : "http";
          run(build, action, req, r, `${protocol}://${authority}${url}`, params).catch((e: unknown) => fail(res, e));
        });
      });
    } catch (error) {
      fail(res, error);
    }
    return true;
  };
}

/** As @remix-run/express's createRemixRequest + Remix's resource-route handling + sendRemixResponse. */
async function run(build: ServerBuild, action: Action, req: IncomingMessage, res: Res, href: string, params: Record<string, string>): Promise<void> {
  let controller: AbortController | null = new AbortController();
  // Abort the action if the response can no longer be written (close without finish), as the adapter does.
  res.on("finish", () => (controller = null));
  res.on("close", () => controller?.abort());
  const request = new Request(href, {
    method: req.method,
    headers: createRemixHeaders(req.headers),
    signal: controller.signal,
    body: createReadableStreamFromReadable(req),
    duplex: "half",
  } as RequestInit);
  const context = remixLoadContext(req as never, res as never);
  let response: Response;
  try {
    const result: unknown = await action({ request, params, context });
    if (result === undefined) throw new Error("You defined an action for this route but didn't return anything from your `action` function.");
    response = isResponse(result) ? result : json(result);
  } catch (error) {
    // What Remix's handleResourceRequest answers for a thrown Response or error (the actions catch their own).
    if (isResponse(error)) {
      response = withHeader(error, "X-Remix-Catch", "yes");
    } else {
      build.entry.module.handleError?.(error, { request, params, context });
      response = new Response("Unexpected Server Error", { status: 500, headers: { "Content-Type": "text/plain" } });
    }
  }
  res.statusMessage = response.statusText;
  res.statusCode = response.status;
  for (const [name, value] of response.headers.entries()) appendHeader(res, name, value);
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

/** Express's res.append then res.set (express 4): values accumulate, and a text or JSON Content-Type without a charset gets utf-8. */
function appendHeader(res: ServerResponse, name: string, value: string) {
  const prev = res.getHeader(name);
  let next: string | string[] = value;
  if (prev) next = Array.isArray(prev) ? prev.concat(value) : [String(prev), value];
  if (name.toLowerCase() === "content-type") {
    if (Array.isArray(next)) throw new TypeError("Content-Type cannot be set to an Array");
    // send's mime 1.x charsets.lookup, case-sensitive as there.
    if (!/;\s*charset\s*=/.test(next) && /^text\/|^application\/(javascript|json)/.test(next.split(";")[0]!)) next += "; charset=utf-8";
  }
  res.setHeader(name, next);
}

/** @remix-run/express's createRemixHeaders (not in its typings): Node's header object as Fetch Headers. */
function createRemixHeaders(requestHeaders: IncomingMessage["headers"]): Headers {
  const headers = new Headers();
  for (const [key, values] of Object.entries(requestHeaders)) {
    if (!values) continue;
    if (Array.isArray(values)) for (const value of values) headers.append(key, value);
    else headers.set(key, values);
  }
  return headers;
}

/** Remix's own test (server-runtime's isResponse): the build's Response class may not be this module's. */
function isResponse(value: unknown): value is Response {
  const r = value as Response | null;
  return r != null && typeof r.status === "number" && typeof r.statusText === "string" && typeof r.headers === "object" && typeof r.body !== "undefined";
}

/** server-runtime's safelySetHeader: a Response whose headers are immutable is copied first. */
function withHeader(response: Response, name: string, value: string): Response {
  try {
    response.headers.set(name, value);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    copy.headers.set(name, value);
    return copy;
  }
}

/** Express's req.hostname for a Host header (no trusted proxy): the host without its port, IPv6 brackets kept. */
function expressHostname(host: string): string {
  const offset = host.startsWith("[") ? host.indexOf("]") + 1 : 0;
  const colon = host.indexOf(":", offset);
  return colon !== -1 ? host.slice(0, colon) : host;
}

/**
 * A failure outside the action (helmet refusing its options, a broken socket while writing): logged, a plain 500 or
 * a destroyed socket. Express's final handler would send its HTML 500 page instead; neither path is expected to run.
 */
function fail(res: ServerResponse, error: unknown) {
  console.error(error);
  if (res.headersSent) return void res.destroy();
  res.statusCode = 500;
  res.setHeader("Content-Type", "text/plain; charset=utf-8");
  res.end("Internal Server Error");
}
