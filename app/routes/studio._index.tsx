import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigate } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { adminFetch, type ApiError } from "~/components/studio/admin-client";
import { ROLE_LABELS } from "~/core/workflow/labels";
import { WorkflowDiagram } from "~/components/WorkflowDiagram";
import { httpStatusFor, isAppError } from "~/core/errors";
import { pick, type Lang } from "~/core/text";
import { startDraftFromPublished } from "~/services/admin/service-admin.server";
import { requireStudioActor, studioOverview, type StudioService, type TemplateCard } from "~/services/admin/studio-overview.server";
import studioStyles from "~/styles/studio.css";
import { requestLang } from "~/utils/lang.server";
import { CsrfField } from "~/components/CsrfField";
import { pageHandler, readForm, requireMethod } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "สตูดิโอบริการ / Service studio — Borikan" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: studioStyles }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireStudioActor(request);
  return json({ lang: await requestLang(request), ...(await studioOverview(actor)) });
}

/** "Edit this service": a draft copied from the current published version. */
export const action = ({ request }: ActionFunctionArgs) =>
  pageHandler(async () => {
    requireMethod(request, "POST");
    const actor = await requireStudioActor(request);
    const slug = String((await readForm(request)).get("slug") ?? "");
    try {
      await startDraftFromPublished(actor, slug);
    } catch (error) {
      if (!isAppError(error)) throw error;
      // A draft that already exists is simply opened.
      if (error.code !== "CONFLICT") return json({ error: error.text }, { status: httpStatusFor(error.code) });
    }
    return redirect(`/studio/${slug}`);
  });

export default function StudioHome() {
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const prefix = d.owner.isTemplate ? "" : `${d.owner.agencyId}-`;
  return (
    <div className="bk-studio-home">
      <h1>{t("studio.title")}</h1>
      <p className="bk-muted">{d.owner.isTemplate ? t("studio.introOpdc") : t("studio.intro")}</p>
      {actionData?.error ? <div className="bk-alert error" role="alert">{pick(actionData.error, d.lang)}</div> : null}
      <h2>{d.owner.isTemplate ? t("studio.yourTemplates") : t("studio.yourServices")}</h2>
      <ServiceTable services={d.services} lang={d.lang} />
      <NewServiceForm prefix={prefix} lang={d.lang} />
      {d.owner.isTemplate ? null : (
        <>
          <h2>{t("studio.library")}</h2>
          <p className="bk-muted">{t("studio.libraryIntro")}</p>
          <div className="bk-studio-library">
            {d.templates.map((template) => (
              <TemplateLibraryCard key={template.slug} template={template} prefix={prefix} taken={d.services.map((s) => s.slug)} lang={d.lang} />
            ))}
          </div>
        </>
      )}
    </div>
  );
}

