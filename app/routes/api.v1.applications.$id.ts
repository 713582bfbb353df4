/**
 * GET /api/v1/applications/:id → { id, trackingNumber, service: { slug, version }, state, status, rev, receipt,
 * sla, history, missingItems, data, events: [{ type, label, commentRequired }], documents: { issued, pending } }
 * `events` are exactly those the caller's roles may send now. A case the caller may not see is a 404.
 * `documents.issued` are permits and signed letters; `documents.pending` what is still being produced off the
 * request path (`{ kind: permit|letter|notice, effect, title, queuedAt, state: preparing|retrying, failures,
 * retryAfter }`): poll until it is empty.
 */
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { caseDocuments } from "~/services/case-documents.server";
import { getCaseView } from "~/services/get-case-view.server";
import { requireApiActor } from "~/utils/auth.server";
import { apiHandler } from "~/utils/http.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return apiHandler(async () => {
    const actor = await requireApiActor(request);
    const { record, service, data, events } = await getCaseView(actor, params.id ?? "");
    return json(
      {
        id: String(record._id),
        trackingNumber: record.trackingNumber,
        service: { slug: record.serviceSlug, version: service.version },
        state: record.stateValue,
        status: record.status,
        rev: record.rev,
        receipt: record.receipt,
        sla: record.sla,
        history: record.history,
        missingItems: record.missingItems ?? null,
        data,
        events: events.map((e) => ({ type: e.type, label: e.label, commentRequired: e.commentRequired })),
        // s.11: the result and any permit, electronically, as soon as they are issued.
        documents: await caseDocuments(record),
      },
      // Personal data (PDPA): never kept by shared caches.
      { headers: { "Cache-Control": "no-store" } },
    );
  });
}
