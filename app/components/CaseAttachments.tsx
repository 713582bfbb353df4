/**
 * The files attached to a case, for officers and the applicant: what each is, its SHA-256 (to match
 * a copy against the original), a preview for PDFs and photos, a download, and all of them as a zip.
 * Files embedded in older applications (data URLs) are listed without preview or download here.
 */
import { useEffect, useRef, useState } from "react";
import type { Lang } from "~/core/text";
import { formatBytes, typeLabels } from "~/core/uploads/upload-format";
import type { CaseAttachment } from "~/core/uploads/upload-rules";

export type { CaseAttachment };

const TEXT = {
  th: {
    caption: "เอกสารแนบ",
    field: "รายการ",
    name: "ชื่อไฟล์",
    size: "ขนาด",
    type: "ประเภท",
    sha256: "SHA-256",
    actions: "ดำเนินการ",
    preview: "ดูตัวอย่าง",
    download: "ดาวน์โหลด",
    zip: "ดาวน์โหลดทั้งหมด (ZIP)",
    copy: "คัดลอก",
    copied: "คัดลอกแล้ว",
    copyHash: (shown: string, name: string) => `${shown} ค่า SHA-256 ของ ${name}`,
    close: "ปิด",
    none: "ไม่มีเอกสารแนบ",
    embedded: "แนบในข้อมูลคำขอ (รูปแบบเดิม)",
    previewOf: (name: string) => `ตัวอย่างไฟล์ ${name}`,
  },
  en: {
    caption: "Attachments",
    field: "Item",
    name: "File name",
    size: "Size",
    type: "Type",
    sha256: "SHA-256",
    actions: "Actions",
    preview: "Preview",
    download: "Download",
    zip: "Download all (ZIP)",
    copy: "Copy",
    copied: "Copied",
    copyHash: (shown: string, name: string) => `${shown}: the SHA-256 of ${name}`,
    close: "Close",
    none: "No attachments",
    embedded: "Embedded in the application data (older format)",
    previewOf: (name: string) => `Preview of ${name}`,
  },
};

const PREVIEWABLE = ["application/pdf", "image/png", "image/jpeg"];
const fileUrl = (id: string) => `/files/${encodeURIComponent(id)}`;
const shortHash = (hash: string) => (hash.length > 16 ? `${hash.slice(0, 8)}…${hash.slice(-8)}` : hash);

export function CaseAttachments({ caseId, attachments, lang }: { caseId: string; attachments: CaseAttachment[]; lang: Lang }) {
  const text = TEXT[lang];
  const [viewing, setViewing] = useState<CaseAttachment | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const dialogRef = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (viewing && !dialog.open) {
      if (typeof dialog.showModal === "function") dialog.showModal();
      else dialog.setAttribute("open", "");
    } else if (!viewing && dialog.open) {
      dialog.close();
    }
  }, [viewing]);

  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(null), 2000);
    return () => clearTimeout(timer);
  }, [copied]);

  const copy = (hash: string) => {
    navigator.clipboard?.writeText(hash).then(
      () => setCopied(hash),
      () => undefined, // no clipboard permission: the full value is still in the title to select
    );
  };

  if (attachments.length === 0) {
    return (
      <div className="bk-att" data-testid="attachments">
        <p className="bk-muted">{text.none}</p>
      </div>
    );
  }

  return (
    <div className="bk-att" data-testid="attachments">
      <table className="bk-table bk-att-table">
        {/* The page gives the section its heading; the caption names the table for screen readers. */}
        <caption className="bk-att-sr">{text.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{text.field}</th>
            <th scope="col">{text.name}</th>
            <th scope="col">{text.size}</th>
            <th scope="col">{text.type}</th>
            <th scope="col">{text.sha256}</th>
            <th scope="col">
              <span className="bk-att-sr">{text.actions}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {attachments.map((file) => (
            <tr key={file.pointer} data-testid={`attachment-${file.pointer}`} data-upload-id={file.uploadId ?? undefined}>
              <td className="bk-att-title">{file.title}</td>
              <td className="bk-att-name">
                {file.name}
                {file.uploadId === null && <div className="bk-muted bk-att-embedded">{text.embedded}</div>}
              </td>
              <td className="bk-att-size">{formatBytes(file.size, lang)}</td>
              <td className="bk-att-type" title={file.type}>
                {typeLabels([file.type], lang)[0] ?? file.type}
              </td>
              <td className="bk-att-hash">
                {file.sha256 ? (
                  <>
                    <code title={file.sha256}>{shortHash(file.sha256)}</code>
                    <button type="button" className="bk-button secondary bk-att-copy" aria-label={text.copyHash(copied === file.sha256 ? text.copied : text.copy, file.name)} onClick={() => copy(file.sha256!)}>
                      {copied === file.sha256 ? text.copied : text.copy}
                    </button>
                  </>
                ) : (
                  <span className="bk-muted">—</span>
                )}
              </td>
              <td className="bk-att-actions">
                {file.uploadId !== null && (
                  <>
                    {PREVIEWABLE.includes(file.type) && (
                      <button type="button" className="bk-button secondary" data-testid="attachment-preview" onClick={() => setViewing(file)}>
                        {text.preview}
                      </button>
                    )}
                    <a className="bk-button secondary" data-testid="attachment-download" href={`${fileUrl(file.uploadId)}?download=1`} download={file.name}>
                      {text.download}
                    </a>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="bk-att-zip">
        <a className="bk-button" data-testid="attachments-zip" href={`/cases/${encodeURIComponent(caseId)}/attachments.zip`} download>
          {text.zip}
        </a>
      </p>
      <dialog ref={dialogRef} className="bk-att-viewer" data-testid="attachment-viewer" aria-label={viewing ? text.previewOf(viewing.name) : text.preview} onClose={() => setViewing(null)}>
        {viewing?.uploadId && (
          <>
            <header className="bk-att-viewer-head">
              <strong className="bk-att-viewer-name">{viewing.name}</strong>
              <a className="bk-button secondary" href={`${fileUrl(viewing.uploadId)}?download=1`} download={viewing.name}>
                {text.download}
              </a>
              <button type="button" className="bk-button secondary" onClick={() => setViewing(null)}>
                {text.close}
              </button>
            </header>
            {viewing.type === "application/pdf" ? (
              <iframe className="bk-att-frame" src={fileUrl(viewing.uploadId)} title={text.previewOf(viewing.name)} />
            ) : (
              <img className="bk-att-image" src={fileUrl(viewing.uploadId)} alt={text.previewOf(viewing.name)} />
            )}
          </>
        )}
      </dialog>
    </div>
  );
}
