/**
 * Bank statement imports: a file is received and checked whole (any malformed line rejects it, nothing applied),
 * then its lines are applied in the background of the process that received it, one by one, each exactly once
 * (applyBankLine). The page polls the job. A job whose process died stops beating; the worker takes it over
 * (a new run under its own claim) and runs it again from the first line: lines already settled report their
 * first outcome, a line left half-done is completed, so no payment is applied twice.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { AppError, notFound } from "~/core/errors";
import { UNMATCHED_REASONS } from "~/core/payments/matching";
import { checkCsvMapping, CSV_FIELDS, parseBillPaymentText, parseCsvStatement, suggestCsvMapping, type BankLine, type CsvMapping, type ParsedStatement } from "~/core/payments/statement-formats";
import type { LocalizedText } from "~/core/text";
import { claim } from "~/models/claim.server";
import {
  createStatementImport,
  getStatementImport,
  listRunningStatementImports,
  listStatementImports,
  updateStatementImport,
  type ReportRow,
  type StatementImport,
} from "~/models/statement-import.server";
import { logError } from "~/utils/log.server";
import { recordAudit } from "../audit/record-audit.server";
import { readTable } from "../permit-import/read-table.server";
import { applyBankLine, type ApplyFaults } from "./apply-bank-payment.server";
import type { FinanceActor } from "./finance-access.server";

export const MAX_STATEMENT_BYTES = 10 * 1024 * 1024;
/** A run that has not beaten for this long has lost its process. */
export const STALE_IMPORT_MS = 60_000;
const PROGRESS_EVERY_MS = 250;
const PREVIEW_ROWS = 5;

const runningHere = new Set<string>();
const newId = () => randomBytes(12).toString("base64url");
const statementDir = () => path.join(process.cwd(), ".data/statements");
const csvPath = (id: string) => path.join(statementDir(), `${id}.csv`);

/** A bank's text file is TIS-620 (Windows-874); a file that is valid UTF-8 is read as UTF-8. */
export function decodeStatement(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("windows-874").decode(bytes);
  }
}

const formatOf = (fileName: string): "text" | "csv" | null => {
  const ext = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase();
  return ext === "txt" || ext === "dat" ? "text" : ext === "csv" ? "csv" : null;
};

/**
 * Receives an uploaded statement. A text file is checked at once and, when whole, starts importing; a CSV waits
 * for its column mapping. Returns the import's id. Errors: BAD_REQUEST (not a .txt/.csv, empty, unreadable).
 */
export async function receiveStatement(actor: FinanceActor, input: { fileName: string; bytes: Uint8Array }, options: { start?: boolean } = {}): Promise<string> {
  const format = formatOf(input.fileName);
  if (!format) throw new AppError("BAD_REQUEST", { th: `"${input.fileName}" ไม่ใช่ไฟล์ .txt หรือ .csv`, en: `"${input.fileName}" is not a .txt or .csv file` });
  if (input.bytes.length === 0) throw new AppError("BAD_REQUEST", { th: "ไฟล์ว่างเปล่า", en: "The file is empty" });
  if (input.bytes.length > MAX_STATEMENT_BYTES) throw new AppError("PAYLOAD_TOO_LARGE", { th: "ไฟล์ใหญ่เกิน 10 MB", en: "The file is larger than 10 MB" });
  const id = newId();
  const base: Omit<StatementImport, "status" | "createdAt" | "updatedAt"> = {
    _id: id,
    agencyId: actor.agencyId,
    createdBy: actor.id,
    createdByName: actor.name,
    fileName: input.fileName.slice(0, 200),
    format,
    lines: [],
    lineErrors: [],
    processed: 0,
    total: 0,
    report: [],
    runs: 0,
  };
  if (format === "text") {
    await createChecked(base, parseBillPaymentText(decodeStatement(input.bytes)), actor, options.start ?? true);
    return id;
  }
  await mkdir(statementDir(), { recursive: true });
  void removeStaleCsv();
  await writeFile(csvPath(id), input.bytes);
  const table = await readTable(csvPath(id), "csv").catch(async (error: unknown) => {
    await rm(csvPath(id), { force: true });
    throw error;
  });
  const preview: { rowNumber: number; values: Record<string, string> }[] = [];
  try {
    for await (const row of table.rows) {
      preview.push(row);
      if (preview.length >= PREVIEW_ROWS) break;
    }
  } finally {
    table.close();
  }
  await createStatementImport({ ...base, status: "mapping", csv: { headers: table.headers, preview } });
  return id;
}

async function createChecked(base: Omit<StatementImport, "status" | "createdAt" | "updatedAt">, parsed: ParsedStatement, actor: FinanceActor, start: boolean): Promise<void> {
  if (!parsed.ok) {
    await createStatementImport({ ...base, status: "rejected", lineErrors: parsed.errors, finishedAt: new Date() });
    await audit(actor, actor.agencyId, base._id, { fileName: base.fileName, status: "rejected", errors: parsed.errors.length });
    return;
  }
  // Beating from the start: the worker leaves a queued job alone while the process that queued it lives.
  await createStatementImport({ ...base, status: "queued", lines: parsed.lines, total: parsed.lines.length, heartbeatAt: new Date() });
  if (start) startRun(base._id);
}

