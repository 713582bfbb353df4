import type { ResultDocument, StoredPermit } from "~/core/permits/types";
import { fileExists, getFile, putFileOnce, type StoredFile } from "~/models/stored-file.server";
import { env } from "~/utils/env.server";
import { renderPdf } from "./pdf/pdf-pool.server";

/** What a permit's QR opens: the public verification page, with the signed payload in the fragment. */
export function verifyUrlOf(jws: string): string {
  return `${env().PUBLIC_URL}/verify#${jws}`;
}

export const permitFileId = (number: string) => `permit/${number}.pdf`;
export const resultFileId = (id: string) => `result/${id}.pdf`;

/** The permit's PDF is generated once and kept: what the holder downloaded is what is stored. */
export async function ensurePermitPdf(permit: StoredPermit, options: { justIssued?: boolean } = {}): Promise<void> {
  const id = permitFileId(permit.number);
  // A permit inserted a moment ago by this caller has no PDF yet: skip the look-up (putFileOnce keeps the first anyway).
  if (!options.justIssued && (await fileExists(id))) return;
  const pdf = await renderPdf({ kind: "permit", input: { permit, verifyUrl: verifyUrlOf(permit.signature.jws), keyId: permit.signature.kid } });
  await putFileOnce(id, "application/pdf", pdf);
}

/** The stored PDF; generated now for imported permits, which have none until someone asks. */
export async function permitPdf(permit: StoredPermit): Promise<StoredFile | null> {
  await ensurePermitPdf(permit);
  return getFile(permitFileId(permit.number));
}

export async function ensureResultPdf(letter: ResultDocument): Promise<void> {
  const id = resultFileId(letter.id);
  if (await fileExists(id)) return;
  const pdf = await renderPdf({ kind: "letter", input: { letter, verifyUrl: verifyUrlOf(letter.signature.jws), keyId: letter.signature.kid } });
  await putFileOnce(id, "application/pdf", pdf);
}

