/**
 * GET /api/v1/admin/services/:id/upgrade → `{ rev, sourceTemplate, latestVersion, upToDate, templateChanges,
 *   preview: { applied, kept, conflicts } }` — what OPDC changed in the template the draft was cloned from
 * POST /api/v1/admin/services/:id/upgrade `{ rev }` → `{ draft, applied, kept, conflicts }` — merged into the
 *   draft · 409 stale rev · 404 draft not cloned from a template · 422 merged definition invalid
 */
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { applyTemplateUpgrade, templateUpgradeStatus } from "~/services/admin/template-upgrade.server";
import { requireApiActor } from "~/utils/auth.server";
import { apiHandler, readDefinitionJsonBody, requireMethod } from "~/utils/http.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return apiHandler(async () => json(await templateUpgradeStatus(await requireApiActor(request), params.id ?? ""), { headers: { "Cache-Control": "no-store" } }));
}

export async function action({ request, params }: ActionFunctionArgs) {
  return apiHandler(async () => {
    requireMethod(request, "POST");
    const actor = await requireApiActor(request);
    const body = ((await readDefinitionJsonBody(request)) ?? {}) as Record<string, unknown>;
    return json(await applyTemplateUpgrade(actor, params.id ?? "", body));
  });
}
