import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { Piscina } from "piscina";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";

import { getCase } from "~/models/case.server";
import { getPermit } from "~/models/permit.server";
import { getFile } from "~/models/stored-file.server";
import { caseDocuments } from "~/services/case-documents.server";
import { settleCaseEffects } from "~/services/effects/effect-runner.server";
import { runCaseEffects } from "~/services/effects/run-effects.server";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { closePdfPool, pdfWorkerFile, renderPdf } from "~/services/pdf/pdf-pool.server";
import { PDF_THREAD_NICE } from "~/services/pdf/render-task.server";
import { permitFileId, verifyUrlOf } from "~/services/permit-documents.server";
import { renderPermitPdf } from "~/services/permit-pdf.server";
import { verifyPermitNumber } from "~/services/verify-permit.server";
import { env } from "~/utils/env.server";
import { withTestDatabase } from "../support/db";
import { caseAwaitingFee, officer } from "../support/journeys";
import { samplePermitPdfInput } from "../support/pdf-samples";

withTestDatabase();

const ROOT = path.resolve(import.meta.dirname, "../..");

/** The next render starts a fresh pool whose threads copy the environment as it is now. */
async function withPdfFault<T>(fault: "throw" | "exit" | undefined, run: () => Promise<T>): Promise<T> {
  await closePdfPool();
  if (fault) process.env.BORIKAN_PDF_FAULT = fault;
  else delete process.env.BORIKAN_PDF_FAULT;
  try {
    return await run();
  } finally {
    delete process.env.BORIKAN_PDF_FAULT;
    await closePdfPool();
  }
}

afterEach(() => {
  delete process.env.BORIKAN_PDF_FAULT;
});
afterAll(() => closePdfPool());

describe("rendering PDFs in worker threads", () => {
  it("renders a permit in a worker thread to the same bytes as in the calling thread", async () => {
    expect(env().PDF_WORKERS).toBeGreaterThanOrEqual(1); // the default: the pool is on
    const input = samplePermitPdfInput({ businessName: "ร้านก๋วยเตี๋ยวเรือป้าน้อย สาขาท่าน้ำนนท์" });
    const inThread = await renderPermitPdf(input);
    const [a, b] = await Promise.all([renderPdf({ kind: "permit", input }), renderPdf({ kind: "permit", input })]);
    expect(a.subarray(0, 5).toString()).toBe("%PDF-");
    expect(a.equals(inThread)).toBe(true);
    expect(b.equals(inThread)).toBe(true);
  });

  it.runIf(process.platform === "linux")("runs the threads at a lower CPU priority than the thread serving requests", async () => {
    await renderPdf({ kind: "permit", input: samplePermitPdfInput() });
    // nice value of each thread of this process (/proc/<pid>/task/<tid>/stat, field 19)
    const niceOf = (tid: string) => {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
    };
    const nices = readdirSync("/proc/self/task").map(niceOf);
    expect(nices).toContain(Math.min(19, os.getPriority() + PDF_THREAD_NICE));
    expect(os.getPriority()).toBeLessThan(Math.min(19, os.getPriority() + PDF_THREAD_NICE)); // this thread is not lowered
  });

  it("the server build's worker (bundled by scripts/build-pdf-worker.mjs) renders the same bytes", async () => {
    // inside the repository, so that the bundle's packages resolve from node_modules as build/'s do
    const dir = path.join(ROOT, ".test-data", `pdf-worker-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const bundle = path.join(dir, "pdf-worker.mjs");
    try {
      execFileSync(process.execPath, ["scripts/build-pdf-worker.mjs", bundle], { cwd: ROOT, stdio: "pipe" });
      // build/index.js finds the worker beside itself
      expect(pdfWorkerFile(pathToFileURL(path.join(dir, "index.js")).href)).toBe(bundle);
      const pool = new Piscina({ filename: bundle, maxThreads: 1 });
      try {
        const input = samplePermitPdfInput();
        const bytes = Buffer.from((await pool.run({ kind: "permit", input })) as Uint8Array);
        expect(bytes.equals(await renderPermitPdf(input))).toBe(true);
      } finally {
        await pool.destroy();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a render that throws in the worker rejects the caller, and the pool goes on rendering", async () => {
    const input = samplePermitPdfInput();
    await withPdfFault("throw", async () => {
      await expect(renderPdf({ kind: "permit", input })).rejects.toThrow(/PDF fault injected while rendering a permit/);
    });
    // a malformed date is refused inside the worker too: an official document must not print a wrong day
    await expect(renderPdf({ kind: "permit", input: { ...input, permit: { ...input.permit, issuedOn: "15/01/2569" } } })).rejects.toThrow(
      /Not an ISO calendar date/,
    );
    expect((await renderPdf({ kind: "permit", input })).equals(await renderPermitPdf(input))).toBe(true);
  });

  it("a worker thread that dies rejects the caller, not the process", async () => {
    await withPdfFault("exit", async () => {
      await expect(renderPdf({ kind: "permit", input: samplePermitPdfInput() })).rejects.toThrow();
    });
    expect((await renderPdf({ kind: "permit", input: samplePermitPdfInput() })).subarray(0, 5).toString()).toBe("%PDF-");
  });
});

describe("issuing a permit through the worker threads", () => {
  it("a worker that dies while rendering the fee's receipt is a failed effect; the retry issues the receipt and the permit, whose PDF verifies", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const id = await caseAwaitingFee(701); // the approval letter is made through the pool, unharmed
      const staff = await officer();
      const outcome = await withPdfFault("exit", async () => {
        await fireCaseEvent(staff, id, { type: "FEE_PAID" });
        return settleCaseEffects(id);
      });
      const record = (await getCase(id))!;
      // FEE_PAID's first document is the electronic receipt (recordPayment), then the permit
      const receiptEffect = record.effects.find((e) => e.type === "recordPayment")!;
      const permitEffect = record.effects.find((e) => e.type === "issuePermit")!;
      expect(outcome?.failed).toBe(receiptEffect.id);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining(`effect recordPayment ${receiptEffect.id}`), expect.anything());
      // the case page says the receipt is being retried (and the permit and the notice after it wait)
      const { pending } = await caseDocuments(record);
      expect(pending).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ kind: "receipt", effect: "recordPayment", state: "retrying", failures: 1 }),
          expect.objectContaining({ kind: "permit", effect: "issuePermit", state: "retrying" }),
        ]),
      );

      // the sweep's retry (the lease taken over at once here) renders them in a fresh thread
      const retry = await runCaseEffects(id, { staleAfterMs: 0 });
      expect(retry.failed).toBeUndefined();
      expect(retry.ran).toEqual(expect.arrayContaining([receiptEffect.id, permitEffect.id]));
      const issued = (await caseDocuments((await getCase(id))!)).issued.find((d) => d.kind === "permit");
      if (issued?.kind !== "permit") throw new Error("no permit issued");

      // the stored PDF is byte for byte what the calling thread renders for the stored permit, and it verifies
      const permit = (await getPermit(issued.number))!;
      const stored = (await getFile(permitFileId(issued.number)))!;
      const inThread = await renderPermitPdf({ permit, verifyUrl: verifyUrlOf(permit.signature.jws), keyId: permit.signature.kid });
      expect(stored.data.equals(inThread)).toBe(true);
      const verification = await verifyPermitNumber(issued.number);
      expect(verification?.signature.valid).toBe(true);
    } finally {
      warn.mockRestore();
    }
  });
});
