/**
 * Bank statements of bill payments, read into one shape (`BankLine`) whatever the file: the banks' fixed-width
 * text file, or a CSV with a column mapping. Pure: no I/O; the caller hands in the text or the rows.
 *
 * Validation is all-or-nothing: a file with any malformed line is rejected whole with every error by line number
 * (th/en), and nothing from it is applied.
 *
 * ## The fixed-width text file ("Bill Payment Report (Cash Management) text format", 256 characters a record)
 * One header record, any number of detail records, one total record, each exactly 256 characters (a Thai bank
 * writes it in TIS-620, one byte a character; the caller decodes it, so lengths are counted in characters).
 * Positions are 1-based and inclusive, as the banks' layouts print them.
 *
 * | record | columns | width | field | as read here |
 * |---|---|---|---|---|
 * | H, D, T | 1 | 1 | record type | "H", "D" or "T" |
 * | H, D, T | 2–7 | 6 | sequence number | digits, 000001 for the header, counting up by one on every record |
 * | H, D, T | 8–10 | 3 | bank code | digits (e.g. 006 KTB, 014 SCB, 004 KBANK, 002 BBL) |
 * | H, D, T | 11–20 | 10 | company account | digits, the agency's collection account |
 * | H | 21–60 | 40 | company name | text |
 * | H | 61–68 | 8 | effective date | DDMMYYYY (Christian or Buddhist year) |
 * | H | 69–76 | 8 | service code | text, not used |
 * | H | 77–256 | 180 | spare | ignored |
 * | D | 21–28 | 8 | payment date | DDMMYYYY (Christian or Buddhist year), Bangkok time |
 * | D | 29–34 | 6 | payment time | HHMMSS, Bangkok time |
 * | D | 35–84 | 50 | customer name | text |
 * | D | 85–104 | 20 | Ref1 | the payment reference (ours: 12 digits with a Luhn digit) |
 * | D | 105–124 | 20 | Ref2 | ours: the tracking number's digits |
 * | D | 125–144 | 20 | Ref3 | text, kept |
 * | D | 145–148 | 4 | branch number | text |
 * | D | 149–152 | 4 | teller number | text |
 * | D | 153 | 1 | kind of transaction | "C" credit (a payment), "D" debit (a reversal) |
 * | D | 154–156 | 3 | transaction code / channel | text (e.g. CSH counter, ATM, INET, MOB) |
 * | D | 157–163 | 7 | cheque number | text |
 * | D | 164–176 | 13 | amount | 13 digits in satang (two implied decimals), no sign, no point |
 * | D | 177–179 | 3 | cheque bank code | text |
 * | D | 180–196 | 17 | spare | ignored |
 * | D | 197–211 | 15 | biller ID | digits or blank |
 * | D | 212–244 | 33 | spare | ignored |
 * | D | 245–247 | 3 | payer's bank code | text |
 * | D | 248–256 | 9 | new cheque number | text |
 * | T | 21–33 | 13 | total debit amount | satang, must equal the sum of the "D"-kind details |
 * | T | 34–39 | 6 | total debit count | must equal the number of "D"-kind details |
 * | T | 40–52 | 13 | total credit amount | satang, must equal the sum of the "C"-kind details |
 * | T | 53–58 | 6 | total credit count | must equal the number of "C"-kind details |
 * | T | 59–256 | 198 | spare | ignored |
 *
 * A bank line has no transaction id of its own: its bank reference is "<bank code>-<branch>-<teller>-<channel>"
 * (never the sequence number, which another file may number differently).
 *
 * ## CSV
 * The columns are mapped in the browser (date, time, Ref1, Ref2, amount, bank reference). Dates: DD/MM/YYYY (either
 * era), YYYY-MM-DD, or either with the time after a space; times HH:MM or HH:MM:SS; amounts in baht with exactly
 * two decimals or none ("1,500.00", "1500"). Row numbers are the spreadsheet's (header = row 1).
 */
import { BANGKOK_OFFSET_MS, BE_OFFSET } from "../time/bangkok-clock";
import type { LocalizedText } from "../text";

