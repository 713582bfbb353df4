/**
 * GET /api/v1/admin/services/:id/versions → `{ versions: [{ version, publishedAt, title }] }`, newest first
 * GET /api/v1/admin/services/:id/versions?from=1&to=2 → `{ from, to, changes: [{ kind, path, before?, after? }] }`
 */
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { AppError } from "~/core/errors";
import { diffServiceVersions, listServiceVersions } from "~/services/admin/service-admin.server";
import { requireApiActor } from "~/utils/auth.server";
import { apiHandler } from "~/utils/http.server";

function versionParam(url: URL, name: string): number {
  const raw = url.searchParams.get(name) ?? "";
  if (!/^[1-9]\d{0,5}$/.test(raw)) throw new AppError("BAD_REQUEST", { th: `${name} ต้องเป็นเลขเวอร์ชัน`, en: `${name} must be a version number` }, { param: name });
  return Number(raw);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  return apiHandler(async () => {
    const actor = await requireApiActor(request);
    const url = new URL(request.url);
    const slug = params.id ?? "";
    if (url.searchParams.has("from") || url.searchParams.has("to")) {
      const from = versionParam(url, "from");
      const to = versionParam(url, "to");
      return json({ from, to, changes: await diffServiceVersions(actor, slug, from, to) });
    }
    return json({ versions: await listServiceVersions(actor, slug) });
  });
}
