import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useCallback, useEffect, useMemo, useState } from "react";
import { FormBuilder } from "~/components/studio/FormBuilder";
import { JsonView } from "~/components/studio/JsonView";
import { ServiceDetailsEditor } from "~/components/studio/ServiceDetailsEditor";
import { Simulator } from "~/components/studio/Simulator";
import { TemplateUpgradePanel } from "~/components/studio/TemplateUpgradePanel";
import { useDraftEditor, type SaveState } from "~/components/studio/use-draft-editor";
import { VerificationReport } from "~/components/studio/VerificationReport";
import { VersionsPanel } from "~/components/studio/VersionsPanel";
import { WorkflowBuilder } from "~/components/studio/WorkflowBuilder";
import { adminFetch, type ApiError } from "~/components/studio/admin-client";
import type { ServiceDefinition } from "~/core/definitions/types";
import { verifyServiceDefinition, type VerificationReport as Report } from "~/core/definitions/verify-definition";
import { isAppError, httpStatusFor } from "~/core/errors";
import { listFormFields } from "~/core/forms/form-fields";
import { pick, type Lang } from "~/core/text";
import { formatDateTime } from "~/core/thai/buddhist-date";
import { draftAgencyRoles, listServiceVersions, loadOwnDraft } from "~/services/admin/service-admin.server";
import { requireStudioActor } from "~/services/admin/studio-overview.server";
import { getCurrentService } from "~/models/service.server";
import studioStyles from "~/styles/studio.css";
import detailsStyles from "~/styles/studio-details.css";
import formStyles from "~/styles/studio-form.css";
import workflowStyles from "~/styles/studio-workflow.css";
import { requestLang } from "~/utils/lang.server";
import { CsrfField } from "~/components/CsrfField";

export const links: LinksFunction = () => [studioStyles, formStyles, workflowStyles, detailsStyles].map((href) => ({ rel: "stylesheet", href }));
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data && "draft" in data && data.draft ? `${pick(data.draft.definition.manifest.title, data.lang)} — สตูดิโอ / Studio — Borikan` : "สตูดิโอบริการ / Service studio — Borikan" }];

const LIVE_VERIFY_DELAY_MS = 400;
const TABS = ["form", "workflow", "details", "verify", "simulate", "versions", "upgrade", "json"] as const;
type Tab = (typeof TABS)[number];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireStudioActor(request);
  const lang = await requestLang(request);
  const slug = params.id ?? "";
  const requested = new URL(request.url).searchParams.get("tab");
  const tab: Tab = (TABS as readonly string[]).includes(requested ?? "") ? (requested as Tab) : "form";
  try {
    const draft = await loadOwnDraft(actor, slug);
    const [agencyRoles, versions, current] = await Promise.all([
      draftAgencyRoles(draft),
      draft.basedOnVersion === null ? Promise.resolve([]) : listServiceVersions(actor, slug),
      getCurrentService(slug),
    ]);
    return json({ lang, slug, tab, draft, agencyRoles, versions, published: current && current.summary.agencyId === draft.agencyId ? current.service.definition : null });
  } catch (error) {
    if (!isAppError(error)) throw error;
    // The agency's published service without a draft yet: offer to start one.
    if (error.code === "NOT_FOUND" && (await getCurrentService(slug))) return json({ lang, slug, tab, draft: null, agencyRoles: [], versions: [], published: null });
    throw new Response(pick(error.text, lang), { status: httpStatusFor(error.code) });
  }
}

