import { getAt } from "~/core/json-pointer";
import { carryOverForRenewal, formatPermitNumber, permitFieldsFromCase, permitSequenceName, validUntilFor, yearBEOf } from "~/core/permits/permit-rules";
import type { PublicPermit, StoredPermit } from "~/core/permits/types";
import { todayInBangkok } from "~/core/thai/buddhist-date";
import type { Agency } from "~/models/agency.server";
import type { CaseDoc, CaseEffect } from "~/models/case.server";
import { claimSequenceNumber, claimedSequence, nextSequence } from "~/models/counter.server";
import { changePermitStatus, getPermit, insertPermit } from "~/models/permit.server";
import type { PublishedService } from "~/models/service.server";
import { newStoredPermit } from "../permit-signing.server";
import { ensurePermitPdf } from "../permit-documents.server";
import { crashPoint } from "./fault-injection.server";
import { publishPermitIssued } from "../webhooks/publish-event.server";

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
  // The number's shared hint is raised with the change log's, in the one update insertPermit sends before the
  // permit is written (decision 037); a resumed run raises it again there, which changes nothing if it was.
  let seq = (resumed ? await claimedSequence(sequence, effect.id) : null) ?? (await claimSequenceNumber(sequence, effect.id));
  crashPoint("permit:number-taken");
  let number = formatPermitNumber(template.numberFormat, { agency: agency.code, type: template.code, yearBE, seq });
  // A resumed run may have stored its permit already: look first. A first run inserts straight away (the
  // number is new to it), and reads only when the insert finds the number taken.
  let stored = resumed ? await getPermit(number) : null;
  let justIssued = false;
  let content: Omit<PublicPermit, "number"> | null = null;
  for (;;) {
    if (!stored) {
      content ??= await permitContent(record, service, agency, issuedOn);
      const fresh = await newStoredPermit({ number, ...content }, { caseId: String(record._id), effectId: effect.id, serviceSlug: record.serviceSlug });
      justIssued = await insertPermit(fresh, [{ name: sequence, value: seq }]);
      stored = justIssued ? fresh : await getPermit(number);
    }
    // A number already held by another permit (a paper-era permit imported with it) is skipped, not reused.
    if (!stored || stored.effectId === effect.id) break;
    seq = await nextSequence(sequence, effect.id);
    number = formatPermitNumber(template.numberFormat, { agency: agency.code, type: template.code, yearBE, seq });
    stored = null;
  }
  if (!stored || stored.effectId !== effect.id) {
    throw new Error(`Permit ${number} was taken by another permit while ${effect.id} was issuing it; the retry takes the next number`);
  }
  crashPoint("permit:inserted");
  // Written where the permit is: a re-run of this effect finds the same deliveries (ids from the number).
  await publishPermitIssued(stored, effect.createdAt);
  if (stored.renews) await markRenewed(stored.renews, stored.number, effect.createdAt);
  await ensurePermitPdf(stored satisfies StoredPermit, { justIssued });
  crashPoint("permit:pdf-stored");
  return { permitNumber: number };
}

/** What the permit says, all but its number (the same for every number tried). */
async function permitContent(record: CaseDoc, service: PublishedService, agency: Agency, issuedOn: string): Promise<Omit<PublicPermit, "number">> {
  const template = service.definition.manifest.permit!;
  const data: unknown = JSON.parse(record.dataJson);
  let fields = permitFieldsFromCase(template, service.definition.form.schema, data);
  const previous = template.renewalOf ? await getPermit(String(getAt(data, template.renewalOf) ?? "")) : null;
  if (previous) fields = carryOverForRenewal(fields, previous);
  // Filed for a company: the company holds the permit, marked as the applicant's declaration.
  const company = record.onBehalfOf;
  if (company) fields = { ...fields, holderName: company.name };
  return {
    agencyId: agency._id,
    agencyName: agency.name,
    typeCode: template.code,
    typeName: template.type,
    ...fields,
    ...(company ? { holderEntity: { kind: "juristic" as const, juristicId: company.juristicId, declared: true as const } } : {}),
    conditions: template.conditions ?? [],
    issuedOn,
    validFrom: issuedOn,
    validUntil: validUntilFor(issuedOn, template.validityMonths),
    status: "valid",
    displayRequired: template.displayRequired,
    source: "issued",
    ...(previous ? { renews: previous.number } : {}),
  };
}

/** The renewed permit is superseded by the new one; repeated runs leave it as the first run did. */
async function markRenewed(previousNumber: string, renewedBy: string, at: Date): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const previous = await getPermit(previousNumber);
    if (!previous || previous.status !== "valid" || previous.renewedBy) return;
    const reason = `ต่ออายุแล้ว ใบอนุญาตฉบับใหม่เลขที่ ${renewedBy} / Renewed by permit ${renewedBy}`;
    if (await changePermitStatus(previousNumber, previous.rev, { to: "renewed", reason, by: "system", at, renewedBy }, previous.status)) return;
  }
  throw new Error(`Could not mark ${previousNumber} as renewed by ${renewedBy}`);
}