/** The mapping step's form: `field.<name>` = column. Checks the mapping, reads every row, then as a text file. */
export async function mapCsvStatement(actor: FinanceActor, id: string, mapping: CsvMapping, options: { start?: boolean } = {}): Promise<void> {
  const job = await ownImport(actor, id);
  if (job.status !== "mapping" || !job.csv) throw new AppError("CONFLICT", { th: "การนำเข้านี้จับคู่คอลัมน์แล้ว", en: "This import's columns are already mapped" });
  const problems = checkCsvMapping(job.csv.headers, mapping);
  if (problems.length > 0) throw new AppError("FORM_INVALID", { th: "การจับคู่คอลัมน์ยังไม่ครบ", en: "The column mapping is incomplete" }, { fields: problems.map((message) => ({ pointer: "/mapping", message })) });
  const rows: { rowNumber: number; values: Record<string, string> }[] = [];
  const table = await readTable(csvPath(id), "csv");
  for await (const row of table.rows) rows.push(row);
  const parsed = parseCsvStatement(rows, mapping);
  await rm(csvPath(id), { force: true });
  if (!parsed.ok) {
    await updateStatementImport(id, { status: "rejected", lineErrors: parsed.errors, finishedAt: new Date() });
    await audit(actor, actor.agencyId, id, { fileName: job.fileName, status: "rejected", errors: parsed.errors.length });
    return;
  }
  await updateStatementImport(id, { status: "queued", lines: parsed.lines, total: parsed.lines.length, heartbeatAt: new Date() });
  if (options.start ?? true) startRun(id);
}

export function mappingFromForm(form: FormData): CsvMapping {
  const mapping: CsvMapping = {};
  for (const field of CSV_FIELDS) {
    const value = form.get(`field.${field}`);
    if (typeof value === "string" && value) mapping[field] = value;
  }
  return mapping;
}

/** CSV files whose mapping nobody finished are removed after a day (housekeeping; a failure is ignored). */
async function removeStaleCsv(now = Date.now()): Promise<void> {
  try {
    for (const name of await readdir(statementDir())) {
      const full = path.join(statementDir(), name);
      if (name.endsWith(".csv") && now - (await stat(full)).mtimeMs > 24 * 3_600_000) await rm(full, { force: true });
    }
  } catch {
    // Housekeeping only.
  }
}

function startRun(id: string): void {
  runningHere.add(id);
  setImmediate(() => {
    void runStatementImport(id).catch((error: unknown) => logError(`statement import ${id} failed`, error));
  });
}

export type RunFaults = { afterLines?: number; apply?: ApplyFaults };
/** Thrown by a fault injected in a test: the run stops as a killed process would, leaving the job "running". */
export class SimulatedCrash extends Error {}

/**
 * Runs (or, with `takeOver`, resumes) an import. Exactly one run holds each generation's claim; a takeover
 * claims the next generation, so two workers never run the same job at once.
 */
export async function runStatementImport(id: string, options: { takeOver?: boolean; faults?: RunFaults; now?: () => Date } = {}): Promise<void> {
  const clock = options.now ?? (() => new Date());
  const job = await getStatementImport(id);
  if (!job || (job.status !== "queued" && job.status !== "running")) return;
  const run = options.takeOver ? job.runs + 1 : job.runs;
  if (!(await claim(`statement-import:${id}:run${run}`))) return;
  runningHere.add(id);
  try {
    await updateStatementImport(id, { status: "running", runs: run, heartbeatAt: clock(), ...(job.startedAt ? {} : { startedAt: clock() }) });
    const report: ReportRow[] = [];
    let last = 0;
    for (const [index, line] of job.lines.entries()) {
      if (options.faults?.afterLines !== undefined && index >= options.faults.afterLines) throw new SimulatedCrash(`crash injected after ${index} lines`);
      const bankLine: BankLine = { ...line, paidAt: new Date(line.paidAt) };
      const result = await applyBankLine({ agencyId: job.agencyId, source: "statement", line: bankLine, importId: id, now: clock(), faults: options.faults?.apply });
      report.push({
        lineNumber: line.lineNumber,
        ref1: line.ref1,
        amountSatang: line.amountSatang,
        paidAt: bankLine.paidAt,
        outcome: result.outcome,
        ...(result.reason ? { reason: result.reason } : {}),
        ...(result.paymentReference ? { paymentReference: result.paymentReference } : {}),
        ...(result.caseId ? { caseId: result.caseId } : {}),
        ...(result.trackingNumber ? { trackingNumber: result.trackingNumber } : {}),
        ...(result.duplicateOf ? { duplicateOf: { source: result.duplicateOf.source, ...(result.duplicateOf.importId ? { importId: result.duplicateOf.importId, lineNumber: result.duplicateOf.lineNumber } : {}) } } : {}),
      });
      // The page polls a few times a second; more writes would only slow the import.
      if (Date.now() - last >= PROGRESS_EVERY_MS) {
        last = Date.now();
        await updateStatementImport(id, { processed: index + 1, heartbeatAt: clock(), report });
      }
    }
    const summary = { applied: 0, unmatched: 0, duplicate: 0 };
    for (const row of report) summary[row.outcome] += 1;
    await updateStatementImport(id, { status: "done", processed: job.lines.length, report, summary, heartbeatAt: clock(), finishedAt: clock() });
    await audit({ id: job.createdBy, name: job.createdByName }, job.agencyId, id, { fileName: job.fileName, status: "done", run, ...summary });
  } catch (error) {
    if (error instanceof SimulatedCrash) throw error;
    logError(`statement import ${id} failed`, error);
    const fatal: LocalizedText = {
      th: "การนำเข้าหยุดเพราะเกิดข้อผิดพลาดในระบบ รายการที่บันทึกแล้วยังอยู่ครบ ระบบจะทำต่อให้เอง",
      en: "The import stopped on a system error. Lines already applied stand; the worker will complete it",
    };
    // Left "running" with its heartbeat stopping: the worker's sweep takes it over.
    await updateStatementImport(id, { fatal }).catch(() => undefined);
  } finally {
    runningHere.delete(id);
  }
}

