import { readReferralRequest, receivingService, type ReferralTarget } from "~/core/cases/referral";
import { AppError } from "~/core/errors";
import type { FieldError } from "~/core/forms/form-validation";
import { getAgency } from "~/models/agency.server";
import type { CaseDoc } from "~/models/case.server";
import { listServices, type PublishedService } from "~/models/service.server";

const invalid = (fields: FieldError[]) =>
  new AppError("FORM_INVALID", { th: "ข้อมูลหน่วยงานที่จะส่งต่อเรื่องไม่ถูกต้อง", en: "The agency to refer the case to is not valid" }, { fields });

/**
 * Checks the target of a referral (s.10) the officer gave with the event: an agency on the platform that is
 * not the case's own and has a service to receive it, or the name (and address) of one that is not on the
 * platform. Returns what the referToAgency effect carries. Errors: FORM_INVALID with pointers into the event data.
 */
export async function checkReferralTarget(record: Pick<CaseDoc, "agencyId">, service: PublishedService, data: unknown): Promise<ReferralTarget> {
  const { value, errors } = readReferralRequest(data, record.agencyId);
  if (!value) throw invalid(errors);
  if (value.kind === "external") return value;
  const agency = await getAgency(value.agencyId);
  if (!agency || agency.kind === "opdc") {
    throw invalid([{ pointer: "/agencyId", message: { th: "ไม่พบหน่วยงานนี้ในระบบ", en: "There is no such agency on the platform" } }]);
  }
  const slug = receivingService(await listServices({ agencyId: agency._id, isTemplate: false }), service.definition.manifest.sourceTemplate?.id);
  if (!slug) {
    throw invalid([
      {
        pointer: "/agencyId",
        message: {
          th: `${agency.name.th} ยังไม่มีบริการที่รับเรื่องนี้ในระบบ พิมพ์ชื่อหน่วยงานเพื่อออกหนังสือแจ้งผู้ยื่นแทน`,
          en: `${agency.name.en} has no service on the platform that can receive this case; type its name to send the applicant a letter instead`,
        },
      },
    ]);
  }
  return { kind: "platform", agencyId: agency._id, agencyName: agency.name, serviceSlug: slug };
}
