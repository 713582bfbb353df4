import { useEffect, useMemo, useState } from "react";
import { diffJson, type JsonChange } from "~/core/definitions/definition-diff";
import type { ServiceDefinition } from "~/core/definitions/types";
import { pick, type Lang, type LocalizedText } from "~/core/text";
import { formatDateTime } from "~/core/thai/buddhist-date";
import { adminFetch, type ApiError } from "./admin-client";
import { DiffTable, rowsOfChanges } from "./DiffTable";

export type VersionEntry = { version: number; publishedAt: string; title: LocalizedText };

const TEXT = {
  th: {
    unpublished: "การแก้ไขในร่างที่ยังไม่เผยแพร่",
    published: "ฉบับที่เผยแพร่ ({{v}})",
    draft: "ร่างปัจจุบัน",
    history: "ประวัติการเผยแพร่",
    none: "ยังไม่เคยเผยแพร่ ร่างนี้จะเป็นฉบับที่ 1",
    version: "ฉบับที่",
    publishedAt: "เผยแพร่เมื่อ",
    compare: "เปรียบเทียบฉบับ",
    from: "จาก",
    to: "กับ",
    show: "แสดงความแตกต่าง",
    note: "คำขอที่ยื่นแล้วดำเนินการต่อตามฉบับที่ใช้ตอนยื่น การเผยแพร่ฉบับใหม่มีผลกับคำขอใหม่เท่านั้น",
  },
  en: {
    unpublished: "Changes in the draft that are not published yet",
    published: "Published (version {{v}})",
    draft: "Current draft",
    history: "Publishing history",
    none: "Never published: this draft will become version 1",
    version: "Version",
    publishedAt: "Published",
    compare: "Compare versions",
    from: "From",
    to: "with",
    show: "Show differences",
    note: "Applications already filed continue on the version they were filed under; a new version applies to new applications only.",
  },
} as const;

/** Published versions, what the draft changes against the current one, and a side-by-side diff of any two versions. */
export function VersionsPanel({ slug, versions, published, draft, lang }: { slug: string; versions: VersionEntry[]; published: ServiceDefinition | null; draft: ServiceDefinition; lang: Lang }) {
  const tx = TEXT[lang];
  const unpublished = useMemo(() => (published ? diffJson(published, draft) : []), [published, draft]);
  const newest = versions[0]?.version ?? 0;
  const [from, setFrom] = useState(Math.max(1, newest - 1));
  const [to, setTo] = useState(newest);
  const [changes, setChanges] = useState<JsonChange[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const compare = async () => {
    const result = await adminFetch<{ changes: JsonChange[] }>(`/${slug}/versions?from=${from}&to=${to}`);
    if (result.ok) {
      setChanges(result.data.changes);
      setError(null);
    } else setError(result.error);
  };
  useEffect(() => setChanges(null), [from, to]);
  return (
    <div className="bk-versions" data-testid="versions-panel">
      <p className="bk-muted">{tx.note}</p>
      <h3>{tx.unpublished}</h3>
      {published ? (
        <DiffTable rows={rowsOfChanges(unpublished)} leftTitle={tx.published.replace("{{v}}", String(newest))} rightTitle={tx.draft} lang={lang} testId="unpublished-diff" />
      ) : (
        <p className="bk-muted">{tx.none}</p>
      )}
      {versions.length > 0 ? (
        <>
          <h3>{tx.history}</h3>
          <table className="bk-table">
            <thead>
              <tr><th>{tx.version}</th><th>{tx.publishedAt}</th><th /></tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.version}>
                  <td>{v.version}</td>
                  <td>{formatDateTime(new Date(v.publishedAt), lang)}</td>
                  <td>{pick(v.title, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      {versions.length > 1 ? (
        <>
          <h3>{tx.compare}</h3>
          <div className="bk-filters">
            <label className="bk-field">
              {tx.from}
              <select value={from} onChange={(e) => setFrom(Number(e.target.value))}>
                {versions.map((v) => <option key={v.version} value={v.version}>{v.version}</option>)}
              </select>
            </label>
            <label className="bk-field">
              {tx.to}
              <select value={to} onChange={(e) => setTo(Number(e.target.value))}>
                {versions.map((v) => <option key={v.version} value={v.version}>{v.version}</option>)}
              </select>
            </label>
            <button type="button" className="bk-button secondary" onClick={() => void compare()}>{tx.show}</button>
          </div>
          {error ? <div className="bk-alert error" role="alert">{pick(error.message, lang)}</div> : null}
          {changes ? <DiffTable rows={rowsOfChanges(changes)} leftTitle={`${tx.version} ${from}`} rightTitle={`${tx.version} ${to}`} lang={lang} testId="version-diff" /> : null}
        </>
      ) : null}
    </div>
  );
}
