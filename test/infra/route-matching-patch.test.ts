/**
 * patches/@remix-run+router+*.patch (applied by patch-package on install) makes the server's route matching keep
 * compiled path patterns and each route tree's ranked branches instead of rebuilding them on every request
 * (docs/decisions/030). Node loads the patched CommonJS file; the ES module file browsers get is left as
 * published, so it serves here as the reference: on this app's own route table, both must answer every path
 * the same, however often a tree is matched.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { flatRoutes } from "@remix-run/dev/dist/config/flat-routes.js";
import * as publishedModule from "@remix-run/router/dist/router.js";
import { describe, expect, it } from "vitest";

type Matching = { matchRoutes(routes: unknown[], path: string): Match[] | null; matchPath(pattern: object, path: string): { pathname: string } | null };
type Match = { route: { id?: string }; params: unknown; pathnameBase: string };
const published = publishedModule as unknown as Matching;
const patched = createRequire(import.meta.url)("@remix-run/router") as Matching;

type RouteEntry = { id: string; path?: string; index?: boolean; caseSensitive?: boolean; parentId?: string };
type RouteTree = { id: string; path?: string; index?: boolean; caseSensitive?: boolean; children?: RouteTree[] };

const manifest = flatRoutes(path.resolve("app"), ["**/.*", "**/*.test.*"]) as Record<string, RouteEntry>;

/** The nested tree as Remix's server runtime builds it from the manifest (root on top). */
function routeTree(): RouteTree[] {
  const byParent = new Map<string, RouteEntry[]>();
  for (const route of Object.values(manifest)) byParent.set(route.parentId ?? "root", [...(byParent.get(route.parentId ?? "root") ?? []), route]);
  const build = (parentId: string): RouteTree[] =>
    (byParent.get(parentId) ?? []).map((r) => ({ id: r.id, path: r.path, index: r.index, caseSensitive: r.caseSensitive, children: r.index ? undefined : build(r.id) }));
  return [{ id: "root", path: "", children: build("root") }];
}

/** Every route's full path with its parameters filled in, plus variations and paths no route has. */
function samplePaths(): string[] {
  const full = (r: RouteEntry): string => {
    const parent = r.parentId && r.parentId !== "root" ? full(manifest[r.parentId]!) : "";
    return [parent, r.path ?? ""].filter(Boolean).join("/");
  };
  const paths = new Set<string>(["/", "", "/nope", "/inbox/", "/INBOX", "/services//x", "/api/v1", "/cases/x/y/z/w", "/%E0%B8%81"]);
  for (const route of Object.values(manifest)) {
    const p = "/" + full(route).replace(/:([\w-]+)\??/g, (_m, name: string) => `v-${name}`);
    paths.add(p);
    paths.add(p + "/");
    paths.add(p.toUpperCase());
    paths.add(p + "/extra");
    paths.add(p.split("/").slice(0, -1).join("/") || "/");
  }
  return [...paths];
}

const idsOf = (matches: Match[] | null) =>
  matches?.map((m) => ({ id: m.route.id, params: m.params, base: m.pathnameBase })) ?? null;

describe("the patched route matching", () => {
  it("is the patched file that Node loads", () => {
    const file = createRequire(import.meta.url).resolve("@remix-run/router");
    expect(file).toMatch(/router\.cjs\.js$/);
    // patch-package ran on install (package.json's postinstall).
    expect(readFileSync(file, "utf8")).toContain("function rankedBranchesOf(routes)");
  });

  it("answers every path of the app's routes as the published router does, on the same tree again and again", () => {
    const paths = samplePaths();
    expect(paths.length).toBeGreaterThan(300);
    const reusedTree = routeTree();
    for (let round = 0; round < 3; round++) {
      for (const p of paths) {
        const expected = idsOf(published.matchRoutes(routeTree(), p));
        expect(idsOf(patched.matchRoutes(reusedTree, p)), p).toEqual(expected);
        expect(idsOf(patched.matchRoutes(routeTree(), p)), p).toEqual(expected);
      }
    }
  });

  it("keeps answers apart for trees that differ, and for patterns that differ only in case sensitivity or end", () => {
    const a = [{ id: "a", path: "/cases/:id", caseSensitive: true }];
    const b = [{ id: "b", path: "/Cases/:id" }];
    expect(idsOf(patched.matchRoutes(a, "/cases/1"))?.[0]?.id).toBe("a");
    expect(patched.matchRoutes(a, "/CASES/1")).toBeNull();
    expect(idsOf(patched.matchRoutes(b, "/CASES/1"))?.[0]?.id).toBe("b");
    expect(patched.matchPath({ path: "/cases", end: false }, "/cases/1")?.pathname).toBe("/cases");
    expect(patched.matchPath({ path: "/cases", end: true }, "/cases/1")).toBeNull();
    expect(patched.matchPath({ path: "/cases", caseSensitive: true }, "/Cases")).toBeNull();
    expect(patched.matchPath({ path: "/cases" }, "/Cases")?.pathname).toBe("/Cases");
  });
});
