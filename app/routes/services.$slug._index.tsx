import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { WorkflowDiagram } from "~/components/WorkflowDiagram";
import { pick } from "~/core/text";
import { manualSteps } from "~/core/definitions/manual";
import { getAgency } from "~/models/agency.server";
import { getCurrentService } from "~/models/service.server";
import { connectDb } from "~/utils/db.server";
import { requestLang } from "~/utils/lang.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${pick(data.manifest.title, data.lang)} — Borikan` : "Borikan" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await connectDb();
  const found = await getCurrentService(params.slug ?? "");
  if (!found) throw new Response("Service not found / ไม่พบบริการ", { status: 404 });
  const agency = await getAgency(found.service.agencyId);
  return json({
    lang: await requestLang(request),
    slug: found.summary._id,
    isTemplate: found.summary.isTemplate,
    version: found.service.version,
    agency: agency?.name ?? null,
    statisticsOf: !found.summary.isTemplate && agency ? agency.code : null,
    manifest: found.service.definition.manifest,
    workflow: found.service.definition.workflow,
  });
}

/** The public manual of the Licensing Facilitation Act, generated from the definition. */
export default function ServiceManual() {
  const { lang, slug, isTemplate, version, agency, statisticsOf, manifest, workflow } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const steps = manualSteps(workflow);
  return (
    <>
      <span className={`bk-badge ${manifest.level}`}>{t(`catalogue.level.${manifest.level}`)}</span>
      <h1>{pick(manifest.title, lang)}</h1>
      <p className="bk-muted">
        {pick(agency ?? undefined, lang)} · {t("manual.version")} {version}
        {statisticsOf ? <> · <Link to={`/agencies/${statisticsOf}/statistics`} data-testid="agency-statistics-link">{lang === "th" ? "สถิติการให้บริการของหน่วยงาน" : "The agency's service statistics"}</Link></> : null}
      </p>
      <div className="bk-two-col">
        <div>
          <p>{pick(manifest.description, lang)}</p>
          <h2>{t("manual.steps")}</h2>
          <table className="bk-table" data-testid="manual-steps">
            <thead>
              <tr><th>#</th><th>{t("manual.step")}</th><th>{t("manual.duration")}</th><th>{t("manual.role")}</th></tr>
            </thead>
            <tbody>
              {steps.map((step, i) => (
                <tr key={step.id}>
                  <td>{i + 1}</td>
                  <td>{pick(step.label, lang)}{step.description ? <div className="bk-muted">{pick(step.description, lang)}</div> : null}</td>
                  <td>{step.pausesSla ? t("manual.waiting") : step.slaDays ? t("manual.workingDays", { count: step.slaDays }) : "—"}</td>
                  <td>{step.roles.map((r) => t(`roles.${r}`)).join(", ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>{t("manual.diagram")}</h2>
          <div className="bk-diagram">
            <WorkflowDiagram config={workflow} lang={lang} title={pick(manifest.title, lang)} />
          </div>
          <h2>{t("manual.documents")}</h2>
          <ol>
            {manifest.documents.map((d, i) => (
              <li key={i}>{pick(d.label, lang)} <span className="bk-muted">({d.required ? t("manual.required") : t("manual.optional")})</span></li>
            ))}
          </ol>
        </div>
        <aside className="bk-card">
          {!isTemplate ? <Link className="bk-button" to={`/services/${slug}/apply`} data-testid="apply">{t("manual.apply")}</Link> : null}
          <dl className="bk-dl" style={{ marginTop: 16 }}>
            <dt>{t("manual.totalTime")}</dt>
            <dd><strong>{t("manual.workingDays", { count: manifest.statutoryDays })}</strong></dd>
            <dt>{t("manual.fees")}</dt>
            <dd>
              {manifest.fees.length === 0 ? t("manual.noFee") : manifest.fees.map((f, i) => (
                <div key={i}>
                  {pick(f.label, lang)}: {f.amount.toLocaleString("th-TH")}{f.amountMax ? `–${f.amountMax.toLocaleString("th-TH")}` : ""} {t("manual.baht")}
                  {f.note ? <div className="bk-muted">{pick(f.note, lang)}</div> : null}
                </div>
              ))}
            </dd>
            {manifest.law ? (<><dt>{t("manual.law")}</dt><dd>{pick(manifest.law, lang)}</dd></>) : null}
            {manifest.responsibleUnit ? (<><dt>{t("manual.unit")}</dt><dd>{pick(manifest.responsibleUnit, lang)}</dd></>) : null}
            {manifest.criteria ? (<><dt>{t("manual.criteria")}</dt><dd>{pick(manifest.criteria, lang)}</dd></>) : null}
            <dt>{t("manual.channels")}</dt>
            <dd>{t("manual.channelText")}</dd>
          </dl>
        </aside>
      </div>
    </>
  );
}
