/**
 * Server rendering with the data already read: a copy of a server build whose route loaders answer with what
 * they answered the last time they ran for real. Remix then does all its own work (route matching, calling the
 * loaders, reading their responses, serialising the data into the document, entry.server's streaming render)
 * but no session look-up and no database read, so the figure is the framework's rendering of the tree, which
 * is what issue 12's "server rendering ≥ 70 % of plain renderToString" compares; the whole request is measured
 * beside it.
 */
import type { ServerBuild } from "@remix-run/node";

type Recorded = { kind: "response"; status: number; headers: [string, string][]; body: string } | { kind: "value"; value: unknown };
type Loader = (args: { request: Request }) => unknown;

export function replayingLoaders(build: ServerBuild) {
  const recorded = new Map<string, Recorded>();
  // "pass": the real loader and nothing else (so the whole request's figure carries no recording cost).
  let mode: "pass" | "record" | "replay" = "pass";
  const routes = Object.fromEntries(
    Object.entries(build.routes).map(([id, route]) => {
      const real = route.module.loader as Loader | undefined;
      if (!real) return [id, route];
      const loader = async (args: { request: Request }) => {
        if (mode === "pass") return real(args);
        const key = `${id} ${new URL(args.request.url).pathname}`;
        const known = recorded.get(key);
        if (mode === "replay" && known) {
          return known.kind === "response" ? new Response(known.body, { status: known.status, headers: known.headers }) : known.value;
        }
        const result = await real(args);
        if (result instanceof Response) {
          recorded.set(key, { kind: "response", status: result.status, headers: [...result.headers], body: await result.clone().text() });
        } else {
          recorded.set(key, { kind: "value", value: result });
        }
        return result;
      };
      return [id, { ...route, module: { ...route.module, loader } }];
    }),
  ) as ServerBuild["routes"];
  return {
    build: { ...build, routes } as ServerBuild,
    /** From now on, loaders run for real and their answers are kept. */
    record: () => void (mode = "record"),
    /** From now on, loaders answer with their last kept answer for the same route and path. */
    replay: () => void (mode = "replay"),
    /** Loaders run for real, nothing kept. */
    passThrough: () => void (mode = "pass"),
  };
}
