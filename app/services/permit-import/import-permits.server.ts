/**
 * Imports a paper-era permit register into the permit store. Every row is checked on its own; a good row is
 * signed and stored whole (one document per permit, so there is nothing half-imported), a bad row is reported
 * with its reasons and stored not at all. Running the same file again stores nothing new.
 */
import { AppError, notFound } from "~/core/errors";
import {
  importedContentKey,
  sequenceOfNumber,
  suggestMapping,
  TARGET_LABELS,
  validateMapping,
  validateRow,
  type ColumnMapping,
  type ImportContext,
  type TargetField,
} from "~/core/permits/permit-import";
import { permitSequenceName } from "~/core/permits/permit-rules";
import type { PublicPermit, StoredPermit } from "~/core/permits/types";
import type { LocalizedText } from "~/core/text";
import { loadThaiAddressBook } from "~/core/thai/address";
import { todayInBangkok } from "~/core/thai/buddhist-date";
import { getAgency } from "~/models/agency.server";
import { raiseSequenceHint } from "~/models/counter.server";
import { forEachPermit, upsertImportedPermits } from "~/models/permit.server";
import { newStoredPermit } from "../permit-signing.server";
import { agencyPermitTypes, type AgencyPermitType } from "./permit-types.server";
import { readTable, type TableKind } from "./read-table.server";

export const IMPORT_BATCH_SIZE = 500;
const SIGN_CONCURRENCY = 50;

export type ImportRowError = { row: number; number?: string; column: string; message: LocalizedText };
export type ImportProgress = { processed: number; total: number };
export type ImportReport = {
  total: number;
  imported: number;
  updated: number;
  unchanged: number;
  failed: number;
  /** Sorted by row; at most `maxErrors` entries (`errorsTruncated` says when more were left out). */
  errors: ImportRowError[];
  errorsTruncated: boolean;
  dryRun: boolean;
};

export type ImportInput = {
  agencyId: string;
  filePath: string;
  kind: TableKind;
  /** Header → field; default: suggestMapping of the file's headers. */
  mapping?: ColumnMapping;
  /** Permit type of rows that do not name one. */
  defaultTypeCode?: string;
  onProgress?: (progress: ImportProgress) => void | Promise<void>;
  /** Check everything and count what would change, write nothing. */
  dryRun?: boolean;
  maxErrors?: number;
};

/**
 * The mapping, checked against the file and the agency: every column it names exists, each required field
 * has one column, the default type is one of the agency's. Throws BAD_REQUEST listing every problem.
 */
export function checkMapping(
  headers: string[],
  mapping: ColumnMapping,
  options: { defaultTypeCode?: string; permitTypes: Record<string, AgencyPermitType> },
): ColumnMapping {
  const problems: LocalizedText[] = [];
  const missing = Object.entries(mapping).filter(([header, field]) => field && !headers.includes(header));
  for (const [header, field] of missing) {
    problems.push({
      th: `ไม่มีคอลัมน์ "${header}" ในไฟล์ (เลือกไว้สำหรับ "${TARGET_LABELS[field as TargetField].th}")`,
      en: `The file has no column "${header}" (chosen for "${TARGET_LABELS[field as TargetField].en}")`,
    });
  }
  const inFile: ColumnMapping = Object.fromEntries(headers.map((h) => [h, mapping[h] ?? null]));
  for (const e of validateMapping(inFile, { defaultTypeCode: options.defaultTypeCode })) problems.push(e.message);
  const codes = Object.keys(options.permitTypes);
  if (codes.length === 0) {
    problems.push({ th: "หน่วยงานยังไม่มีบริการที่ออกใบอนุญาต จึงนำเข้าใบอนุญาตไม่ได้", en: "The agency has no service that issues permits, so no permit can be imported" });
  } else if (options.defaultTypeCode && !options.permitTypes[options.defaultTypeCode]) {
    problems.push({
      th: `ไม่มีประเภทใบอนุญาต "${options.defaultTypeCode}" (มี ${codes.join(", ")})`,
      en: `There is no permit type "${options.defaultTypeCode}" (the agency has ${codes.join(", ")})`,
    });
  }
  if (problems.length > 0) {
    throw new AppError(
      "BAD_REQUEST",
      {
        th: `คอลัมน์ของไฟล์ไม่ตรงกับที่ต้องใช้: ${problems.map((p) => p.th).join("; ")} (คอลัมน์ในไฟล์: ${headers.join(", ") || "—"})`,
        en: `The file's columns do not fit: ${problems.map((p) => p.en).join("; ")} (columns in the file: ${headers.join(", ") || "—"})`,
      },
      { problems, headers },
    );
  }
  return inFile;
}

