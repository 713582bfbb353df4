/**
 * Run by bench/run.ts with NODE_ENV=production and the bench database in MONGODB_URI: renders the apply page
 * (as the demo citizen) and the inbox (as the demo officer) through Remix's request handler, then the same
 * tree — the context Remix handed to entry.server on the first request — with plain `renderToString`, in turns
 * with Remix's request handler again with the data already read (bench/lib/replay-loaders.ts: the loaders
 * answer with their last real answer). Prints one JSON line per page.
 *
 *   node --import tsx bench/lib/ssr-child.ts <serverDir> <runs> <service slug>
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { sessionCookieOf } from "../../test/support/sessions";
import { timeAlternated, timeRuns } from "./measure";
import { replayingLoaders } from "./replay-loaders";

const [serverDir, runs, slug] = process.argv.slice(2) as [string, string, string];
await connectDb(process.env.MONGODB_URI!);
const build = (await import(pathToFileURL(path.join(serverDir, "build/index.js")).href)) as ServerBuild;
let captured: { context: unknown; url: string } | undefined;
const original = build.entry.module.default;
const replaying = replayingLoaders(build);
const handle = createRequestHandler(
  { ...replaying.build, entry: { module: { ...build.entry.module, default: (request, status, headers, context, load) => ((captured = { context, url: request.url }), original(request, status, headers, context, load)) } } },
  "production",
);
// As server.js runs every request: in its own configuration-stamp scope (one stamp read per request, decision 018).
type Middleware = (req: unknown, res: { once(event: "close", listener: () => void): unknown }, next: () => void) => void;
const { configStampScope } = build.entry.module as unknown as { configStampScope: () => Middleware };
const inScope = (work: () => Promise<void>) => new Promise<void>((resolve, reject) => configStampScope()(null, { once: () => undefined }, () => void work().then(resolve, reject)));
for (const [name, url, email] of [
  ["apply page", `/services/${slug}/apply`, "citizen@demo.borikan.local"],
  ["inbox page", "/inbox", "officer@sukjai.demo.borikan.local"],
] as const) {
  const cookie = await sessionCookieOf(email);
  const request = () =>
    inScope(async () => {
      const res = await handle(new Request(`http://localhost${url}`, { headers: { Cookie: cookie } }), { cspNonce: "bench" });
      // Bytes, as a server writes them to its socket (decoding them to text is the client's work, not rendering).
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`SSR ${url}: ${res.status}`);
    });
  captured = undefined;
  // Warm, as the plain render is when it runs (after these): the first requests compile Remix's and the app's code.
  for (let i = 0; i < 10; i++) await request();
  const tree = captured!;
  const remix = await timeRuns(Number(runs), request);
  replaying.record();
  await request();
  replaying.replay();
  // The plain render and Remix's with the data read, in turns: the row's ratio compares them.
  const [plain, rendering] = await timeAlternated(
    Number(runs),
    async () => void renderToString(createElement(RemixServer, { context: tree.context as never, url: tree.url, nonce: "bench" })),
    request,
  );
  replaying.passThrough();
  console.log(JSON.stringify({ name, url, remix, plain, rendering }));
}
await disconnectDb();
process.exit(0);
