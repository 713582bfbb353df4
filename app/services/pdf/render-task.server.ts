/**
 * One PDF to render, as a plain structured-cloneable value: what the worker-thread pool
 * (pdf-pool.server.ts) sends to a worker, and what `renderPdfTask` turns into bytes there (or in the
 * calling thread when the pool is switched off). Rendering needs no database, no env and no clock:
 * everything printed is in the input, so a worker renders exactly what the calling thread would.
 */
import os from "node:os";
import { isWorkerThread } from "piscina";
import { pdfFault } from "../effects/fault-injection.server";
import { renderPermitPdf, type PermitPdfInput } from "../permit-pdf.server";
import { renderPaymentReceiptPdf, type PaymentReceiptPdfInput } from "../receipt-payment-pdf.server";
import { renderReceiptPdf, type ReceiptPdfInput } from "../receipt-pdf.server";
import { renderResultLetterPdf, type ResultLetterPdfInput } from "../result-letter-pdf.server";
import { renderPayInSlipPdf, type PayInSlipPdfInput } from "../payments/pay-in-slip-pdf.server";

export type PdfTask =
  | { kind: "permit"; input: PermitPdfInput }
  | { kind: "letter"; input: ResultLetterPdfInput }
  | { kind: "receipt"; input: ReceiptPdfInput }
  | { kind: "payInSlip"; input: PayInSlipPdfInput }
  | { kind: "paymentReceipt"; input: PaymentReceiptPdfInput };

/**
 * How much lower than the process the PDF threads run (nice value, added): documents are made off the request
 * path, so when both cores are busy the kernel runs requests first and the letters wait (issue 12). On Linux
 * the nice value is per thread and `os.setPriority(n)` sets the calling thread's; elsewhere it would lower the
 * whole process, so it is done on Linux only. Lowering is always allowed (raising it back is not).
 */
export const PDF_THREAD_NICE = 10;
if (isWorkerThread && process.platform === "linux") {
  try {
    os.setPriority(Math.min(19, os.getPriority() + PDF_THREAD_NICE));
  } catch (error) {
    console.warn("could not lower the PDF thread's priority:", error);
  }
}

export function renderPdfTask(task: PdfTask): Promise<Buffer> {
  switch (task.kind) {
    case "permit":
      return renderPermitPdf(task.input);
    case "letter":
      return renderResultLetterPdf(task.input);
    case "receipt":
      return renderReceiptPdf(task.input);
    case "payInSlip":
      return renderPayInSlipPdf(task.input);
    case "paymentReceipt":
      return renderPaymentReceiptPdf(task.input);
  }
}

/** What a worker thread runs (piscina calls the module's default export with each task). */
export default async function renderInWorker(task: PdfTask): Promise<Uint8Array> {
  pdfFault(task.kind);
  return renderPdfTask(task);
}