const anotherAgency = (number: string): LocalizedText => ({
  th: `เลขที่ใบอนุญาต ${number} เป็นของหน่วยงานอื่นในทะเบียนแล้ว`,
  en: `Permit number ${number} already belongs to another agency in the registry`,
});
const takenMeanwhile = (number: string): LocalizedText => ({
  th: `เลขที่ใบอนุญาต ${number} ถูกใช้กับใบอนุญาตที่ออกในระบบหรือของหน่วยงานอื่นระหว่างการนำเข้า`,
  en: `Permit number ${number} was taken by a permit issued in Borikan or by another agency during the import`,
});
const issuedInBorikan = (number: string): LocalizedText => ({
  th: `เลขที่ใบอนุญาต ${number} ออกผ่านระบบ Borikan แล้ว นำเข้าทับไม่ได้`,
  en: `Permit number ${number} was issued in Borikan and cannot be replaced by an import`,
});

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += limit) out.push(...(await Promise.all(items.slice(i, i + limit).map(fn))));
  return out;
}

export async function importPermits(input: ImportInput): Promise<ImportReport> {
  const maxErrors = input.maxErrors ?? 100_000;
  const agency = await getAgency(input.agencyId);
  if (!agency) throw notFound({ th: `หน่วยงาน ${input.agencyId}`, en: `Agency ${input.agencyId}` });
  const permitTypes = await agencyPermitTypes(agency._id);

  const table = await readTable(input.filePath, input.kind);
  let mapping: ColumnMapping;
  try {
    mapping = checkMapping(table.headers, input.mapping ?? suggestMapping(table.headers), { defaultTypeCode: input.defaultTypeCode, permitTypes });
  } catch (error) {
    table.close();
    throw error;
  }
  const numberColumn = Object.entries(mapping).find(([, f]) => f === "number")?.[0] ?? "number";

  let survey: Survey;
  let existing: Map<string, StoredPermit>;
  try {
    survey = await surveyFile(input, numberColumn);
    existing = await storedPermitsAmong(survey.numbers);
  } catch (error) {
    table.close();
    throw error;
  }
  const context: ImportContext = {
    agency,
    permitTypes,
    defaultTypeCode: input.defaultTypeCode,
    addressBook: await loadThaiAddressBook(),
    today: todayInBangkok(),
    seenNumbers: new Map(),
  };

  const report: ImportReport = { total: survey.total, imported: 0, updated: 0, unchanged: 0, failed: 0, errors: [], errorsTruncated: false, dryRun: Boolean(input.dryRun) };
  let processed = 0;
  const progress = async () => {
    report.total = Math.max(report.total, processed);
    await input.onProgress?.({ processed, total: report.total });
  };
  const rowFailed = (row: number, number: string | undefined, errors: { column: string; message: LocalizedText }[]) => {
    report.failed += 1;
    processed += 1;
    for (const e of errors) {
      if (report.errors.length >= maxErrors) {
        report.errorsTruncated = true;
        break;
      }
      report.errors.push({ row, ...(number ? { number } : {}), column: e.column, message: e.message });
    }
  };

  /** A valid row checked against the store: what to write, or null when it needs no write or may not have one. */
  const needsWrite = (row: number, permit: PublicPermit): PublicPermit | null => {
    const stored = existing.get(permit.number);
    if (!stored) return permit;
    if (stored.agencyId !== agency._id) {
      rowFailed(row, permit.number, [{ column: numberColumn, message: anotherAgency(permit.number) }]);
      return null;
    }
    if (stored.source !== "import") {
      rowFailed(row, permit.number, [{ column: numberColumn, message: issuedInBorikan(permit.number) }]);
      return null;
    }
    let incoming = permit;
    if (stored.statusChangedAt) {
      // An officer changed the status in Borikan after the first import: that outranks the paper register.
      const { status, statusReason, statusChangedAt, renewedBy } = stored;
      const { statusReason: _fromFile, ...rest } = permit;
      incoming = { ...rest, status, ...(statusReason ? { statusReason } : {}), statusChangedAt, ...(renewedBy ? { renewedBy } : {}) };
    }
    if (importedContentKey(stored) === importedContentKey(incoming)) {
      report.unchanged += 1;
      processed += 1;
      return null;
    }
    return incoming;
  };

  const rowOf = new Map<string, number>();
  const flush = async (batch: PublicPermit[]) => {
    if (batch.length === 0) return;
    processed += batch.length;
    if (input.dryRun) {
      for (const p of batch) {
        if (existing.has(p.number)) report.updated += 1;
        else report.imported += 1;
      }
    } else {
      // Before the write: Borikan's next number of the type and year comes after these, not among them.
      await raiseSequences(agency, permitTypes, batch);
      const now = new Date();
      const signed: StoredPermit[] = await mapLimit(batch, SIGN_CONCURRENCY, (p) => newStoredPermit(p, {}, now));
      const result = await upsertImportedPermits(signed, (a, b) => importedContentKey(a) === importedContentKey(b));
      report.imported += result.inserted.length;
      report.updated += result.updated.length;
      report.unchanged += result.unchanged.length;
      // The store refuses numbers that an issued or another agency's permit took after our look at it.
      for (const number of result.conflicts) {
        processed -= 1;
        rowFailed(rowOf.get(number) ?? 0, number, [{ column: numberColumn, message: takenMeanwhile(number) }]);
      }
    }
    rowOf.clear();
  };

  let batch: PublicPermit[] = [];
  await progress();
  let lastReported = 0;
  for await (const { rowNumber, values } of table.rows) {
    const result = validateRow(values, mapping, context, rowNumber);
    if ("errors" in result) {
      rowFailed(rowNumber, values[numberColumn]?.trim() || undefined, result.errors);
    } else {
      const permit = needsWrite(rowNumber, result.permit);
      if (permit) {
        batch.push(permit);
        rowOf.set(permit.number, rowNumber);
      }
    }
    if (batch.length >= IMPORT_BATCH_SIZE) {
      await flush(batch);
      batch = [];
    }
    if (processed - lastReported >= IMPORT_BATCH_SIZE) {
      lastReported = processed;
      await progress();
    }
  }
  await flush(batch);
  await progress();
  report.errors.sort((a, b) => a.row - b.row);
  return report;
}

