import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { pick } from "~/core/text";
import { formatDateTime } from "~/core/thai/buddhist-date";
import { listInbox } from "~/models/case.server";
import { getServiceVersion, listServices, versionId } from "~/models/service.server";
import { requireSessionActor } from "~/utils/auth.server";
import { requestLang } from "~/utils/lang.server";

export const meta: MetaFunction = () => [{ title: "กล่องงาน / Inbox — Borikan" }];

const PAGE_SIZE = 50;

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireSessionActor(request);
  if (actor.kind !== "staff") throw redirect("/");
  const url = new URL(request.url);
  const service = url.searchParams.get("service") || undefined;
  const state = url.searchParams.get("state") || undefined;
  const statusParam = url.searchParams.get("status");
  const status = statusParam === "done" || statusParam === "overdue" ? statusParam : "active";
  const page = Math.max(1, Number(url.searchParams.get("page")) || 1);
  const services = await listServices({ agencyId: actor.agencyId, isTemplate: false });
  const { rows, total } = await listInbox({ agencyId: actor.agencyId, serviceSlug: service, stateValue: state, status }, page, PAGE_SIZE);
  // State labels of every current workflow, for the filter and the rows.
  const stateLabels: Record<string, { th: string; en: string }> = {};
  for (const s of services) {
    const published = await getServiceVersion(versionId(s._id, s.currentVersion));
    for (const [id, st] of Object.entries(published?.definition.workflow.states ?? {})) stateLabels[id] ??= st.meta.label;
  }
  return json({
    lang: await requestLang(request),
    filter: { service: service ?? "", state: state ?? "", status },
    page,
    pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    total,
    services: services.map((s) => ({ slug: s._id, title: s.title })),
    stateLabels,
    now: new Date().toISOString(),
    rows: rows.map((r) => ({
      id: String(r._id),
      trackingNumber: r.trackingNumber,
      serviceSlug: r.serviceSlug,
      state: r.stateValue,
      applicantName: r.summary?.applicantName ?? "",
      subject: r.summary?.subject ?? "",
      receivedAt: r.receipt.receivedAt,
      dueAt: r.sla.stateDueAt,
      paused: r.sla.paused,
    })),
  });
}

export default function Inbox() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const titles = Object.fromEntries(d.services.map((s) => [s.slug, s.title]));
  const query = (page: number) => new URLSearchParams({ ...d.filter, page: String(page) }).toString();
  return (
    <>
      <h1>{t("inbox.title")}</h1>
      <Form method="get" className="bk-filters">
        <label className="bk-field">{t("inbox.service")}
          <select name="service" defaultValue={d.filter.service}>
            <option value="">{t("inbox.all")}</option>
            {d.services.map((s) => <option key={s.slug} value={s.slug}>{pick(s.title, d.lang)}</option>)}
          </select>
        </label>
        <label className="bk-field">{t("inbox.state")}
          <select name="state" defaultValue={d.filter.state}>
            <option value="">{t("inbox.all")}</option>
            {Object.entries(d.stateLabels).map(([id, label]) => <option key={id} value={id}>{pick(label, d.lang)}</option>)}
          </select>
        </label>
        <label className="bk-field">{d.lang === "th" ? "สถานะ" : "Status"}
          <select name="status" defaultValue={d.filter.status}>
            <option value="active">{d.lang === "th" ? "กำลังดำเนินการ" : "In progress"}</option>
            <option value="overdue">{t("case.overdue")}</option>
            <option value="done">{t("case.done")}</option>
          </select>
        </label>
        <button className="bk-button" type="submit">{t("inbox.filter")}</button>
        <span className="bk-muted">{t("inbox.total", { count: d.total })}</span>
      </Form>
      {d.rows.length === 0 ? <p className="bk-muted">{t("inbox.empty")}</p> : (
        <table className="bk-table" data-testid="inbox">
          <thead>
            <tr><th>{t("receipt.tracking")}</th><th>{t("inbox.applicant")} / {t("inbox.subject")}</th><th>{t("inbox.service")}</th><th>{t("inbox.state")}</th><th>{t("inbox.received")}</th><th>{t("inbox.due")}</th></tr>
          </thead>
          <tbody>
            {d.rows.map((r) => {
              const overdue = !r.paused && r.dueAt && new Date(r.dueAt) < new Date(d.now);
              return (
                <tr key={r.id} data-tracking={r.trackingNumber}>
                  <td><Link to={`/cases/${r.id}`}>{r.trackingNumber}</Link></td>
                  <td>{r.applicantName}<div className="bk-muted">{r.subject}</div></td>
                  <td>{pick(titles[r.serviceSlug], d.lang)}</td>
                  <td>{pick(d.stateLabels[r.state], d.lang)}</td>
                  <td>{formatDateTime(r.receivedAt, d.lang)}</td>
                  <td>
                    {r.dueAt ? formatDateTime(r.dueAt, d.lang) : "—"}{" "}
                    {r.paused ? <span className="bk-badge paused">{t("case.paused")}</span> : null}
                    {overdue ? <span className="bk-badge overdue">{t("case.overdue")}</span> : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {d.pages > 1 ? (
        <div className="bk-pagination">
          {d.page > 1 ? <Link to={`?${query(d.page - 1)}`}>←</Link> : null}
          <span>{d.page} / {d.pages}</span>
          {d.page < d.pages ? <Link to={`?${query(d.page + 1)}`}>→</Link> : null}
        </div>
      ) : null}
    </>
  );
}
