import { describeDataUrl, listFormFields } from "~/core/forms/form-fields";
import { getAt } from "~/core/json-pointer";
import type { Lang } from "~/core/text";
import { formatDate } from "~/core/thai/buddhist-date";

function display(value: unknown, lang: Lang): React.ReactNode {
  if (value === undefined || value === null || value === "") return <span className="bk-muted">—</span>;
  if (typeof value === "boolean") return value ? (lang === "th" ? "ใช่" : "Yes") : lang === "th" ? "ไม่ใช่" : "No";
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value, lang);
  if (typeof value === "object" && !Array.isArray(value)) {
    const a = value as Record<string, string>;
    if ("province" in a) return [a.line, a.subdistrict, a.district, a.province, a.postcode].filter(Boolean).join(" ");
  }
  return String(value);
}

/** The submitted data as a read-only table, sections as in the form; requested items highlighted. */
export function CaseData({ schema, data, lang, highlight = [] }: { schema: unknown; data: unknown; lang: Lang; highlight?: string[] }) {
  const fields = listFormFields(schema, lang);
  let section = "";
  return (
    <div className="bk-data">
      <table>
        <tbody>
          {fields.flatMap((field) => {
            const rows: React.ReactNode[] = [];
            if (field.section !== section) {
              section = field.section;
              if (section) rows.push(<tr key={`s-${field.pointer}`} className="bk-section"><th colSpan={2}>{section}</th></tr>);
            }
            const value = getAt(data, field.pointer);
            const file = field.kind === "attachment" ? describeDataUrl(value) : null;
            rows.push(
              <tr key={field.pointer} className={highlight.includes(field.pointer) ? "bk-highlight" : undefined} data-field={field.pointer}>
                <th>{field.title}</th>
                <td>
                  {file ? (
                    <a href={String(value)} download={file.name}>
                      {file.name} <span className="bk-muted">({Math.ceil(file.bytes / 1024)} KB, {file.mime})</span>
                    </a>
                  ) : field.options && typeof value === "string" ? (
                    (field.options[value] ?? value)
                  ) : (
                    display(value, lang)
                  )}
                </td>
              </tr>,
            );
            return rows;
          })}
        </tbody>
      </table>
    </div>
  );
}
