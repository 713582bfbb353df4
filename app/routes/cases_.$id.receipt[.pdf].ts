import type { LoaderFunctionArgs } from "@remix-run/node";
import { isAppError } from "~/core/errors";
import { getAgency } from "~/models/agency.server";
import { getCaseView } from "~/services/get-case-view.server";
import { renderReceiptPdf } from "~/services/receipt-pdf.server";
import { describeDataUrl, listFormFields } from "~/core/forms/form-fields";
import { getAt } from "~/core/json-pointer";
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
  const documents = listFormFields(service.definition.form.schema, "th")
    .filter((f) => f.kind === "attachment")
    .map((f) => ({ field: f, file: describeDataUrl(getAt(data, f.pointer)) }))
    .filter((x) => x.file)
    .map((x) => ({ name: `${x.field.title}: ${x.file!.name}` }));
  const pdf = await renderReceiptPdf({
    trackingNumber: record.trackingNumber,
    trackingUrl: `${env().PUBLIC_URL}/cases/${record._id}`,
    agencyName: agency?.name ?? { th: record.agencyId, en: record.agencyId },
    serviceTitle: service.definition.manifest.title,
    applicantName: record.summary.applicantName,
    receivedAt: record.receipt.receivedAt,
    countedFrom: record.receipt.countedFrom,
    dueAt: record.receipt.dueAt,
    statutoryDays: service.definition.manifest.statutoryDays,
    documents,
  });
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="receipt-${record.trackingNumber}.pdf"`,
      "Cache-Control": "private, no-store",
    },
  });
}
