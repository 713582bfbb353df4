/** Reading a case through the HTTP API of a running app (test/support/app-server.ts). */
import type { Auth } from "./tus-client";

export type PendingDocument = { kind: "permit" | "letter" | "notice"; effect: string; state: "preparing" | "retrying"; failures: number; retryAfter: string | null };
export type IssuedDocument = { kind: "permit" | "letter" | "receipt"; number: string; id?: string; pdfUrl: string };
export type CaseDocumentsBody = { issued: IssuedDocument[]; pending: PendingDocument[] };

export async function readCase<T extends { documents: CaseDocumentsBody }>(baseUrl: string, id: string, auth: Auth): Promise<T> {
  const res = await fetch(`${baseUrl}/api/v1/applications/${id}`, { headers: auth });
  if (res.status !== 200) throw new Error(`GET /api/v1/applications/${id}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/**
 * The case once nothing is being prepared any more (documents are produced off the request path): polls the
 * case API until `documents.pending` is empty, failing with the last answer after `deadlineMs`.
 */
export async function settledCase<T extends { documents: CaseDocumentsBody }>(baseUrl: string, id: string, auth: Auth, deadlineMs = 30_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const body = await readCase<T>(baseUrl, id, auth);
    if (body.documents.pending.length === 0) return body;
    if (Date.now() > deadline) throw new Error(`case ${id} still has documents pending after ${deadlineMs} ms: ${JSON.stringify(body.documents.pending)}`);
    await new Promise((resolve) => setTimeout(resolve, 100)); // the poll's pace, not a stand-in for the event
  }
}