const TEXT = {
  th: {
    back: "สตูดิโอบริการ",
    tabs: { form: "แบบฟอร์ม", workflow: "ขั้นตอนงาน", details: "รายละเอียดและใบอนุญาต", verify: "ตรวจสอบ", simulate: "ทดลอง", versions: "ฉบับ", upgrade: "ปรับปรุงจากแม่แบบ", json: "JSON" },
    template: "แม่แบบของ ก.พ.ร.",
    clonedFrom: "สร้างจากแม่แบบ {{id}} ฉบับที่ {{v}}",
    basedOn: "แก้จากฉบับที่เผยแพร่ {{v}}",
    neverPublished: "ยังไม่เคยเผยแพร่",
    save: { saved: "บันทึกร่างแล้ว {{at}}", dirty: "มีการแก้ไขที่ยังไม่บันทึก", saving: "กำลังบันทึก…", invalid: "บันทึกไม่ได้: นิยามไม่ถูกต้อง", failed: "บันทึกไม่สำเร็จ", conflict: "มีผู้อื่นแก้ไขร่างนี้หลังจากที่คุณเปิด" },
    saveNow: "บันทึก",
    publish: "เผยแพร่เป็นฉบับที่ {{v}}",
    publishing: "กำลังเผยแพร่…",
    published: "เผยแพร่ฉบับที่ {{v}} แล้ว คำขอใหม่จะใช้ฉบับนี้ คำขอที่ยื่นไว้แล้วยังใช้ฉบับเดิม",
    viewPublic: "ดูหน้าบริการ",
    refused: "เผยแพร่ไม่ได้: แก้ไขข้อผิดพลาดในผลการตรวจสอบก่อน",
    reload: "โหลดฉบับล่าสุด (ทิ้งการแก้ไขของคุณ)",
    keepMine: "บันทึกฉบับของฉันทับ",
    verifying: "กำลังตรวจสอบ…",
    verifyAgain: "ตรวจสอบอีกครั้ง",
    noDraft: "บริการนี้ยังไม่มีร่าง",
    startEditing: "เริ่มแก้ไขบริการนี้",
    errorsBadge: "ข้อผิดพลาด {{n}}",
  },
  en: {
    back: "Service studio",
    tabs: { form: "Form", workflow: "Workflow", details: "Details & permit", verify: "Verify", simulate: "Try it", versions: "Versions", upgrade: "Template update", json: "JSON" },
    template: "OPDC template",
    clonedFrom: "Cloned from template {{id}} version {{v}}",
    basedOn: "Editing published version {{v}}",
    neverPublished: "Never published",
    save: { saved: "Draft saved {{at}}", dirty: "Unsaved changes", saving: "Saving…", invalid: "Cannot save: the definition is invalid", failed: "Saving failed", conflict: "Someone else changed this draft after you opened it" },
    saveNow: "Save",
    publish: "Publish as version {{v}}",
    publishing: "Publishing…",
    published: "Version {{v}} is published. New applications use it; applications already filed stay on their version.",
    viewPublic: "View the service page",
    refused: "Cannot publish: fix the errors in the verification report first",
    reload: "Load the latest (discard your changes)",
    keepMine: "Save my version over it",
    verifying: "Verifying…",
    verifyAgain: "Verify again",
    noDraft: "This service has no draft yet",
    startEditing: "Start editing this service",
    errorsBadge: "{{n}} errors",
  },
} as const;

const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k] ?? ""));

export default function StudioEditor() {
  const d = useLoaderData<typeof loader>();
  const tx = TEXT[d.lang];
  if (!d.draft) {
    return (
      <div className="bk-card">
        <p>{tx.noDraft}</p>
        <Form method="post" action="/studio?index">
          <CsrfField />
          <input type="hidden" name="slug" value={d.slug} />
          <button className="bk-button" type="submit">{tx.startEditing}</button>
        </Form>
      </div>
    );
  }
  return (
    <Editor
      key={d.slug}
      lang={d.lang}
      slug={d.slug}
      initialTab={d.tab}
      draft={{ ...d.draft, definition: d.draft.definition as ServiceDefinition }}
      agencyRoles={d.agencyRoles}
      versions={d.versions}
      published={d.published as ServiceDefinition | null}
    />
  );
}

type EditorProps = {
  lang: Lang;
  slug: string;
  initialTab: Tab;
  draft: { rev: number; updatedAt: string; definition: ServiceDefinition; isTemplate: boolean; basedOnVersion: number | null };
  agencyRoles: string[];
  versions: { version: number; publishedAt: string; title: { th: string; en: string } }[];
  published: ServiceDefinition | null;
};

