import { stringify } from "csv-stringify/sync";
import type { ImportRowError } from "./import-permits.server";

export const ERRORS_CSV_HEADER = ["แถว / row", "เลขที่ใบอนุญาต / permit number", "คอลัมน์ / column", "เหตุผล", "reason"];

/** The rows to fix, as CSV with a BOM so that Excel shows the Thai text. */
export function errorsCsv(errors: ImportRowError[]): string {
  return (
    "\uFEFF" +
    stringify([ERRORS_CSV_HEADER, ...errors.map((e) => [String(e.row), e.number ?? "", e.column, e.message.th, e.message.en])], {
      record_delimiter: "\r\n",
    })
  );
}
