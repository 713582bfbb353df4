// Imports an agency's paper-era permit register (CSV or XLSX) into the permit registry.
//   npm run import:permits -- --agency sukjai --file permits.xlsx [--type HH] [--map "เลขที่=number" ...] [--dry-run]
// Connects with MONGODB_URI. Writes the rows that failed to <file>.errors.csv.
// Exit code: 0 all rows imported or unchanged · 1 some rows failed · 2 nothing done (bad arguments, unreadable file, …).
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { isAppError } from "~/core/errors";
import { suggestMapping, TARGET_FIELDS, TARGET_LABELS, type ColumnMapping, type TargetField } from "~/core/permits/permit-import";
import { errorsCsv } from "~/services/permit-import/errors-csv.server";
import { importPermits, type ImportReport } from "~/services/permit-import/import-permits.server";
import { readTable, tableKindOf } from "~/services/permit-import/read-table.server";
import { connectDb, disconnectDb } from "~/utils/db.server";

const USAGE = `Usage: npx tsx scripts/import-permits.ts --agency <id> --file <register.csv|.xlsx> [--type <code>] [--map "<column>=<field>" ...] [--dry-run]
  --agency   agency id (e.g. sukjai)
  --file     the register: CSV (UTF-8) or XLSX (first sheet); the first row holds the column names
  --type     permit type code for rows without a type column (e.g. HH)
  --map      column → field, repeatable; overrides the suggested mapping ("-" leaves a column out)
             fields: ${TARGET_FIELDS.join(", ")}
  --dry-run  check every row and count what would change; write nothing`;

class Fatal extends Error {}

function parse() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        agency: { type: "string" },
        file: { type: "string" },
        type: { type: "string" },
        map: { type: "string", multiple: true },
        "dry-run": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    });
  } catch (error) {
    throw new Fatal(`${(error as Error).message}\n${USAGE}`);
  }
  const { values } = parsed;
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (!values.agency || !values.file) throw new Fatal(`--agency and --file are required\n${USAGE}`);
  const file = path.resolve(values.file);
  if (!existsSync(file)) throw new Fatal(`File not found / ไม่พบไฟล์: ${file}`);
  const kind = tableKindOf(file);
  if (!kind) throw new Fatal(`The file must be .csv or .xlsx / ไฟล์ต้องเป็น .csv หรือ .xlsx: ${file}`);
  return { agencyId: values.agency, file, kind, typeCode: values.type?.toUpperCase(), maps: values.map ?? [], dryRun: Boolean(values["dry-run"]) };
}

/** The suggested mapping with the --map overrides applied. */
function mappingFor(headers: string[], overrides: string[]): ColumnMapping {
  const mapping = suggestMapping(headers);
  for (const spec of overrides) {
    const at = spec.lastIndexOf("=");
    if (at <= 0) throw new Fatal(`--map "${spec}": write it as "<column>=<field>"`);
    const column = spec.slice(0, at).trim();
    const field = spec.slice(at + 1).trim();
    if (!headers.includes(column)) throw new Fatal(`--map "${spec}": the file has no column "${column}" (columns: ${headers.join(", ")})`);
    if (field !== "-" && !(TARGET_FIELDS as readonly string[]).includes(field)) {
      throw new Fatal(`--map "${spec}": unknown field "${field}" (fields: ${TARGET_FIELDS.join(", ")}, or - to leave the column out)`);
    }
    // The field moves to this column: any other column suggested for it is left out.
    if (field !== "-") for (const h of headers) if (mapping[h] === field) mapping[h] = null;
    mapping[column] = field === "-" ? null : (field as TargetField);
  }
  return mapping;
}

