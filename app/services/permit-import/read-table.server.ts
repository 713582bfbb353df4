/**
 * Streams the rows of an uploaded register (CSV or XLSX) as header → text records, so a 200 MB file is never
 * held in memory. Row numbers are the ones the spreadsheet shows (the header is row 1), so a report can
 * point at the row to fix.
 */
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { parse, type CsvError } from "csv-parse";
import ExcelJS from "exceljs";
import { AppError } from "~/core/errors";

export type TableKind = "csv" | "xlsx";
export type TableRow = { rowNumber: number; values: Record<string, string> };
export type Table = {
  headers: string[];
  rows: AsyncIterable<TableRow>;
  /** Stops reading (when the caller does not iterate `rows` to the end). */
  close: () => void;
};

/** "ทะเบียน.xlsx" → "xlsx"; null for anything else. */
export function tableKindOf(fileName: string): TableKind | null {
  const ext = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase();
  return ext === "csv" || ext === "xlsx" ? ext : null;
}

function unreadable(kind: TableKind, cause?: string): AppError {
  return new AppError(
    "BAD_REQUEST",
    kind === "csv"
      ? { th: `อ่านไฟล์ CSV ไม่ได้${cause ? ` (${cause})` : ""} — บันทึกเป็น "CSV UTF-8 (Comma delimited)" แล้วลองใหม่`, en: `The CSV file could not be read${cause ? ` (${cause})` : ""} — save it as "CSV UTF-8 (Comma delimited)" and try again` }
      : { th: `อ่านไฟล์ Excel ไม่ได้${cause ? ` (${cause})` : ""} — บันทึกเป็น .xlsx (Excel Workbook) แล้วลองใหม่`, en: `The Excel file could not be read${cause ? ` (${cause})` : ""} — save it as .xlsx (Excel Workbook) and try again` },
  );
}

const noHeaders = () =>
  new AppError("BAD_REQUEST", {
    th: "ไม่พบแถวหัวตาราง: แถวแรกของไฟล์ต้องเป็นชื่อคอลัมน์ เช่น เลขที่ใบอนุญาต, ชื่อผู้ได้รับอนุญาต, …",
    en: "No header row: the first row of the file must hold the column names, e.g. permit number, holder name, …",
  });

/** Checks the first bytes, so a renamed or wrong file gets a message that says what it is. */
async function sniff(filePath: string, kind: TableKind): Promise<void> {
  let head: Buffer;
  try {
    const file = await open(filePath, "r");
    try {
      const buffer = Buffer.alloc(64 * 1024);
      const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  } catch {
    throw new AppError("BAD_REQUEST", { th: "ไม่พบไฟล์ที่อัปโหลด", en: "The uploaded file was not found" });
  }
  if (head.length === 0) throw new AppError("BAD_REQUEST", { th: "ไฟล์ว่างเปล่า", en: "The file is empty" });
  const zip = head[0] === 0x50 && head[1] === 0x4b;
  const ole = head.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]));
  if (ole) {
    throw new AppError("BAD_REQUEST", {
      th: "ไฟล์นี้เป็น Excel รุ่นเก่า (.xls) — เปิดใน Excel แล้วบันทึกเป็น .xlsx หรือ CSV UTF-8",
      en: "This is an old Excel file (.xls) — open it in Excel and save it as .xlsx or CSV UTF-8",
    });
  }
  if (kind === "xlsx" && !zip) throw unreadable("xlsx", "not an .xlsx workbook");
  if (kind === "csv") {
    if (zip) throw unreadable("csv", "this looks like an Excel workbook: upload it as .xlsx");
    try {
      // `stream: true` lets a character cut at the 64 KB boundary pass; only real bad bytes throw.
      new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: true });
    } catch {
      throw new AppError("BAD_REQUEST", {
        th: 'ไฟล์ CSV ไม่ได้เข้ารหัสเป็น UTF-8 (อาจเป็น TIS-620/ANSI) — ใน Excel เลือก "บันทึกเป็น" ชนิด "CSV UTF-8 (Comma delimited)"',
        en: 'The CSV file is not UTF-8 (perhaps TIS-620/ANSI) — in Excel use "Save as" with the type "CSV UTF-8 (Comma delimited)"',
      });
    }
  }
}

