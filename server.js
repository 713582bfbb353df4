// The web process: Remix pages and the JSON API on one Express server.
import { createRequestHandler } from "@remix-run/express";
import { installGlobals } from "@remix-run/node";
import express from "express";
import http from "node:http";

installGlobals();

const mode = process.env.NODE_ENV === "production" ? "production" : "development";
const build = await import("./build/index.js");
const web = build.entry.module;

const app = express();
app.disable("x-powered-by");
// Per-address limits need the connection's address, which Remix's Request lacks: pass it in a header that
// a client cannot set (any incoming one is replaced). app/utils/client-ip.server.ts reads it.
app.use((req, _res, next) => {
  req.headers["x-borikan-socket-address"] = req.socket.remoteAddress ?? "";
  next();
});
// Security headers (and the CSP nonce) on every response, static files included.
app.use(web.securityHeaders());
// Each request reads the configuration stamp at most once (app/models/config-stamp.server.ts).
app.use(web.configStampScope());
app.use(web.alignHostWithPublicUrl());
app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
// Only what public/ holds besides the build: no file-system look-up for every page and API request.
app.use("/fonts", express.static("public/fonts", { maxAge: "1h" }));
// Cross-site requests on the session cookie are refused before anything reads their body.
app.use(web.refuseCrossSiteRequests());
// Resumable uploads (tus) stream straight to storage: mounted before Remix, with no body parser.
app.all(["/uploads", "/uploads/*"], (req, res, next) => web.handleUpload(req, res).catch(next));
app.all("*", createRequestHandler({ build, mode, getLoadContext: web.remixLoadContext }));

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "127.0.0.1";
// The API's filing and case events skip Express and Remix's handler but run the same route actions after the same
// protective steps (app/utils/api-fast-path.server.ts, decision 024); everything else goes to Express.
// BORIKAN_API_FAST_PATH=off turns it off, =trace logs each request it takes (the tests compare both paths).
const fastPathMode = process.env.BORIKAN_API_FAST_PATH ?? "on";
const fastPath = fastPathMode === "off" ? () => false : web.apiFastPath(build, fastPathMode === "trace" ? "trace" : "on");
const server = http.createServer((req, res) => {
  if (!fastPath(req, res)) app(req, res);
});
server.listen(port, host, () => {
  console.log(`Borikan is running at http://localhost:${port} (${mode})`);
});

// On a graceful stop, documents already being produced are finished (for at most 10 s); anything left is
// still pending in the database, for the worker's sweep.
const DRAIN_MS = 10_000;
let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  const closed = new Promise((resolve) => server.close(resolve));
  // Idle keep-alive connections would hold close() open until they time out.
  server.closeIdleConnections();
  const drained = Promise.race([web.drainEffectRunner(), new Promise((resolve) => setTimeout(resolve, DRAIN_MS).unref())]);
  void Promise.all([closed, drained]).finally(() => process.exit(0));
}
for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) process.on(signal, stop);