/** The worker's sweep: takes over every import whose run stopped beating. */
export async function resumeStalledStatementImports(now = new Date(), staleAfterMs = STALE_IMPORT_MS): Promise<number> {
  let resumed = 0;
  for (const job of await listRunningStatementImports()) {
    const beat = job.heartbeatAt ? new Date(job.heartbeatAt).getTime() : 0;
    if (runningHere.has(job._id) || now.getTime() - beat < staleAfterMs) continue;
    await runStatementImport(job._id, { takeOver: true });
    resumed += 1;
  }
  return resumed;
}

async function audit(actor: { id: string; name: string }, agencyId: string, id: string, details: Record<string, unknown>): Promise<void> {
  await recordAudit({ kind: "staff", id: actor.id, name: actor.name }, { action: "payment.import", agencyId, target: { type: "statement-import", id }, details });
}

async function ownImport(actor: { agencyId: string }, id: string): Promise<StatementImport> {
  const job = /^[A-Za-z0-9_-]{8,40}$/.test(id) ? await getStatementImport(id) : null;
  if (!job || job.agencyId !== actor.agencyId) throw notFound({ th: "การนำเข้ารายการเดินบัญชี", en: "Statement import" });
  return job;
}

export type ImportReportRowView = Omit<ReportRow, "paidAt"> & { paidAt: string; reasonText: LocalizedText | null };
export type StatementImportView = {
  id: string;
  fileName: string;
  format: "text" | "csv";
  status: StatementImport["status"];
  interrupted: boolean;
  processed: number;
  total: number;
  percent: number;
  lineErrors: StatementImport["lineErrors"];
  report: ImportReportRowView[];
  summary: StatementImport["summary"] | null;
  csv: StatementImport["csv"] | null;
  suggested: CsvMapping;
  createdAt: string;
  createdByName: string;
};

export async function getStatementImportView(actor: { agencyId: string }, id: string, now = new Date()): Promise<StatementImportView> {
  const job = await ownImport(actor, id);
  const active = job.status === "queued" || job.status === "running";
  const beat = job.heartbeatAt ? new Date(job.heartbeatAt).getTime() : new Date(job.updatedAt).getTime();
  return {
    id: job._id,
    fileName: job.fileName,
    format: job.format,
    status: job.status,
    interrupted: active && !runningHere.has(job._id) && now.getTime() - beat > STALE_IMPORT_MS,
    processed: job.processed,
    total: job.total,
    percent: job.status === "done" ? 100 : job.total > 0 ? Math.min(100, Math.floor((job.processed * 100) / job.total)) : 0,
    lineErrors: job.lineErrors ?? [],
    report: (job.report ?? []).map((r) => ({ ...r, paidAt: new Date(r.paidAt).toISOString(), reasonText: r.reason ? UNMATCHED_REASONS[r.reason] : null })),
    summary: job.summary ?? null,
    csv: job.csv ?? null,
    suggested: job.csv ? suggestCsvMapping(job.csv.headers) : {},
    createdAt: new Date(job.createdAt).toISOString(),
    createdByName: job.createdByName,
  };
}

export async function listStatementImportViews(actor: { agencyId: string }) {
  return (await listStatementImports(actor.agencyId)).map((j) => ({
    id: j._id,
    fileName: j.fileName,
    status: j.status,
    total: j.total,
    summary: j.summary ?? null,
    createdAt: new Date(j.createdAt).toISOString(),
    createdByName: j.createdByName,
  }));
}
