import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AUDIT_ACTION_NAMES, AUDIT_ACTIONS } from "~/core/audit/actions";
import { httpStatusFor, isAppError } from "~/core/errors";
import { pick } from "~/core/text";
import { formatDateTime } from "~/core/thai/buddhist-date";
import { auditLogView } from "~/services/audit/audit-log-view.server";
import { requireSessionActor } from "~/utils/auth.server";
import { requestLang } from "~/utils/lang.server";

export const meta: MetaFunction = () => [{ title: "บันทึกการตรวจสอบ / Audit log — Borikan" }];

const FILTERS = ["agency", "action", "actor", "target", "from", "to"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireSessionActor(request);
  const url = new URL(request.url);
  const query = Object.fromEntries([...FILTERS, "before"].map((k) => [k, url.searchParams.get(k)]));
  try {
    const view = await auditLogView(actor, query);
    return json({ lang: await requestLang(request), view, query });
  } catch (error) {
    if (isAppError(error)) throw new Response(`${error.text.th} / ${error.text.en}`, { status: httpStatusFor(error.code) });
    throw error;
  }
}

function detailsText(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([k, v]) => `${k}: ${typeof v === "object" && v !== null ? JSON.stringify(v) : String(v)}`)
    .join(" · ");
}

export default function AuditLog() {
  const { lang, view, query } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const { status } = view;
  const keep = new URLSearchParams(Object.entries(query).filter(([k, v]) => k !== "before" && v) as [string, string][]);
  const olderHref = view.olderBefore ? `?${new URLSearchParams([...keep, ["before", String(view.olderBefore)]])}` : null;
  return (
    <div style={{ display: "grid", gridTemplateColumns: "minmax(0, 1fr)", gap: 14 }}>
      <h1>{t("audit.title")}</h1>
      <p className="bk-muted">{t("audit.intro")}</p>

      <div className={`bk-alert ${status.problems.length > 0 || status.checkpoint?.ok === false ? "error" : "ok"}`} role="status" data-testid="chain-status">
        {view.lastSeq === 0 ? (
          t("audit.empty")
        ) : status.problems.length === 0 ? (
          t("audit.intact", { from: status.checkedFrom, to: status.checkedTo, last: view.lastSeq })
        ) : (
          <>
            {t("audit.broken", { from: status.checkedFrom, to: status.checkedTo })}
            <ul>
              {status.problems.map((p) => (
                <li key={`${p.kind}-${p.seq}`}>#{p.seq} {t(`audit.problem.${p.kind}`)} — {p.message}</li>
              ))}
            </ul>
          </>
        )}
        <br />
        {status.checkpoint
          ? status.checkpoint.ok
            ? t("audit.checkpoint", { seq: status.checkpoint.seq, at: formatDateTime(status.checkpoint.at, lang) })
            : t("audit.checkpointBad", { seq: status.checkpoint.seq, problem: status.checkpoint.problem })
          : t("audit.noCheckpoint")}
      </div>

      <Form method="get" className="bk-filters">
        {view.agencies ? (
          <label className="bk-field">
            {t("audit.agency")}
            <select name="agency" defaultValue={view.agencyId}>
              {view.agencies.map((a) => (
                <option key={a.id} value={a.id}>{pick(a.name, lang)}</option>
              ))}
            </select>
          </label>
        ) : null}
        <label className="bk-field">
          {t("audit.action")}
          <select name="action" defaultValue={query.action ?? ""}>
            <option value="">{t("audit.anyAction")}</option>
            {AUDIT_ACTION_NAMES.map((name) => (
              <option key={name} value={name}>{pick(AUDIT_ACTIONS[name].label, lang)}</option>
            ))}
          </select>
        </label>
        <label className="bk-field">{t("audit.actor")}<input name="actor" defaultValue={query.actor ?? ""} /></label>
        <label className="bk-field">{t("audit.target")}<input name="target" defaultValue={query.target ?? ""} /></label>
        <label className="bk-field">{t("audit.from")}<input type="date" name="from" defaultValue={query.from ?? ""} /></label>
        <label className="bk-field">{t("audit.to")}<input type="date" name="to" defaultValue={query.to ?? ""} /></label>
        <button className="bk-button" type="submit">{t("audit.filter")}</button>
        <Link to={view.agencies ? `?agency=${encodeURIComponent(view.agencyId)}` : "?"}>{t("audit.clear")}</Link>
      </Form>

      <table className="bk-table" data-testid="audit-table">
        <thead>
          <tr>
            <th>#</th>
            <th>{t("audit.when")}</th>
            <th>{t("audit.who")}</th>
            <th>{t("audit.what")}</th>
            <th>{t("audit.on")}</th>
            <th>{t("audit.details")}</th>
          </tr>
        </thead>
        <tbody>
          {view.rows.length === 0 ? (
            <tr><td colSpan={6} className="bk-muted">{t("audit.none")}</td></tr>
          ) : (
            view.rows.map((row) => (
              <tr key={row.seq} data-action={row.action}>
                <td>{row.seq}</td>
                <td style={{ whiteSpace: "nowrap" }}>{formatDateTime(row.at, lang)}</td>
                <td>{row.actor.name || t("audit.anonymous")}<div className="bk-muted"><small>{row.actor.kind}{row.actor.id ? ` · ${row.actor.id}` : ""}</small></div></td>
                <td>{pick(AUDIT_ACTIONS[row.action]?.label, lang) || row.action}</td>
                <td>{row.target.type}<div className="bk-muted"><small>{row.target.id}</small></div></td>
                <td><small>{detailsText(row.details)}</small></td>
              </tr>
            ))
          )}
        </tbody>
      </table>
      <p style={{ display: "flex", gap: 16 }}>
        {query.before ? <Link to={`?${keep}`}>{t("audit.newest")}</Link> : null}
        {olderHref ? <Link to={olderHref}>{t("audit.older")} →</Link> : null}
      </p>
    </div>
  );
}
