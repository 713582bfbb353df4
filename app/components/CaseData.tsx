import { describeDataUrl, listFormFields } from "~/core/forms/form-fields";
import { formatBytes } from "~/core/uploads/upload-format";
import type { CaseAttachment } from "~/core/uploads/upload-rules";
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

type AttachmentSummary = Pick<CaseAttachment, "pointer" | "uploadId" | "name" | "size" | "type">;

/** One file of a file field: a link that opens uploads in the browser, or downloads an embedded (older) file. */
function FileLink({ file, value, lang }: { file: AttachmentSummary; value: unknown; lang: Lang }) {
  const details = <span className="bk-muted">({formatBytes(file.size, lang)}, {file.type})</span>;
  if (file.uploadId) return <a href={`/files/${file.uploadId}`} target="_blank" rel="noreferrer">{file.name} {details}</a>;
  return <a href={String(value)} download={file.name}>{file.name} {details}</a>;
}

/** The files a field holds (one, or several for a multi-file field), from the case's attachment list. */
function filesOf(field: string, value: unknown, attachments: AttachmentSummary[] | undefined): { file: AttachmentSummary; value: unknown }[] {
  const values = Array.isArray(value) ? value : [value];
  return values.flatMap((v, i) => {
    const pointer = Array.isArray(value) ? `${field}/${i}` : field;
    const known = attachments?.find((a) => a.pointer === pointer);
    if (known) return [{ file: known, value: v }];
    const embedded = describeDataUrl(v);
    return embedded ? [{ file: { pointer, uploadId: null, name: embedded.name, size: embedded.bytes, type: embedded.mime }, value: v }] : [];
  });
}

/** The submitted data as a read-only table, sections as in the form; requested items highlighted. */
export function CaseData({ schema, data, lang, highlight = [], attachments }: { schema: unknown; data: unknown; lang: Lang; highlight?: string[]; attachments?: AttachmentSummary[] }) {
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
            const files = field.kind === "attachment" ? filesOf(field.pointer, value, attachments) : [];
            rows.push(
              <tr key={field.pointer} className={highlight.includes(field.pointer) ? "bk-highlight" : undefined} data-field={field.pointer}>
                <th>{field.title}</th>
                <td>
                  {files.length > 0 ? (
                    files.map(({ file, value: v }) => <div key={file.pointer}><FileLink file={file} value={v} lang={lang} /></div>)
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
