import * as createRoute from "~/routes/api.v1.admin.services";
import * as draftRoute from "~/routes/api.v1.admin.services.$id.draft";
import * as publishRoute from "~/routes/api.v1.admin.services.$id.publish";
import * as simulateRoute from "~/routes/api.v1.admin.services.$id.simulate";
import * as upgradeRoute from "~/routes/api.v1.admin.services.$id.upgrade";
import * as verifyRoute from "~/routes/api.v1.admin.services.$id.verify";
import * as versionsRoute from "~/routes/api.v1.admin.services.$id.versions";
import { sessionCookieOf } from "./sessions";
import { publicOrigin } from "~/utils/web-security.server";

/** The admin API's route modules, called the way Remix calls them, signed in as a demo user by e-mail. */
export const ADMIN = "admin@sukjai.demo.borikan.local";
export const OPDC = "opdc@demo.borikan.local";

export type ApiJson = Record<string, unknown> & { error?: { code: string; message: { th: string; en: string }; details: Record<string, unknown> } };

export const cookieOf = sessionCookieOf;

function request(path: string, method: string, cookie: string, body?: unknown) {
  // A browser sends its page's Origin; the app refuses a session's change from anywhere else.
  const headers = new Headers({ Cookie: cookie, Origin: publicOrigin() });
  if (body !== undefined) headers.set("Content-Type", "application/json");
  return new Request(`http://localhost${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}
const args = (req: Request, params: Record<string, string> = {}) => ({ request: req, params, context: {} }) as never;
const at = (id: string, rest = "") => `/api/v1/admin/services/${id}${rest}`;

export const adminApi = {
  create: async (who: string, body: unknown) => createRoute.action(args(request("/api/v1/admin/services", "POST", await cookieOf(who), body))),
  getDraft: async (who: string, id: string) => draftRoute.loader(args(request(at(id, "/draft"), "GET", await cookieOf(who)), { id })),
  putDraft: async (who: string, id: string, body: unknown) => draftRoute.action(args(request(at(id, "/draft"), "PUT", await cookieOf(who), body), { id })),
  verify: async (who: string, id: string) => verifyRoute.action(args(request(at(id, "/verify"), "POST", await cookieOf(who)), { id })),
  publish: async (who: string, id: string, body: unknown = {}) => publishRoute.action(args(request(at(id, "/publish"), "POST", await cookieOf(who), body), { id })),
  simulate: async (who: string, id: string, body: unknown) => simulateRoute.action(args(request(at(id, "/simulate"), "POST", await cookieOf(who), body), { id })),
  versions: async (who: string, id: string, query = "") => versionsRoute.loader(args(request(at(id, `/versions${query}`), "GET", await cookieOf(who)), { id })),
  upgradeStatus: async (who: string, id: string) => upgradeRoute.loader(args(request(at(id, "/upgrade"), "GET", await cookieOf(who)), { id })),
  applyUpgrade: async (who: string, id: string, body: unknown) => upgradeRoute.action(args(request(at(id, "/upgrade"), "POST", await cookieOf(who), body), { id })),
};

export const readJson = async (res: Response) => (await res.json()) as ApiJson;