function SaveStatus({ save, lang, onReload, onKeepMine }: { save: SaveState; lang: Lang; onReload: () => void; onKeepMine: () => void }) {
  const tx = TEXT[lang];
  if (save.kind === "saved") return <span className="bk-studio-save saved" data-testid="save-status" data-state="saved">✓ {fill(tx.save.saved, { at: formatDateTime(save.at, lang) })}</span>;
  if (save.kind === "dirty" || save.kind === "saving") return <span className="bk-studio-save" data-testid="save-status" data-state={save.kind}>{tx.save[save.kind]}</span>;
  return (
    <div className="bk-alert error bk-studio-save-error" role="alert" data-testid="save-status" data-state={save.kind}>
      <strong>{tx.save[save.kind]}</strong>: {pick(save.error.message, lang)}
      <IssueList error={save.error} lang={lang} />
      {save.kind === "conflict" ? (
        <div className="bk-studio-conflict">
          <button type="button" className="bk-button secondary" onClick={onReload}>{tx.reload}</button>
          <button type="button" className="bk-button" onClick={onKeepMine}>{tx.keepMine}</button>
        </div>
      ) : null}
    </div>
  );
}

function IssueList({ error, lang }: { error: ApiError; lang: Lang }) {
  const issues = (error.details?.issues ?? []) as { path: string; file: string; message: { th: string; en: string } }[];
  if (issues.length === 0) return null;
  return (
    <ul className="bk-studio-issues">
      {issues.slice(0, 8).map((issue, i) => (
        <li key={i}><code>{issue.file}{issue.path}</code> — {pick(issue.message, lang)}</li>
      ))}
    </ul>
  );
}