export const RECORD_LENGTH = 256;

export type BankLine = {
  /** Line (text) or row (CSV) number in the file. */
  lineNumber: number;
  bankCode: string;
  /** The instant of payment (the bank's Bangkok date and time). */
  paidAt: Date;
  ref1: string;
  ref2: string;
  ref3?: string;
  amountSatang: number;
  /** The bank's own reference for the line (callback: its transaction id). */
  bankReference: string;
  customerName?: string;
  channel?: string;
  /** A reversal ("D" kind) is never applied. */
  kind: "credit" | "debit";
};

export type StatementError = { line: number; message: LocalizedText };
export type StatementHeader = { bankCode: string; account: string; companyName: string; effectiveDate: string };
export type ParsedStatement = { ok: true; header?: StatementHeader; lines: BankLine[] } | { ok: false; errors: StatementError[] };

/** Stops a pathological file from producing a page of a million errors. */
export const MAX_REPORTED_ERRORS = 500;

const err = (line: number, th: string, en: string): StatementError => ({ line, message: { th, en } });

/** "DDMMYYYY" + "HHMMSS" (Bangkok) → instant; null when either is not a real date or time. */
export function bangkokInstant(ddmmyyyy: string, hhmmss: string): Date | null {
  if (!/^\d{8}$/.test(ddmmyyyy) || !/^\d{6}$/.test(hhmmss)) return null;
  const day = Number(ddmmyyyy.slice(0, 2));
  const month = Number(ddmmyyyy.slice(2, 4));
  let year = Number(ddmmyyyy.slice(4, 8));
  if (year > 2400) year -= BE_OFFSET;
  return instantOf(year, month, day, Number(hhmmss.slice(0, 2)), Number(hhmmss.slice(2, 4)), Number(hhmmss.slice(4, 6)));
}

