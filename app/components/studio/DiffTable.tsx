import type { Lang } from "~/core/text";

export type DiffRow = { path: string; left: unknown; right: unknown; note?: "conflict" | "applied" | "kept" };

const ABSENT = Symbol("absent");

const TEXT = {
  th: { where: "ตำแหน่ง", none: "ไม่มีความแตกต่าง", absent: "(ไม่มี)", areas: { manifest: "รายละเอียดบริการ", form: "แบบฟอร์ม", workflow: "ขั้นตอนงาน" } },
  en: { where: "Where", none: "No differences", absent: "(none)", areas: { manifest: "Service details", form: "Form", workflow: "Workflow" } },
} as const;

function Value({ value, lang }: { value: unknown; lang: Lang }) {
  if (value === undefined || value === ABSENT) return <span className="bk-muted">{TEXT[lang].absent}</span>;
  if (typeof value === "string") return <span>{value}</span>;
  return <pre className="bk-diff-json">{JSON.stringify(value, null, 2)}</pre>;
}

/** "/workflow/states/siteVisit/meta/slaDays" → area "Workflow" and the rest of the path. */
function splitPath(path: string, lang: Lang): { area: string; rest: string } {
  const [, head = "", ...rest] = path.split("/");
  const areas = TEXT[lang].areas as Record<string, string>;
  return { area: areas[head] ?? head, rest: rest.join(" › ") };
}

/** A side-by-side table of what differs between two definitions (left = before/template, right = after/yours). */
export function DiffTable({ rows, leftTitle, rightTitle, lang, testId }: { rows: DiffRow[]; leftTitle: string; rightTitle: string; lang: Lang; testId?: string }) {
  const tx = TEXT[lang];
  if (rows.length === 0) return <p className="bk-muted" data-testid={testId}>{tx.none}</p>;
  return (
    <div className="bk-diff" data-testid={testId}>
      <table className="bk-table bk-diff-table">
        <thead>
          <tr>
            <th>{tx.where}</th>
            <th>{leftTitle}</th>
            <th>{rightTitle}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const { area, rest } = splitPath(row.path, lang);
            return (
              <tr key={row.path} className={row.note ? `bk-diff-${row.note}` : undefined} data-path={row.path}>
                <td className="bk-diff-path">
                  <strong>{area}</strong>
                  <div><code>{rest}</code></div>
                </td>
                <td className="bk-diff-left"><Value value={row.left} lang={lang} /></td>
                <td className="bk-diff-right"><Value value={row.right} lang={lang} /></td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Rows from the admin API's JsonChange list. */
export function rowsOfChanges(changes: { kind: string; path: string; before?: unknown; after?: unknown }[]): DiffRow[] {
  return changes.map((c) => ({ path: c.path, left: c.kind === "added" ? undefined : c.before, right: c.kind === "removed" ? undefined : c.after }));
}