function printSummary(report: ImportReport, seconds: number) {
  const rate = seconds > 0 ? Math.round(report.total / seconds) : report.total;
  console.log("");
  console.log(report.dryRun ? "Dry run — nothing was written / ทดลองตรวจ ไม่ได้บันทึกข้อมูล" : "Import finished / นำเข้าเสร็จแล้ว");
  console.log(`  rows / แถวทั้งหมด            ${report.total}`);
  console.log(`  imported / นำเข้าใหม่         ${report.imported}`);
  console.log(`  updated / ปรับปรุง            ${report.updated}`);
  console.log(`  unchanged / ไม่เปลี่ยนแปลง     ${report.unchanged}`);
  console.log(`  failed / ไม่ผ่านการตรวจ       ${report.failed}`);
  console.log(`  time / เวลา                  ${seconds.toFixed(1)} s (${rate} rows/s)`);
}

async function main(): Promise<number> {
  const args = parse();
  if (!process.env.MONGODB_URI) {
    throw new Fatal("MONGODB_URI is not set. With `npm start` running: MONGODB_URI=mongodb://127.0.0.1:27117/borikan npm run import:permits -- …");
  }
  // Same installation secret as `npm start`, or the agency's stored signing key cannot be decrypted.
  const secretFile = path.join(process.cwd(), ".data/key-encryption-secret");
  if (!process.env.KEY_ENCRYPTION_SECRET && existsSync(secretFile)) process.env.KEY_ENCRYPTION_SECRET = readFileSync(secretFile, "utf8").trim();

  const table = await readTable(args.file, args.kind);
  table.close();
  const mapping = mappingFor(table.headers, args.maps);
  console.log(`${path.basename(args.file)} → ${args.agencyId}${args.typeCode ? ` (type ${args.typeCode})` : ""}`);
  for (const header of table.headers) {
    const field = mapping[header];
    console.log(`  ${header.padEnd(28)} → ${field ? `${field} (${TARGET_LABELS[field].th})` : "— (not imported / ไม่นำเข้า)"}`);
  }

  await connectDb();
  const bar = new cliProgress.SingleBar(
    { format: "{bar} {percentage}% | {value}/{total} rows | {speed} rows/s | ETA {eta_formatted}", hideCursor: true, etaBuffer: 20 },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  let barStarted = false;
  let report: ImportReport;
  try {
    report = await importPermits({
      agencyId: args.agencyId,
      filePath: args.file,
      kind: args.kind,
      mapping,
      defaultTypeCode: args.typeCode,
      dryRun: args.dryRun,
      onProgress: ({ processed, total }) => {
        const seconds = (Date.now() - started) / 1000;
        const speed = seconds > 0 ? Math.round(processed / seconds) : 0;
        if (!barStarted) {
          bar.start(total, processed, { speed });
          barStarted = true;
        } else {
          bar.setTotal(total);
          bar.update(processed, { speed });
        }
      },
    });
  } finally {
    if (barStarted) bar.stop();
    await disconnectDb();
  }
  printSummary(report, (Date.now() - started) / 1000);

  const errorsFile = args.file.replace(/\.(csv|xlsx)$/i, "") + ".errors.csv";
  if (report.errors.length > 0) {
    writeFileSync(errorsFile, errorsCsv(report.errors));
    console.log(`\nRows to fix / แถวที่ต้องแก้ไข: ${errorsFile}${report.errorsTruncated ? " (first errors only / เฉพาะส่วนแรก)" : ""}`);
    for (const e of report.errors.slice(0, 10)) console.log(`  row ${e.row}${e.number ? ` ${e.number}` : ""} [${e.column}]: ${e.message.th} / ${e.message.en}`);
    if (report.errors.length > 10) console.log(`  … ${report.errors.length - 10} more in the file`);
  } else if (existsSync(errorsFile)) {
    // A list from an earlier run would now be wrong.
    rmSync(errorsFile);
  }
  return report.failed > 0 ? 1 : 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof Fatal) console.error(`✗ ${error.message}`);
  else if (isAppError(error)) console.error(`✗ ${error.text.th}\n✗ ${error.text.en}`);
  else console.error("✗ The import stopped / การนำเข้าหยุด:", error);
  await disconnectDb().catch(() => undefined);
  process.exitCode = 2;
}