function instantOf(year: number, month: number, day: number, hour: number, minute: number, second: number): Date | null {
  if (year < 1970 || year > 2200 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(utc);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return null; // 31/02
  return new Date(utc - BANGKOK_OFFSET_MS);
}

/** Columns as the layout table gives them (1-based, inclusive). */
const col = (record: string, from: number, to: number) => record.slice(from - 1, to);

function satangOf(digits: string): number | null {
  return /^\d{13}$/.test(digits) ? Number(digits) : null;
}

/** Reads the fixed-width text file (already decoded). */
export function parseBillPaymentText(text: string): ParsedStatement {
  const errors: StatementError[] = [];
  const add = (e: StatementError) => {
    if (errors.length < MAX_REPORTED_ERRORS) errors.push(e);
  };
  const raw = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  // A final newline leaves one empty string; blank lines elsewhere are errors.
  if (raw.length > 0 && raw[raw.length - 1] === "") raw.pop();
  if (raw.length === 0) return { ok: false, errors: [err(1, "ไฟล์ว่างเปล่า", "The file is empty")] };

  let header: StatementHeader | undefined;
  let total: { line: number; debitSatang: number; debitCount: number; creditSatang: number; creditCount: number } | undefined;
  const lines: BankLine[] = [];
  const sums = { debitSatang: 0, debitCount: 0, creditSatang: 0, creditCount: 0 };

  raw.forEach((record, index) => {
    const n = index + 1;
    const length = [...record].length;
    if (length !== RECORD_LENGTH) {
      add(err(n, `บรรทัดยาว ${length} ตัวอักษร ต้องยาว ${RECORD_LENGTH} ตัวอักษร`, `The line is ${length} characters long; it must be ${RECORD_LENGTH}`));
      return;
    }
    const type = record[0];
    const seq = col(record, 2, 7);
    if (!/^\d{6}$/.test(seq) || Number(seq) !== n) {
      add(err(n, `ลำดับที่ของบรรทัด (คอลัมน์ 2–7) ต้องเป็น ${String(n).padStart(6, "0")}`, `The record sequence (columns 2–7) must be ${String(n).padStart(6, "0")}`));
    }
    const bankCode = col(record, 8, 10);
    if (!/^\d{3}$/.test(bankCode)) add(err(n, "รหัสธนาคาร (คอลัมน์ 8–10) ต้องเป็นตัวเลข 3 หลัก", "The bank code (columns 8–10) must be 3 digits"));
    if (type === "H") {
      if (n !== 1) add(err(n, "บรรทัดหัว (H) ต้องเป็นบรรทัดแรกเท่านั้น", "The header record (H) must be the first line, and only it"));
      const effective = col(record, 61, 68);
      if (!bangkokInstant(effective, "000000")) add(err(n, "วันที่ของไฟล์ (คอลัมน์ 61–68) ต้องเป็นวันที่จริงแบบ DDMMYYYY", "The effective date (columns 61–68) must be a real date as DDMMYYYY"));
      header = { bankCode, account: col(record, 11, 20).trim(), companyName: col(record, 21, 60).trim(), effectiveDate: effective };
      return;
    }
    if (n === 1) add(err(n, "บรรทัดแรกต้องเป็นบรรทัดหัว (H)", "The first line must be the header record (H)"));
    if (type === "T") {
      if (index !== raw.length - 1) add(err(n, "บรรทัดสรุป (T) ต้องเป็นบรรทัดสุดท้าย", "The total record (T) must be the last line"));
      const debitSatang = satangOf(col(record, 21, 33));
      const debitCount = col(record, 34, 39);
      const creditSatang = satangOf(col(record, 40, 52));
      const creditCount = col(record, 53, 58);
      if (debitSatang === null || creditSatang === null || !/^\d{6}$/.test(debitCount) || !/^\d{6}$/.test(creditCount)) {
        add(err(n, "ยอดรวมและจำนวนรายการในบรรทัดสรุป (คอลัมน์ 21–58) ต้องเป็นตัวเลขเต็มช่อง", "The totals and counts of the total record (columns 21–58) must be digits filling their columns"));
        return;
      }
      total = { line: n, debitSatang, debitCount: Number(debitCount), creditSatang, creditCount: Number(creditCount) };
      return;
    }
    if (type !== "D") {
      add(err(n, `ชนิดของบรรทัด "${type}" ไม่ถูกต้อง ต้องเป็น H, D หรือ T`, `Unknown record type "${type}": it must be H, D or T`));
      return;
    }
    const before = errors.length;
    const date = col(record, 21, 28);
    const time = col(record, 29, 34);
    const paidAt = bangkokInstant(date, time);
    if (!paidAt) add(err(n, `วันเวลาที่ชำระ "${date} ${time}" ไม่ถูกต้อง (DDMMYYYY HHMMSS)`, `The payment date and time "${date} ${time}" are not valid (DDMMYYYY HHMMSS)`));
    const amountText = col(record, 164, 176);
    const amountSatang = satangOf(amountText);
    if (amountSatang === null) {
      add(err(n, `จำนวนเงิน "${amountText.trim()}" (คอลัมน์ 164–176) ต้องเป็นตัวเลข 13 หลักหน่วยสตางค์ ไม่มีจุดทศนิยม`, `The amount "${amountText.trim()}" (columns 164–176) must be 13 digits in satang, with no decimal point`));
    } else if (amountSatang === 0) {
      add(err(n, "จำนวนเงินต้องมากกว่าศูนย์", "The amount must be more than zero"));
    }
    const kindCode = col(record, 153, 153);
    if (kindCode !== "C" && kindCode !== "D") add(err(n, `ชนิดรายการ (คอลัมน์ 153) ต้องเป็น C หรือ D ไม่ใช่ "${kindCode}"`, `The kind of transaction (column 153) must be C or D, not "${kindCode}"`));
    const ref1 = col(record, 85, 104).trim();
    if (!ref1) add(err(n, "ไม่มีเลขอ้างอิง 1 (Ref1, คอลัมน์ 85–104)", "Ref1 (columns 85–104) is blank"));
    if (errors.length > before || !paidAt || amountSatang === null) return;
    const kind = kindCode === "C" ? "credit" : "debit";
    if (kind === "credit") {
      sums.creditSatang += amountSatang;
      sums.creditCount += 1;
    } else {
      sums.debitSatang += amountSatang;
      sums.debitCount += 1;
    }
    const branch = col(record, 145, 148).trim();
    const teller = col(record, 149, 152).trim();
    const channel = col(record, 154, 156).trim();
    lines.push({
      lineNumber: n,
      bankCode,
      paidAt,
      ref1,
      ref2: col(record, 105, 124).trim(),
      ...(col(record, 125, 144).trim() ? { ref3: col(record, 125, 144).trim() } : {}),
      amountSatang,
      bankReference: [bankCode, branch, teller, channel].join("-"),
      customerName: col(record, 35, 84).trim(),
      ...(channel ? { channel } : {}),
      kind,
    });
  });

  if (!header && errors.length === 0) errors.push(err(1, "ไม่มีบรรทัดหัว (H)", "There is no header record (H)"));
  if (!total) {
    add(err(raw.length, "ไม่มีบรรทัดสรุป (T) ท้ายไฟล์ — ไฟล์อาจมาไม่ครบ", "There is no total record (T) at the end — the file may be cut short"));
  } else if (errors.length === 0) {
    if (total.creditCount !== sums.creditCount || total.creditSatang !== sums.creditSatang) {
      add(err(total.line, `บรรทัดสรุประบุรายการรับเงิน ${total.creditCount} รายการ ${bahtText(total.creditSatang)} บาท แต่ในไฟล์มี ${sums.creditCount} รายการ ${bahtText(sums.creditSatang)} บาท`, `The total record gives ${total.creditCount} credits of ${bahtText(total.creditSatang)} baht, but the file holds ${sums.creditCount} of ${bahtText(sums.creditSatang)} baht`));
    }
    if (total.debitCount !== sums.debitCount || total.debitSatang !== sums.debitSatang) {
      add(err(total.line, `บรรทัดสรุประบุรายการถอน ${total.debitCount} รายการ ${bahtText(total.debitSatang)} บาท แต่ในไฟล์มี ${sums.debitCount} รายการ ${bahtText(sums.debitSatang)} บาท`, `The total record gives ${total.debitCount} debits of ${bahtText(total.debitSatang)} baht, but the file holds ${sums.debitCount} of ${bahtText(sums.debitSatang)} baht`));
    }
  }
  return errors.length > 0 ? { ok: false, errors: errors.sort((a, b) => a.line - b.line) } : { ok: true, ...(header ? { header } : {}), lines };
}

const bahtText = (satang: number) => (satang / 100).toFixed(2);

// --------------------------------------------------------------------------------------------------------
// Writing the text format: the fixtures' generator and the tests (a bank's own file looks the same).

export type TextDetail = {
  date: string; // DDMMYYYY
  time: string; // HHMMSS
  customerName?: string;
  ref1: string;
  ref2?: string;
  ref3?: string;
  branch?: string;
  teller?: string;
  kind?: "C" | "D";
  channel?: string;
  amountSatang: number;
  billerId?: string;
};

const padRight = (s: string, width: number) => {
  const chars = [...s].slice(0, width);
  return chars.join("") + " ".repeat(width - chars.length);
};
const padLeft = (n: number | string, width: number) => String(n).padStart(width, "0");

export function formatBillPaymentText(input: {
  bankCode: string;
  account: string;
  companyName: string;
  effectiveDate: string;
  details: TextDetail[];
  /** Overrides for the total record (a test's wrong total). */
  total?: { creditSatang?: number; creditCount?: number };
}): string {
  const prefix = (type: string, seq: number) => `${type}${padLeft(seq, 6)}${padLeft(input.bankCode, 3)}${padLeft(input.account, 10)}`;
  const records = [padRight(`${prefix("H", 1)}${padRight(input.companyName, 40)}${input.effectiveDate}${padRight("BILLPAY", 8)}`, RECORD_LENGTH)];
  let credit = 0;
  let creditCount = 0;
  let debit = 0;
  let debitCount = 0;
  input.details.forEach((d, i) => {
    const kind = d.kind ?? "C";
    if (kind === "C") {
      credit += d.amountSatang;
      creditCount += 1;
    } else {
      debit += d.amountSatang;
      debitCount += 1;
    }
    const record =
      prefix("D", i + 2) +
      d.date +
      d.time +
      padRight(d.customerName ?? "", 50) +
      padRight(d.ref1, 20) +
      padRight(d.ref2 ?? "", 20) +
      padRight(d.ref3 ?? "", 20) +
      padRight(d.branch ?? "0001", 4) +
      padRight(d.teller ?? "0001", 4) +
      kind +
      padRight(d.channel ?? "CSH", 3) +
      padRight("", 7) +
      padLeft(d.amountSatang, 13) +
      padRight("", 3) +
      padRight("", 17) +
      padRight(d.billerId ?? "", 15);
    records.push(padRight(record, RECORD_LENGTH));
  });
  const total =
    prefix("T", input.details.length + 2) +
    padLeft(debit, 13) +
    padLeft(debitCount, 6) +
    padLeft(input.total?.creditSatang ?? credit, 13) +
    padLeft(input.total?.creditCount ?? creditCount, 6);
  records.push(padRight(total, RECORD_LENGTH));
  return records.join("\r\n") + "\r\n";
}

// --------------------------------------------------------------------------------------------------------
// CSV with a column mapping.

export const CSV_FIELDS = ["date", "time", "ref1", "ref2", "amount", "bankReference"] as const;
export type CsvField = (typeof CSV_FIELDS)[number];
export type CsvMapping = Partial<Record<CsvField, string>>;
export const REQUIRED_CSV_FIELDS: readonly CsvField[] = ["date", "ref1", "amount"];

export const CSV_FIELD_LABELS: Record<CsvField, LocalizedText> = {
  date: { th: "วันที่ชำระ", en: "Payment date" },
  time: { th: "เวลาที่ชำระ", en: "Payment time" },
  ref1: { th: "เลขอ้างอิง 1 (Ref1)", en: "Reference 1 (Ref1)" },
  ref2: { th: "เลขอ้างอิง 2 (Ref2)", en: "Reference 2 (Ref2)" },
  amount: { th: "จำนวนเงิน (บาท)", en: "Amount (baht)" },
  bankReference: { th: "เลขที่รายการของธนาคาร", en: "Bank transaction reference" },
};

const SUGGEST: Record<CsvField, RegExp> = {
  date: /date|วันที่/i,
  time: /time|เวลา/i,
  ref1: /ref\.?\s*1|reference\s*1|อ้างอิง\s*1/i,
  ref2: /ref\.?\s*2|reference\s*2|อ้างอิง\s*2/i,
  amount: /amount|จำนวนเงิน|ยอด/i,
  bankReference: /trans|txn|เลขที่รายการ|bank\s*ref/i,
};

/** The column a header most likely holds, for the mapping step's first choice. */
export function suggestCsvMapping(headers: string[]): CsvMapping {
  const mapping: CsvMapping = {};
  for (const field of CSV_FIELDS) {
    const found = headers.find((h) => SUGGEST[field].test(h) && !Object.values(mapping).includes(h));
    if (found) mapping[field] = found;
  }
  return mapping;
}

/** The mapping's own errors (a required field with no column, a column that is not in the file). */
export function checkCsvMapping(headers: string[], mapping: CsvMapping): LocalizedText[] {
  const errors: LocalizedText[] = [];
  for (const field of REQUIRED_CSV_FIELDS) {
    if (!mapping[field]) errors.push({ th: `เลือกคอลัมน์ของ "${CSV_FIELD_LABELS[field].th}"`, en: `Choose the column of "${CSV_FIELD_LABELS[field].en}"` });
  }
  for (const field of CSV_FIELDS) {
    const column = mapping[field];
    if (column && !headers.includes(column)) errors.push({ th: `ไม่มีคอลัมน์ "${column}" ในไฟล์`, en: `The file has no column "${column}"` });
  }
  return errors;
}

/** Baht as written in a CSV → satang; null for anything but whole baht or exactly two decimals. */
export function satangOfBahtText(text: string): number | null {
  const t = text.trim().replace(/^฿/, "");
  const match = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{2}))?$/.exec(t);
  if (!match) return null;
  const baht = Number(match[1].replace(/,/g, ""));
  const satang = baht * 100 + Number(match[2] ?? "0");
  return Number.isSafeInteger(satang) ? satang : null;
}

