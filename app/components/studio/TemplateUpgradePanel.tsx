import { useCallback, useEffect, useState } from "react";
import type { JsonChange } from "~/core/definitions/definition-diff";
import type { ServiceDefinition } from "~/core/definitions/types";
import { pick, type Lang } from "~/core/text";
import { adminFetch, type ApiError } from "./admin-client";
import { DiffTable, rowsOfChanges } from "./DiffTable";

type Conflict = { path: string; base: unknown; theirs: unknown; ours: unknown };
type Status = {
  rev: number;
  sourceTemplate: { id: string; version: number };
  latestVersion: number;
  upToDate: boolean;
  templateChanges: JsonChange[];
  preview: { applied: JsonChange[]; kept: { path: string }[]; conflicts: Conflict[] };
};
export type AppliedDraft = { rev: number; definition: ServiceDefinition };

const TEXT = {
  th: {
    loading: "กำลังตรวจสอบแม่แบบ…",
    upToDate: "ร่างนี้ใช้แม่แบบ {{id}} ฉบับล่าสุด ({{v}}) แล้ว",
    behind: "ก.พ.ร. ปรับปรุงแม่แบบ {{id}} จากฉบับที่ {{from}} เป็นฉบับที่ {{to}}",
    changes: "สิ่งที่ ก.พ.ร. เปลี่ยนในแม่แบบ",
    before: "แม่แบบฉบับที่ {{v}} (ที่คุณนำมาใช้)",
    after: "แม่แบบฉบับที่ {{v}}",
    preview: "ถ้ารับการปรับปรุง: ใช้การเปลี่ยนแปลง {{applied}} รายการ คงการแก้ไขของหน่วยงาน {{kept}} รายการ ขัดแย้ง {{conflicts}} รายการ",
    conflicts: "จุดที่ขัดแย้ง (คงค่าของหน่วยงานไว้ ตรวจดูแล้วแก้เองถ้าต้องการ)",
    theirs: "ค่าในแม่แบบใหม่",
    ours: "ค่าของหน่วยงาน (คงไว้)",
    apply: "รับการปรับปรุงเข้าร่าง",
    applying: "กำลังรวม…",
    applied: "รวมการปรับปรุงแล้ว: ใช้ {{applied}} รายการ ขัดแย้ง {{conflicts}} รายการ (คงค่าของหน่วยงาน) ตรวจสอบแล้วเผยแพร่ได้",
  },
  en: {
    loading: "Checking the template…",
    upToDate: "This draft is on the latest version ({{v}}) of template {{id}}",
    behind: "OPDC updated template {{id}} from version {{from}} to version {{to}}",
    changes: "What OPDC changed in the template",
    before: "Template version {{v}} (the one you cloned)",
    after: "Template version {{v}}",
    preview: "Applying would take {{applied}} changes, keep {{kept}} of your agency's changes, and find {{conflicts}} conflicts",
    conflicts: "Conflicts (your agency's value is kept; review and adjust if needed)",
    theirs: "New template value",
    ours: "Your agency's value (kept)",
    apply: "Apply the update to the draft",
    applying: "Merging…",
    applied: "Update merged: {{applied}} changes taken, {{conflicts}} conflicts kept at your value. Verify, then publish.",
  },
} as const;

const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k] ?? ""));

/**
 * For a draft cloned from an OPDC template: what OPDC changed since, side by side, what applying would do, and
 * the button that merges it into the draft (the agency's own changes kept, conflicts listed).
 */
export function TemplateUpgradePanel({ slug, lang, ensureSaved, onApplied }: { slug: string; lang: Lang; ensureSaved: () => Promise<boolean>; onApplied: (draft: AppliedDraft) => void }) {
  const tx = TEXT[lang];
  const [status, setStatus] = useState<Status | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ applied: number; conflicts: number } | null>(null);
  const load = useCallback(async () => {
    if (!(await ensureSaved())) return;
    const r = await adminFetch<Status>(`/${slug}/upgrade`);
    if (r.ok) setStatus(r.data);
    else setError(r.error);
  }, [slug, ensureSaved]);
  useEffect(() => void load(), [load]);
  const apply = async () => {
    if (!status) return;
    setBusy(true);
    const r = await adminFetch<{ draft: AppliedDraft; applied: JsonChange[]; conflicts: Conflict[] }>(`/${slug}/upgrade`, { method: "POST", body: { rev: status.rev } });
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setResult({ applied: r.data.applied.length, conflicts: r.data.conflicts.length });
    onApplied(r.data.draft);
    await load();
  };
  if (error) return <div className="bk-alert error" role="alert">{pick(error.message, lang)}</div>;
  if (!status) return <p className="bk-muted">{tx.loading}</p>;
  const { id, version } = status.sourceTemplate;
  return (
    <div className="bk-upgrade" data-testid="upgrade-panel">
      {result ? <div className="bk-alert ok" role="status">{fill(tx.applied, result)}</div> : null}
      {status.upToDate ? (
        <div className="bk-alert ok">{fill(tx.upToDate, { id, v: version })}</div>
      ) : (
        <>
          <div className="bk-alert warn">{fill(tx.behind, { id, from: version, to: status.latestVersion })}</div>
          <h3>{tx.changes}</h3>
          <DiffTable
            rows={rowsOfChanges(status.templateChanges)}
            leftTitle={fill(tx.before, { v: version })}
            rightTitle={fill(tx.after, { v: status.latestVersion })}
            lang={lang}
            testId="template-changes"
          />
          <p>{fill(tx.preview, { applied: status.preview.applied.length, kept: status.preview.kept.length, conflicts: status.preview.conflicts.length })}</p>
          {status.preview.conflicts.length > 0 ? (
            <>
              <h3>{tx.conflicts}</h3>
              <DiffTable
                rows={status.preview.conflicts.map((c) => ({ path: c.path, left: c.theirs, right: c.ours, note: "conflict" as const }))}
                leftTitle={tx.theirs}
                rightTitle={tx.ours}
                lang={lang}
                testId="template-conflicts"
              />
            </>
          ) : null}
          <button type="button" className="bk-button" onClick={() => void apply()} disabled={busy} data-testid="upgrade-apply">
            {busy ? tx.applying : tx.apply}
          </button>
        </>
      )}
    </div>
  );
}