function Editor({ lang, slug, initialTab, draft, agencyRoles, versions, published }: EditorProps) {
  const tx = TEXT[lang];
  const { t } = useTranslation();
  const editor = useDraftEditor(slug, draft);
  const { definition, change, saveNow } = editor;
  const [tab, setTab] = useState<Tab>(initialTab);
  const [report, setReport] = useState<Report | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const [publishedVersion, setPublishedVersion] = useState<number | null>(null);
  const [publishError, setPublishError] = useState<ApiError | null>(null);
  const [versionList, setVersionList] = useState(versions);
  const [publishedDefinition, setPublishedDefinition] = useState(published);
  const source = definition.manifest.sourceTemplate;
  const tabs = TABS.filter((t) => t !== "upgrade" || source);

  // A live count on the Verify tab from the same pure verifier the server runs, once typing pauses
  // (bench/studio.ts: ~6 ms for a template, ~0.4 s for a 70-step service).
  const [liveReport, setLiveReport] = useState<Report | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => {
      try {
        setLiveReport(verifyServiceDefinition(definition, { agencyRoles }));
      } catch {
        setLiveReport(null);
      }
    }, LIVE_VERIFY_DELAY_MS);
    return () => clearTimeout(timer);
  }, [definition, agencyRoles]);
  const formFields = useMemo(() => listFormFields(definition.form.schema, lang), [definition.form.schema, lang]);

  const ensureSaved = useCallback(() => saveNow(), [saveNow]);

  const verify = useCallback(async () => {
    setVerifying(true);
    const saved = await saveNow();
    const result = saved ? await adminFetch<Report>(`/${slug}/verify`, { method: "POST" }) : null;
    setVerifying(false);
    if (result?.ok) setReport(result.data);
  }, [saveNow, slug]);

  useEffect(() => {
    if (initialTab === "verify") void verify();
    // Only for the tab the page was opened on; later switches verify in open().
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const open = (next: Tab) => {
    setTab(next);
    window.history.replaceState(null, "", `?tab=${next}`);
    if (next === "verify") void verify();
  };

  const publish = async () => {
    setPublishing(true);
    setPublishError(null);
    setPublishedVersion(null);
    const saved = await saveNow();
    const result = saved ? await adminFetch<{ version: number; report: Report }>(`/${slug}/publish`, { method: "POST", body: { rev: editor.currentRev() } }) : null;
    setPublishing(false);
    if (!result) return;
    if (result.ok) {
      setPublishedVersion(result.data.version);
      setReport(result.data.report);
      setPublishedDefinition(definition);
      setVersionList([{ version: result.data.version, publishedAt: new Date().toISOString(), title: definition.manifest.title }, ...versionList]);
      return;
    }
    setPublishError(result.error);
    const refusedReport = result.error.details?.report as Report | undefined;
    if (refusedReport) {
      setReport(refusedReport);
      setTab("verify");
    }
  };

  const nextVersion = (versionList[0]?.version ?? 0) + 1;
  const errorCount = liveReport?.errors.length ?? 0;
  return (
    <div className="bk-studio">
      <p className="bk-studio-crumbs"><Link to="/studio">← {tx.back}</Link></p>
      <header className="bk-studio-head">
        <div>
          {draft.isTemplate ? <span className="bk-badge">{tx.template}</span> : null} <span className={`bk-badge ${definition.manifest.level}`}>{t(`catalogue.level.${definition.manifest.level}`)}</span>
          <h1>{pick(definition.manifest.title, lang)}</h1>
          <div className="bk-muted">
            <code>{slug}</code> · {draft.basedOnVersion ? fill(tx.basedOn, { v: draft.basedOnVersion }) : tx.neverPublished}
            {source ? <> · {fill(tx.clonedFrom, { id: source.id, v: source.version })}</> : null}
          </div>
        </div>
        <div className="bk-studio-head-actions">
          <SaveStatus save={editor.save} lang={lang} onReload={() => window.location.reload()} onKeepMine={() => void editor.overwrite()} />
          <button type="button" className="bk-button secondary" onClick={() => void saveNow()} data-testid="studio-save">{tx.saveNow}</button>
          <button type="button" className="bk-button" onClick={() => void publish()} disabled={publishing} data-testid="studio-publish">
            {publishing ? tx.publishing : fill(tx.publish, { v: nextVersion })}
          </button>
        </div>
      </header>
      {publishedVersion ? (
        <div className="bk-alert ok" role="status" data-testid="publish-result">
          {fill(tx.published, { v: publishedVersion })} <Link to={`/services/${slug}`}>{tx.viewPublic}</Link>
        </div>
      ) : null}
      {publishError ? (
        <div className="bk-alert error" role="alert" data-testid="publish-error">
          {publishError.details?.report ? tx.refused : pick(publishError.message, lang)}
        </div>
      ) : null}
      <nav className="bk-studio-tabs" role="tablist">
        {tabs.map((t) => (
          <button key={t} type="button" role="tab" aria-selected={tab === t} className={tab === t ? "active" : ""} onClick={() => open(t)} data-testid={`tab-${t}`}>
            {tx.tabs[t]}
            {t === "verify" && errorCount > 0 ? <span className="bk-studio-tab-count" title={fill(tx.errorsBadge, { n: errorCount })}>{errorCount}</span> : null}
          </button>
        ))}
      </nav>
      <section className="bk-studio-panel" role="tabpanel" data-testid={`panel-${tab}`}>
        {tab === "form" ? <FormBuilder form={definition.form as never} lang={lang} onChange={(form) => change({ ...definition, form: form as ServiceDefinition["form"] })} /> : null}
        {tab === "workflow" ? (
          <WorkflowBuilder
            workflow={definition.workflow}
            lang={lang}
            staffRoles={agencyRoles}
            formFields={formFields}
            issuesPermit={definition.manifest.issuesPermit}
            fees={definition.manifest.fees}
            onChange={(workflow) => change({ ...definition, workflow })}
          />
        ) : null}
        {tab === "details" ? (
          <ServiceDetailsEditor manifest={definition.manifest} formSchema={definition.form.schema} lang={lang} onChange={(manifest) => change({ ...definition, manifest })} />
        ) : null}
        {tab === "verify" ? (
          <>
            <button type="button" className="bk-button secondary" onClick={() => void verify()} disabled={verifying} data-testid="verify-run">{verifying ? tx.verifying : tx.verifyAgain}</button>
            <VerificationReport report={report} lang={lang} />
          </>
        ) : null}
        {tab === "simulate" ? <Simulator slug={slug} definition={definition} lang={lang} ensureSaved={ensureSaved} /> : null}
        {tab === "versions" ? <VersionsPanel slug={slug} versions={versionList} published={publishedDefinition} draft={definition} lang={lang} /> : null}
        {tab === "upgrade" && source ? <TemplateUpgradePanel slug={slug} lang={lang} ensureSaved={ensureSaved} onApplied={(d) => editor.replace({ ...d, updatedAt: new Date().toISOString() })} /> : null}
        {tab === "json" ? <JsonView definition={definition} agencyRoles={agencyRoles} lang={lang} onApply={change} /> : null}
      </section>
    </div>
  );
}
