import { createHash } from "node:crypto";
import { RESULT_JWS_TYPE } from "~/core/permits/permit-signature";
import type { ResultDocument, ResultKind } from "~/core/permits/types";
import { letterNumber, letterSequenceName } from "~/core/numbering/document-numbers";
import type { Agency } from "~/models/agency.server";
import type { CaseDoc, CaseEffect } from "~/models/case.server";
import { claimedSequence, nextSequence } from "~/models/counter.server";
import { getResultDocument, insertResultDocument } from "~/models/result-document.server";
import type { PublishedService } from "~/models/service.server";
import { signDocument } from "../document-signing.server";
import { ensureResultPdf } from "../permit-documents.server";

/** The result letter's signed content: the text itself travels as a hash so the QR stays small. */
export function resultPayloadOf(letter: Omit<ResultDocument, "signature">) {
  return {
    v: 1 as const,
    kind: letter.kind,
    number: letter.number,
    agency: letter.agencyId,
    tracking: letter.trackingNumber,
    applicant: letter.applicantName,
    issued: letter.issuedAt.toISOString(),
    textSha256: createHash("sha256").update(letter.text).digest("hex"),
    ...(letter.referredTo ? { referredToSha256: createHash("sha256").update(JSON.stringify(letter.referredTo)).digest("hex") } : {}),
  };
}

/**
 * The issueResult effect: a signed letter (approval, rejection with reasons, answer to a petition; the referral
 * effect's letter naming an agency not on the platform, with `letterOf`). The
 * letter's id is the effect id, so it is written once; its number comes from the agency's letter sequence
 * with the effect as owner, so a retry after a crash reuses it.
 */
export async function issueResultEffect(input: {
  record: CaseDoc;
  service: PublishedService;
  agency: Agency;
  effect: CaseEffect;
  resumed: boolean;
}, letterOf: { kind?: ResultKind; referredTo?: ResultDocument["referredTo"] } = {}): Promise<{ letterId: string }> {
  const { record, service, agency, effect, resumed } = input;
  let letter = await getResultDocument(effect.id);
  if (!letter) {
    const kind = letterOf.kind ?? (((JSON.parse(effect.paramsJson) as { kind?: ResultKind }).kind ?? "answer") as ResultKind);
    const sequence = letterSequenceName(agency._id, effect.createdAt);
    const seq = (resumed ? await claimedSequence(sequence, effect.id) : null) ?? (await nextSequence(sequence, effect.id));
    // The transition that queued the effect was written with the same timestamp.
    const entry = record.history.find((h) => new Date(h.at).getTime() === new Date(effect.createdAt).getTime());
    const unsigned: Omit<ResultDocument, "signature"> = {
      id: effect.id,
      number: letterNumber(agency.code, effect.createdAt, seq),
      caseId: String(record._id),
      trackingNumber: record.trackingNumber,
      agencyId: agency._id,
      agencyName: agency.name,
      serviceTitle: service.definition.manifest.title,
      kind,
      applicantName: record.summary.applicantName,
      subject: record.summary.subject,
      // Empty when the officer wrote nothing: the letter's own opening already states the decision.
      text: entry?.comment?.trim() ?? "",
      issuedAt: new Date(effect.createdAt),
      ...(letterOf.referredTo ? { referredTo: letterOf.referredTo } : {}),
    };
    letter = { ...unsigned, signature: await signDocument(agency._id, resultPayloadOf(unsigned), RESULT_JWS_TYPE) };
    await insertResultDocument(letter);
    letter = (await getResultDocument(effect.id)) ?? letter;
  }
  await ensureResultPdf(letter);
  return { letterId: letter.id };
}
