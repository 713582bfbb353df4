import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { WorkflowDiagram } from "~/components/WorkflowDiagram";
import { pick } from "~/core/text";
import { manualSteps } from "~/core/definitions/manual";
import { feeRows, paymentTermsInWords } from "~/core/payments/fee-wording";
import { transitionsOf, type WorkflowConfig } from "~/core/workflow/types";
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
    // The fee table with each line's conditions in words (field titles from the form), and how fees are paid
    // when the workflow asks for them electronically.
    fees: feeRows(found.service.definition.manifest.fees, found.service.definition.form.schema),
    paying: asksForFees(found.service.definition.workflow) ? paymentTermsInWords(found.service.definition.manifest.payment) : null,
  });
}

function asksForFees(workflow: WorkflowConfig): boolean {
  return Object.values(workflow.states).some((state) => transitionsOf(state).some(([, t]) => t.actions?.some((a) => a.type === "requestPayment")));
}

/** The public manual of the Licensing Facilitation Act, generated from the definition. */
export default function ServiceManual() {
  const { lang, slug, isTemplate, version, agency, statisticsOf, manifest, workflow, fees, paying } = useLoaderData<typeof loader>();
  const amount = (baht: number) => baht.toLocaleString("en-US", { minimumFractionDigits: Number.isInteger(baht) ? 0 : 2 });
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
          {fees.length > 0 ? (
            <>
              <h2 id="fees">{t("manual.fees")}</h2>
              <table className="bk-table" data-testid="manual-fees">
                <caption style={{ textAlign: "left", fontWeight: 600, padding: "6px 0" }}>{t("manual.feeTable")}</caption>
                <thead>
                  <tr><th scope="col">{t("manual.feeItem")}</th><th scope="col" style={{ textAlign: "right" }}>{t("manual.feeAmount")}</th></tr>
                </thead>
                <tbody>
                  {fees.map((f, i) => (
                    <tr key={i} data-fee={i}>
                      <td>
                        {pick(f.label, lang)}
                        <div className="bk-muted" data-testid="fee-when">{f.when ? pick(f.when, lang) : t("manual.feeAlways")}</div>
                        {f.note ? <div className="bk-muted">{pick(f.note, lang)}</div> : null}
                      </td>
                      <td style={{ textAlign: "right", whiteSpace: "nowrap" }}>{amount(f.amount)}{f.amountMax ? `–${amount(f.amountMax)}` : ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {paying ? <p data-testid="manual-paying">{pick(paying, lang)}</p> : null}
            </>
          ) : null}
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
              {fees.length === 0 ? t("manual.noFee") : (
                <>
                  {feeRange(fees, amount)} {t("manual.baht")} · <a href="#fees">{t("manual.feeSeeTable")}</a>
                </>
              )}
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

/** "200–2,500": from the cheapest line to the sum of every line (conditions decide which apply). */
function feeRange(fees: { amount: number; amountMax?: number }[], amount: (baht: number) => string): string {
  const low = Math.min(...fees.map((f) => f.amount));
  const high = fees.reduce((sum, f) => sum + (f.amountMax ?? f.amount), 0);
  return low === high ? amount(low) : `${amount(low)}–${amount(high)}`;
}
