import { stringify } from "csv-stringify/sync";
import { AppError } from "~/core/errors";
import { csvRows, tableById, type FigureTable } from "~/core/oversight/figure-tables";
import type { Lang } from "~/core/text";

/** `?lang=en` names agencies and services in English; Thai otherwise. */
export function csvLang(url: URL): Lang {
  return url.searchParams.get("lang") === "en" ? "en" : "th";
}

/**
 * One table of figures as a CSV download (UTF-8 with BOM, so spreadsheet programs read Thai): `?table=` picks
 * it, the first table by default. Errors: BAD_REQUEST for an unknown table (naming the ones there are).
 */
export function figuresCsv(tables: FigureTable[], url: URL, filename: string, headers: Record<string, string> = {}): Response {
  const id = url.searchParams.get("table");
  const table = tableById(tables, id);
  if (!table) {
    throw new AppError("BAD_REQUEST", { th: `ไม่มีตาราง "${id}"`, en: `No table "${id}"` }, { tables: tables.map((t) => t.id) });
  }
  const body = stringify(csvRows(table), { bom: true });
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}-${table.id}.csv"`,
      "Cache-Control": "no-cache",
      ...headers,
    },
  });
}