function dateParts(text: string): { year: number; month: number; day: number } | null {
  const t = text.trim();
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  if (m) {
    const year = Number(m[3]);
    return { day: Number(m[1]), month: Number(m[2]), year: year > 2400 ? year - BE_OFFSET : year };
  }
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (m) {
    const year = Number(m[1]);
    return { year: year > 2400 ? year - BE_OFFSET : year, month: Number(m[2]), day: Number(m[3]) };
  }
  return null;
}

function timeParts(text: string): { hour: number; minute: number; second: number } | null {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  return m ? { hour: Number(m[1]), minute: Number(m[2]), second: Number(m[3] ?? "0") } : null;
}

/** A CSV date (and time) → instant; the time may be its own column or follow the date after a space. */
export function csvInstant(dateText: string, timeText = ""): Date | null {
  let dateOnly = dateText.trim();
  let time = timeText.trim();
  const split = /^(\S+)\s+(\d{1,2}:\d{2}(?::\d{2})?)$/.exec(dateOnly);
  if (split) {
    dateOnly = split[1];
    if (!time) time = split[2];
  }
  const d = dateParts(dateOnly);
  const t = time ? timeParts(time) : { hour: 0, minute: 0, second: 0 };
  if (!d || !t) return null;
  return instantOf(d.year, d.month, d.day, t.hour, t.minute, t.second);
}

