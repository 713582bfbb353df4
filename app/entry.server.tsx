import { PassThrough } from "node:stream";

import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import * as isbotModule from "isbot";
import { renderToPipeableStream, renderToString } from "react-dom/server";

import { NonceProvider } from "~/components/NonceContext";
import { startBackgroundWork } from "~/services/startup.server";
import { logError } from "~/utils/log.server";

// server.js mounts the tus upload endpoint from here, beside Remix, so it shares this bundle's modules.
export { handleUpload } from "~/services/uploads/tus-server.server";
// server.js lets documents being produced finish before a graceful exit (a crash is covered by the worker).
export { drainEffectRunner } from "~/services/effects/effect-runner.server";
// …runs each request in its own configuration-stamp scope (one stamp read per request)…
export { configStampScope } from "~/models/config-stamp.server";
// …and installs the headers and the same-origin rule from here.
export { alignHostWithPublicUrl, refuseCrossSiteRequests, remixLoadContext, securityHeaders } from "~/utils/web-security.server";
// …and serves the API's hot JSON requests (filing, case events) past Express and Remix's handler (decision 024).
export { apiFastPath } from "~/utils/api-fast-path.server";

// Remix's default Node entry (as `remix reveal` gives it), plus the process's start-up work.
startBackgroundWork();

const ABORT_DELAY = 5_000;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext
) {
  const nonce = typeof loadContext.cspNonce === "string" ? loadContext.cspNonce : "";
  // With nothing deferred there is nothing to stream: the shell is the whole document, and rendering it to a
  // string costs about 0.7 ms less per page than React's streaming renderer (decision 033).
  if (!remixContext.staticHandlerContext.activeDeferreds) {
    return renderWholeDocument(responseStatusCode, responseHeaders, remixContext, request.url, nonce);
  }
  // Bots (and SPA mode) get the whole document at once; browsers get the shell first and stream the rest.
  const waitForAll = isBotRequest(request.headers.get("user-agent")) || remixContext.isSpaMode;
  return renderDocument(request, responseStatusCode, responseHeaders, remixContext, waitForAll ? "onAllReady" : "onShellReady", nonce);
}

// We have some Remix apps in the wild already running with isbot@3 so we need
// to maintain backwards compatibility even though we want new apps to use
// isbot@4.  That way, we can ship this as a minor Semver update to @remix-run/dev.
function isBotRequest(userAgent: string | null) {
  if (!userAgent) {
    return false;
  }

  // isbot >= 3.8.0, >4
  if ("isbot" in isbotModule && typeof isbotModule.isbot === "function") {
    return isbotModule.isbot(userAgent);
  }

  // isbot < 3.8.0
  if ("default" in isbotModule && typeof isbotModule.default === "function") {
    return isbotModule.default(userAgent);
  }

  return false;
}

/** The page's tree, the same whether it is rendered to a string or streamed. */
function documentOf(remixContext: EntryContext, url: string, nonce: string) {
  return (
    <NonceProvider value={nonce}>
      <RemixServer context={remixContext} url={url} abortDelay={ABORT_DELAY} nonce={nonce} />
    </NonceProvider>
  );
}

function renderWholeDocument(
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  url: string,
  nonce: string
) {
  // A render that throws rejects, as a shell error does below: Remix then renders the error boundary.
  const html = renderToString(documentOf(remixContext, url, nonce));
  responseHeaders.set("Content-Type", "text/html");
  return new Response("<!DOCTYPE html>" + html, { headers: responseHeaders, status: responseStatusCode });
}

function renderDocument(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  readyWhen: "onAllReady" | "onShellReady",
  nonce: string
) {
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    // Gives up on a render still streaming after ABORT_DELAY (abort is React's, assigned below before this fires).
    const abortTimer = setTimeout(() => abort(), ABORT_DELAY);
    const respond = () => {
      shellRendered = true;
      const body = new PassThrough();
      const stream = createReadableStreamFromReadable(body);

      responseHeaders.set("Content-Type", "text/html");

      resolve(
        new Response(stream, {
          headers: responseHeaders,
          status: responseStatusCode,
        })
      );

      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      documentOf(remixContext, request.url, nonce),
      {
        nonce,
        onShellReady() {
          if (readyWhen === "onShellReady") respond();
        },
        onAllReady() {
          // Done: the abort timer would only keep this render's memory alive for its five seconds.
          clearTimeout(abortTimer);
          if (readyWhen === "onAllReady") respond();
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Log streaming rendering errors from inside the shell.  Don't log
          // errors encountered during initial shell rendering since they'll
          // reject and get logged in handleDocumentRequest.
          if (shellRendered) {
            logError(error);
          }
        },
      }
    );
  });
}

/** Errors Remix reports from loaders, actions and rendering: logged with personal data masked (PDPA). */
export function handleError(error: unknown, { request }: { request: Request }) {
  // An aborted request (the browser went away) is not a server error.
  if (request.signal.aborted) return;
  logError(error);
}
