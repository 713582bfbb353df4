/**
 * GET /api/v1/services[?agency=<id>] → { items: [{ slug, agencyId, title, level, category, version }] }
 * The public catalogue: published services that citizens can apply for (OPDC templates are not listed).
 */
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { listServices } from "~/models/service.server";
import { connectDb } from "~/utils/db.server";
import { apiHandler } from "~/utils/http.server";

export async function loader({ request }: LoaderFunctionArgs) {
  return apiHandler(async () => {
    await connectDb();
    const agencyId = new URL(request.url).searchParams.get("agency")?.trim() || undefined;
    const services = await listServices({ agencyId, isTemplate: false });
    return json({
      items: services.map((s) => ({
        slug: s._id,
        agencyId: s.agencyId,
        title: s.title,
        level: s.level,
        category: s.category,
        version: s.currentVersion,
      })),
    });
  });
}
