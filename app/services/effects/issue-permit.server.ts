import { formatPermitNumber, permitFieldsFromCase, permitSequenceName, validUntilFor, yearBEOf } from "~/core/permits/permit-rules";
import type { PublicPermit, StoredPermit } from "~/core/permits/types";
import { todayInBangkok } from "~/core/thai/buddhist-date";
import type { Agency } from "~/models/agency.server";
import type { CaseDoc, CaseEffect } from "~/models/case.server";
import { claimedSequence, nextSequence } from "~/models/counter.server";
import { getPermit, insertPermit } from "~/models/permit.server";
import type { PublishedService } from "~/models/service.server";
import { newStoredPermit } from "../permit-signing.server";
import { ensurePermitPdf } from "../permit-documents.server";
import { crashPoint } from "./fault-injection.server";

/**
 * The issuePermit effect. Idempotent and crash-safe:
 * - the number is taken from the agency's gap-free sequence for the type and Buddhist year, with the effect
 *   id recorded as its owner, so a retry after a crash finds the same number instead of taking a new one;
 * - the permit's `_id` is its number, so it is inserted once; a retry sees it and goes on;
 * - the PDF is stored under the number, once.
 */
export async function issuePermitEffect(input: {
  record: CaseDoc;
  service: PublishedService;
  agency: Agency;
  effect: CaseEffect;
  resumed: boolean;
}): Promise<{ permitNumber: string }> {
  const { record, service, agency, effect, resumed } = input;
  const template = service.definition.manifest.permit;
  if (!template) throw new Error(`${service.id} has an issuePermit action but no permit template`);
  const issuedOn = todayInBangkok(effect.createdAt);
  const yearBE = yearBEOf(issuedOn);
  const sequence = permitSequenceName(agency._id, template.code, yearBE);
  const seq = (resumed ? await claimedSequence(sequence, effect.id) : null) ?? (await nextSequence(sequence, effect.id));
  crashPoint("permit:number-taken");
  const number = formatPermitNumber(template.numberFormat, { agency: agency.code, type: template.code, yearBE, seq });

  let stored = await getPermit(number);
  if (!stored) {
    const fields = permitFieldsFromCase(template, service.definition.form.schema, JSON.parse(record.dataJson));
    const permit: PublicPermit = {
      number,
      agencyId: agency._id,
      agencyName: agency.name,
      typeCode: template.code,
      typeName: template.type,
      ...fields,
      conditions: template.conditions ?? [],
      issuedOn,
      validFrom: issuedOn,
      validUntil: validUntilFor(issuedOn, template.validityMonths),
      status: "valid",
      displayRequired: template.displayRequired,
      source: "issued",
    };
    const fresh = await newStoredPermit(permit, { caseId: String(record._id), effectId: effect.id, serviceSlug: record.serviceSlug });
    stored = (await insertPermit(fresh)) ? fresh : await getPermit(number);
  }
  if (!stored || stored.effectId !== effect.id) {
    throw new Error(`Permit number ${number} belongs to another issue (${stored?.effectId ?? "missing"}), not ${effect.id}`);
  }
  crashPoint("permit:inserted");
  await ensurePermitPdf(stored satisfies StoredPermit);
  crashPoint("permit:pdf-stored");
  return { permitNumber: number };
}