/** Headers as written, blanks dropped, repeats told apart: "ชื่อ", "ชื่อ (2)". */
function uniqueHeaders(raw: string[]): (string | null)[] {
  const seen = new Map<string, number>();
  return raw.map((h) => {
    const name = h.normalize("NFC").replace(/\s+/g, " ").trim();
    if (!name) return null;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name} (${n})`;
  });
}

function recordOf(columns: (string | null)[], cells: string[]): Record<string, string> | null {
  const values: Record<string, string> = {};
  let any = false;
  columns.forEach((name, i) => {
    if (!name) return;
    const v = cells[i] ?? "";
    values[name] = v;
    if (v.trim()) any = true;
  });
  return any ? values : null;
}

/** The delimiter of the header line: comma unless semicolons or tabs clearly dominate (European/Excel exports). */
function detectDelimiter(head: string): string {
  const line = head.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
  const count = (c: string) => line.split(c).length - 1;
  const [best] = [",", ";", "\t"].sort((a, b) => count(b) - count(a));
  return count(best) > 0 ? best : ",";
}

async function openCsv(filePath: string): Promise<Table> {
  const file = await open(filePath, "r");
  const head = Buffer.alloc(16 * 1024);
  const { bytesRead } = await file.read(head, 0, head.length, 0);
  await file.close();
  const delimiter = detectDelimiter(head.subarray(0, bytesRead).toString("utf8"));
  const source = createReadStream(filePath);
  const parser = source.pipe(
    parse({ bom: true, delimiter, info: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, trim: false }),
  );
  source.on("error", (e) => parser.destroy(e));
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<{ record: string[]; info: { records: number; empty_lines: number } }>;
  const close = () => {
    source.destroy();
    parser.destroy();
  };
  const next = async () => {
    try {
      return await records.next();
    } catch (error) {
      close();
      const e = error as CsvError;
      throw unreadable("csv", e.code ? `${e.code}${e.lines ? `, line ${e.lines}` : ""}` : String(e.message ?? e));
    }
  };
  // The header is the first line with a name in it.
  let columns: (string | null)[] = [];
  for (;;) {
    const first = await next();
    if (first.done) {
      close();
      throw noHeaders();
    }
    columns = uniqueHeaders(first.value.record);
    if (columns.some(Boolean)) break;
  }
  async function* rows(): AsyncGenerator<TableRow> {
    try {
      for (;;) {
        const item = await next();
        if (item.done) return;
        const values = recordOf(columns, item.value.record);
        // Excel numbers rows by records, blank lines included.
        if (values) yield { rowNumber: item.value.info.records + item.value.info.empty_lines, values };
      }
    } finally {
      close();
    }
  }
  return { headers: columns.filter((c): c is string => c !== null), rows: rows(), close };
}

// ---------------------------------------------------------------------------------------------------------
// XLSX

/** 0.30000000000000004 → "0.3"; 11000 → "11000". */
export function numberText(n: number): string {
  if (!Number.isFinite(n)) return "";
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? n.toFixed(0) : String(n);
  return String(Number(n.toPrecision(15)));
}

const isoOfDateCell = (d: Date) =>
  `${String(d.getUTCFullYear()).padStart(4, "0")}-${String(d.getUTCMonth() + 1).padStart(2, "0")}-${String(d.getUTCDate()).padStart(2, "0")}`;

/** A cell as text: dates as ISO (ExcelJS gives them at UTC midnight), formulas by their result. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return numberText(value);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value instanceof Date) {
    // Time-of-day noise from a serial like 45000.99999 rounds to the nearest minute first.
    return Number.isNaN(value.getTime()) ? "" : isoOfDateCell(new Date(Math.round(value.getTime() / 60_000) * 60_000));
  }
  if (typeof value === "object") {
    const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: unknown; formula?: unknown; sharedFormula?: unknown };
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join("");
    if ("result" in v || "formula" in v || "sharedFormula" in v) return cellText(v.result);
    if ("error" in v) return "";
    if ("text" in v) return cellText(v.text);
  }
  return String(value);
}

/** Past this size a file is only ever streamed. */
const WHOLE_WORKBOOK_MAX_BYTES = 64 * 1024 * 1024;

async function wholeWorkbookRows(filePath: string): Promise<AsyncIterator<{ number: number; values: unknown }>> {
  if ((await stat(filePath)).size > WHOLE_WORKBOOK_MAX_BYTES) throw unreadable("xlsx", "the streaming reader failed");
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(filePath);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw unreadable("xlsx", "no worksheet");
  const rows: { number: number; values: unknown }[] = [];
  sheet.eachRow((row) => rows.push({ number: row.number, values: row.values }));
  return (async function* () {
    yield* rows;
  })();
}

async function openXlsx(filePath: string): Promise<Table> {
  // Our own stream, so that stopping early (the preview reads 5 rows) closes the file.
  const source = createReadStream(filePath);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, {
    worksheets: "emit",
    sharedStrings: "cache",
    styles: "cache", // needed to tell date cells from numbers
    hyperlinks: "ignore",
    entries: "ignore",
  });
  const close = () => source.destroy();
  const wrap = (error: unknown) => (error instanceof AppError ? error : unreadable("xlsx", error instanceof Error ? error.message : String(error)));
  type RowLike = { number: number; values: unknown };
  let rowIterator: AsyncIterator<RowLike>;
  try {
    const sheets = reader[Symbol.asyncIterator]();
    const first = await sheets.next();
    if (first.done) throw unreadable("xlsx", "no worksheet");
    rowIterator = (first.value as unknown as AsyncIterable<RowLike>)[Symbol.asyncIterator]();
  } catch (error) {
    close();
    if (error instanceof AppError) throw error;
    // ExcelJS's streaming reader now and then reaches a worksheet before the workbook part it needs ("reading
    // 'sheets'"); a file of ordinary size is then read whole instead.
    rowIterator = await wholeWorkbookRows(filePath).catch((cause: unknown) => {
      throw wrap(cause);
    });
  }
  const next = async () => {
    try {
      return await rowIterator.next();
    } catch (error) {
      close();
      throw wrap(error);
    }
  };
  const cellsOf = (row: RowLike): string[] => {
    const values = Array.isArray(row.values) ? (row.values as unknown[]) : [];
    // ExcelJS row arrays start at index 1 (column A).
    return Array.from({ length: Math.max(0, values.length - 1) }, (_, i) => cellText(values[i + 1]));
  };
  let columns: (string | null)[] = [];
  for (;;) {
    const first = await next();
    if (first.done) {
      close();
      throw noHeaders();
    }
    columns = uniqueHeaders(cellsOf(first.value));
    if (columns.some(Boolean)) break;
  }
  async function* rows(): AsyncGenerator<TableRow> {
    try {
      for (;;) {
        const item = await next();
        if (item.done) return;
        const values = recordOf(columns, cellsOf(item.value));
        if (values) yield { rowNumber: item.value.number, values };
      }
    } finally {
      close();
    }
  }
  return { headers: columns.filter((c): c is string => c !== null), rows: rows(), close };
}

/** Opens the file and reads its header row; `rows` streams the rest. Unreadable files → BAD_REQUEST. */
export async function readTable(filePath: string, kind: TableKind): Promise<Table> {
  await sniff(filePath, kind);
  return kind === "csv" ? openCsv(filePath) : openXlsx(filePath);
}

/** The number of data rows (blank rows not counted), for progress; one extra streaming pass. */
export async function countRows(filePath: string, kind: TableKind): Promise<number> {
  const table = await readTable(filePath, kind);
  let n = 0;
  for await (const _ of table.rows) n += 1;
  return n;
}

/** The header and the first `limit` rows, for the mapping step. */
export async function previewTable(filePath: string, kind: TableKind, limit = 5): Promise<{ headers: string[]; rows: TableRow[] }> {
  const table = await readTable(filePath, kind);
  const rows: TableRow[] = [];
  try {
    if (limit > 0) {
      for await (const row of table.rows) {
        rows.push(row);
        if (rows.length >= limit) break;
      }
    }
  } finally {
    table.close();
  }
  return { headers: table.headers, rows };
}