function ServiceTable({ services, lang }: { services: StudioService[]; lang: Lang }) {
  const { t } = useTranslation();
  if (services.length === 0) return <p className="bk-muted">{t("studio.noServices")}</p>;
  return (
    <table className="bk-table" data-testid="studio-services">
      <thead>
        <tr>
          <th>{t("studio.service")}</th>
          <th>{t("studio.published")}</th>
          <th>{t("studio.draft")}</th>
          <th>{t("studio.template")}</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {services.map((s) => (
          <tr key={s.slug} data-testid={`studio-service-${s.slug}`}>
            <td>
              <strong>{pick(s.title, lang)}</strong>
              <div className="bk-muted bk-studio-slug">{s.slug}</div>
            </td>
            <td>{s.currentVersion ? <Link to={`/services/${s.slug}`}>{t("studio.version", { version: s.currentVersion })}</Link> : <span className="bk-muted">{t("studio.notPublished")}</span>}</td>
            <td>
              {s.draft ? (
                <span className={`bk-badge ${s.draft.unpublishedChanges ? "paused" : "done"}`}>{s.draft.unpublishedChanges ? t("studio.draftChanged") : t("studio.draftClean")}</span>
              ) : (
                <span className="bk-muted">{t("studio.noDraft")}</span>
              )}
            </td>
            <td>
              {s.sourceTemplate ? (
                <>
                  <span className="bk-studio-slug">{s.sourceTemplate.id}</span> · {t("studio.version", { version: s.sourceTemplate.version })}
                  {s.sourceTemplate.latestVersion && s.sourceTemplate.latestVersion > s.sourceTemplate.version ? (
                    <div>
                      <span className="bk-badge overdue" data-testid={`template-update-${s.slug}`}>{t("studio.templateUpdate", { version: s.sourceTemplate.latestVersion })}</span>
                    </div>
                  ) : null}
                </>
              ) : (
                "—"
              )}
            </td>
            <td>
              {s.draft ? (
                <Link className="bk-button secondary" to={`/studio/${s.slug}`} data-testid={`studio-open-${s.slug}`}>{t("studio.open")}</Link>
              ) : (
                <Form method="post">
                  <CsrfField />
                  <input type="hidden" name="slug" value={s.slug} />
                  <button className="bk-button secondary" type="submit" data-testid={`studio-edit-${s.slug}`}>{t("studio.startEditing")}</button>
                </Form>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ErrorBox({ error, lang }: { error: ApiError | null; lang: Lang }) {
  if (!error) return null;
  const param = error.details && typeof error.details.param === "string" ? ` (${error.details.param})` : "";
  return <div className="bk-alert error" role="alert">{pick(error.message, lang)}{param}</div>;
}

function NewServiceForm({ prefix, lang }: { prefix: string; lang: Lang }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [slug, setSlug] = useState(prefix);
  const [title, setTitle] = useState({ th: "", en: "" });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await adminFetch<{ slug: string }>("", { method: "POST", body: { slug, title } });
    setBusy(false);
    if (result.ok) navigate(`/studio/${result.data.slug}`);
    else setError(result.error);
  };
  return (
    <details className="bk-card bk-studio-new">
      <summary>{t("studio.newService")}</summary>
      <p className="bk-muted">{t("studio.newServiceHint")}</p>
      <form onSubmit={submit} className="bk-studio-new-form">
        <label className="bk-field">
          {t("studio.slug")}
          <input value={slug} onChange={(e) => setSlug(e.target.value)} required data-testid="new-service-slug" />
          <span className="bk-muted">{t("studio.slugHint", { prefix: prefix || "a-z" })}</span>
        </label>
        <label className="bk-field">
          {t("studio.titleTh")}
          <input value={title.th} onChange={(e) => setTitle({ ...title, th: e.target.value })} required lang="th" data-testid="new-service-title-th" />
        </label>
        <label className="bk-field">
          {t("studio.titleEn")}
          <input value={title.en} onChange={(e) => setTitle({ ...title, en: e.target.value })} required lang="en" data-testid="new-service-title-en" />
        </label>
        <button className="bk-button" type="submit" disabled={busy} data-testid="new-service-create">{busy ? t("studio.creating") : t("studio.create")}</button>
      </form>
      <ErrorBox error={error} lang={lang} />
    </details>
  );
}

/** A free slug for a clone: `<agency>-<template>`, then -2, -3 … when taken. */
function suggestedSlug(prefix: string, template: string, taken: string[]): string {
  const base = `${prefix}${template}`;
  if (!taken.includes(base)) return base;
  for (let i = 2; ; i++) if (!taken.includes(`${base}-${i}`)) return `${base}-${i}`;
}

function TemplateLibraryCard({ template, prefix, taken, lang }: { template: TemplateCard; prefix: string; taken: string[]; lang: Lang }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [slug, setSlug] = useState(() => suggestedSlug(prefix, template.slug, taken));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const m = template.manifest;
  const clone = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await adminFetch<{ slug: string }>("", { method: "POST", body: { slug, fromTemplate: template.slug } });
    setBusy(false);
    if (result.ok) navigate(`/studio/${result.data.slug}`);
    else setError(result.error);
  };
  const fees = m.fees.length === 0 ? t("studio.noFee") : m.fees.map((f) => `${pick(f.label, lang)} ${f.amount.toLocaleString("th-TH")}${f.amountMax ? `–${f.amountMax.toLocaleString("th-TH")}` : ""} ฿`).join(" · ");
  return (
    <article className="bk-card bk-studio-template" data-testid={`template-${template.slug}`}>
      <div className="bk-studio-template-head">
        <span className={`bk-badge ${m.level}`}>{t(`catalogue.level.${m.level}`)}</span>
        <span className="bk-muted">{t("studio.version", { version: template.version })}</span>
      </div>
      <h3>{pick(m.title, lang)}</h3>
      <p>{pick(m.description, lang)}</p>
      <ul className="bk-studio-facts">
        <li>{t("studio.statutoryDays", { count: m.statutoryDays })}</li>
        <li>{t("studio.steps", { count: Object.keys(template.workflow.states).length })}</li>
        {m.issuesPermit ? <li>{t("studio.issuesPermit")}</li> : null}
        <li>{t("studio.fees")}: {fees}</li>
      </ul>
      <details className="bk-studio-template-diagram">
        <summary>{t("studio.diagram")}</summary>
        <div className="bk-diagram">
          <WorkflowDiagram config={template.workflow} lang={lang} roleLabels={ROLE_LABELS} />
        </div>
      </details>
      <p><Link to={`/services/${template.slug}`}>{t("studio.manual")}</Link></p>
      <form onSubmit={clone} className="bk-studio-clone">
        <label className="bk-field">
          {t("studio.cloneAs")}
          <input value={slug} onChange={(e) => setSlug(e.target.value)} required data-testid={`clone-slug-${template.slug}`} />
        </label>
        <button className="bk-button" type="submit" disabled={busy} data-testid={`clone-${template.slug}`}>{busy ? t("studio.cloning") : t("studio.clone")}</button>
      </form>
      <ErrorBox error={error} lang={lang} />
    </article>
  );
}