/** Reads mapped CSV rows (all of them: validation is all-or-nothing). */
export function parseCsvStatement(rows: { rowNumber: number; values: Record<string, string> }[], mapping: CsvMapping): ParsedStatement {
  const errors: StatementError[] = [];
  const add = (e: StatementError) => {
    if (errors.length < MAX_REPORTED_ERRORS) errors.push(e);
  };
  const lines: BankLine[] = [];
  const cell = (row: { values: Record<string, string> }, field: CsvField) => (mapping[field] ? (row.values[mapping[field]!] ?? "").trim() : "");
  if (rows.length === 0) return { ok: false, errors: [err(2, "ไม่มีรายการในไฟล์", "The file has no rows")] };
  for (const row of rows) {
    const n = row.rowNumber;
    const before = errors.length;
    const paidAt = csvInstant(cell(row, "date"), cell(row, "time"));
    const when = `${cell(row, "date")} ${cell(row, "time")}`.trim();
    if (!paidAt) add(err(n, `วันเวลาที่ชำระ "${when}" ไม่ถูกต้อง (วว/ดด/ปปปป ชช:นน)`, `The payment date and time "${when}" are not valid (DD/MM/YYYY HH:MM)`));
    const amountText = cell(row, "amount");
    const amountSatang = satangOfBahtText(amountText);
    if (amountSatang === null) {
      add(err(n, `จำนวนเงิน "${amountText}" ไม่ถูกต้อง: ต้องเป็นบาท มีทศนิยม 2 ตำแหน่งหรือไม่มีเลย เช่น 1500.00`, `The amount "${amountText}" is not valid: baht with exactly two decimals or none, e.g. 1500.00`));
    } else if (amountSatang === 0) {
      add(err(n, "จำนวนเงินต้องมากกว่าศูนย์", "The amount must be more than zero"));
    }
    const ref1 = cell(row, "ref1").replace(/\s+/g, "");
    if (!ref1) add(err(n, "ไม่มีเลขอ้างอิง 1 (Ref1)", "Ref1 is blank"));
    if (errors.length > before || !paidAt || amountSatang === null) continue;
    lines.push({
      lineNumber: n,
      bankCode: "csv",
      paidAt,
      ref1,
      ref2: cell(row, "ref2").replace(/\s+/g, ""),
      amountSatang,
      bankReference: cell(row, "bankReference"),
      kind: "credit",
    });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, lines };
}
