/**
 * patches/@remix-run+react+*.patch (applied by patch-package on install) keeps the route tree RemixServer builds for
 * a build's manifest instead of building it again at every render (docs/decisions/040). Node loads the patched
 * CommonJS file; the ES module file browsers get is left as published and serves here as the reference.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
// @ts-expect-error -- the package ships no types for its ES module files; the function's shape is declared below
import * as publishedModule from "@remix-run/react/dist/esm/routes.js";
import { beforeAll, describe, expect, it } from "vitest";

type RouteModules = Record<string, Record<string, unknown>>;
type CreateServerRoutes = (manifest: object, routeModules: RouteModules, future: object, isSpaMode: boolean) => ServerRoute[];
type ServerRoute = { id: string; path?: string; index?: boolean; caseSensitive?: boolean; handle?: unknown; Component?: unknown; ErrorBoundary?: unknown; loader?: unknown; children?: ServerRoute[] };

const require = createRequire(import.meta.url);
const patchedFile = require.resolve("@remix-run/react/dist/routes.js");
const patched = (require(patchedFile) as { createServerRoutes: CreateServerRoutes }).createServerRoutes;
const published = (publishedModule as unknown as { createServerRoutes: CreateServerRoutes }).createServerRoutes;

type Build = { assets: { routes: object }; routes: Record<string, { module: Record<string, unknown> }>; future: object };
let build: Build;
/** What Remix's server runtime hands RemixServer on every document request: a new object of the same modules. */
const modulesOf = (b: Build): RouteModules => Object.fromEntries(Object.entries(b.routes).map(([id, route]) => [id, route.module]));

beforeAll(async () => {
  // The app as `npm test` built it. Importing it connects nowhere; its settings only need to be well-formed.
  process.env.MONGODB_URI ??= "mongodb://127.0.0.1:9/not-connected";
  process.env.SESSION_SECRET ??= "route-tree-test-secret-0123456789";
  process.env.KEY_ENCRYPTION_SECRET ??= "route-tree-test-key-0123456789";
  build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as Build;
});

/** Everything of a route the render reads, its children included, with functions and elements compared by identity. */
function shape(routes: ServerRoute[] | undefined): unknown {
  return routes?.map((r) => ({ id: r.id, path: r.path, index: r.index, caseSensitive: r.caseSensitive, handle: r.handle, Component: r.Component, ErrorBoundary: r.ErrorBoundary, hasLoader: typeof r.loader, children: shape(r.children) }));
}

describe("RemixServer's route tree, kept per build", () => {
  it("is the patched file that Node loads", () => {
    expect(readFileSync(patchedFile, "utf8")).toContain("Patched by Borikan");
  });

  it("is the tree the published function builds, given again for every render of the same build", () => {
    const first = patched(build.assets.routes, modulesOf(build), build.future, false);
    expect(first.length).toBeGreaterThan(0);
    expect(shape(first)).toEqual(shape(published(build.assets.routes, modulesOf(build), build.future, false)));
    expect(patched(build.assets.routes, modulesOf(build), build.future, false)).toBe(first);
  });

  it("is built anew when a route module, the future flags or SPA mode differ", () => {
    const kept = patched(build.assets.routes, modulesOf(build), build.future, false);
    const changed = { ...modulesOf(build), root: { ...modulesOf(build).root, default: () => null } };
    const rebuilt = patched(build.assets.routes, changed, build.future, false);
    expect(rebuilt).not.toBe(kept);
    expect(shape(rebuilt)).toEqual(shape(published(build.assets.routes, changed, build.future, false)));
    expect(patched(build.assets.routes, modulesOf(build), { ...build.future }, false)).not.toBe(kept);
    const spa = patched(build.assets.routes, modulesOf(build), build.future, true);
    expect(shape(spa)).toEqual(shape(published(build.assets.routes, modulesOf(build), build.future, true)));
    // A module missing from the given set is not answered from a tree built with it.
    const { root: _root, ...fewer } = modulesOf(build);
    expect(() => patched(build.assets.routes, fewer, build.future, false)).toThrow(/routeModule/);
  });
});
