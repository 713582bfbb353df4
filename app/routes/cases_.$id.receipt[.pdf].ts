import { describeOnBehalfOf } from "~/core/cases/on-behalf-of";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { isAppError } from "~/core/errors";
import { getAgency } from "~/models/agency.server";
import { getCaseView } from "~/services/get-case-view.server";
import { renderPdf } from "~/services/pdf/pdf-pool.server";
import { caseAttachments } from "~/services/uploads/case-attachments.server";
import { requireSessionActor } from "~/utils/auth.server";
import { env } from "~/utils/env.server";

/** The electronic receipt as a PDF (pdfkit with a Thai font), for the applicant and the agency's staff. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireSessionActor(request);
  let view;
  try {
    view = await getCaseView(actor, params.id ?? "");
  } catch (error) {
    if (isAppError(error) && error.code === "NOT_FOUND") throw new Response("Not found / ไม่พบ", { status: 404 });
    throw error;
  }
  const { record, service, data } = view;
  const agency = await getAgency(record.agencyId);
  // Each received file with its fingerprint, so the receipt proves exactly what was filed.
  const documents = (await caseAttachments(service.definition.form.schema, data, "th")).map((a) => ({
    name: `${a.title}: ${a.name}${a.sha256 ? ` · SHA-256 ${a.sha256.slice(0, 16)}…` : ""}`,
  }));
  const pdf = await renderPdf({ kind: "receipt", input: {
    trackingNumber: record.trackingNumber,
    trackingUrl: `${env().PUBLIC_URL}/cases/${record._id}`,
    agencyName: agency?.name ?? { th: record.agencyId, en: record.agencyId },
    serviceTitle: service.definition.manifest.title,
    applicantName: record.summary.applicantName,
    ...(record.onBehalfOf ? { onBehalfOf: describeOnBehalfOf(record.onBehalfOf) } : {}),
    receivedAt: record.receipt.receivedAt,
    countedFrom: record.receipt.countedFrom,
    dueAt: record.receipt.dueAt,
    statutoryDays: service.definition.manifest.statutoryDays,
    documents,
  } });
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="receipt-${record.trackingNumber}.pdf"`,
      "Cache-Control": "private, no-store",
    },
  });
}