type Survey = { total: number; numbers: Set<string> };

/** One streaming pass before the import: the row count (for progress) and the permit numbers in the file. */
async function surveyFile(input: Pick<ImportInput, "filePath" | "kind">, numberColumn: string): Promise<Survey> {
  const survey: Survey = { total: 0, numbers: new Set() };
  const table = await readTable(input.filePath, input.kind);
  for await (const { values } of table.rows) {
    survey.total += 1;
    const number = (values[numberColumn] ?? "").trim();
    if (number) survey.numbers.add(number);
  }
  return survey;
}

/**
 * Moves Borikan's permit sequences past the numbers about to be imported that follow the type's number
 * format: an imported "SKJ-HH-2569-00042" makes the next HH permit Borikan issues in 2569 "…-00043".
 */
async function raiseSequences(agency: { _id: string; code: string }, permitTypes: Record<string, AgencyPermitType>, permits: PublicPermit[]): Promise<void> {
  const highest = new Map<string, number>();
  for (const p of permits) {
    const type = permitTypes[p.typeCode];
    const parsed = type && sequenceOfNumber(p.number, type.numberFormat, { agency: agency.code, type: type.code });
    if (!parsed) continue;
    const name = permitSequenceName(agency._id, p.typeCode, parsed.yearBE);
    highest.set(name, Math.max(highest.get(name) ?? 0, parsed.seq));
  }
  for (const [name, seq] of highest) await raiseSequenceHint(name, seq);
}

/**
 * The stored permits whose numbers the file holds, read in one pass over the store. On the embedded
 * database every `_id` lookup scans the collection, so one pass is far cheaper than a lookup per row.
 */
async function storedPermitsAmong(numbers: Set<string>): Promise<Map<string, StoredPermit>> {
  const found = new Map<string, StoredPermit>();
  if (numbers.size === 0) return found;
  await forEachPermit(1000, (permits) => {
    for (const p of permits) if (numbers.has(p.number)) found.set(p.number, p);
  });
  return found;
}
