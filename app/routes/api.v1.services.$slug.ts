/**
 * GET /api/v1/services/:slug → { slug, version, agencyId, manifest, form: { schema, uiSchema }, workflow }
 * The current published definition of a service that takes applications; unknown and template slugs are 404.
 */
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { notFound } from "~/core/errors";
import { getCurrentService } from "~/models/service.server";
import { connectDb } from "~/utils/db.server";
import { apiHandler } from "~/utils/http.server";

export async function loader({ params }: LoaderFunctionArgs) {
  return apiHandler(async () => {
    await connectDb();
    const found = await getCurrentService(params.slug ?? "");
    if (!found || found.summary.isTemplate) throw notFound({ th: "บริการนี้", en: "Service" });
    const { slug, version, agencyId, definition } = found.service;
    return json({ slug, version, agencyId, manifest: definition.manifest, form: definition.form, workflow: definition.workflow });
  });
}
