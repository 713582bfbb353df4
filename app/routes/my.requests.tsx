import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { pick } from "~/core/text";
import { formatDateTime } from "~/core/thai/buddhist-date";
import { listCasesOfApplicant } from "~/models/case.server";
import { getServiceVersion } from "~/models/service.server";
import { requireSessionActor } from "~/utils/auth.server";
import { requestLang } from "~/utils/lang.server";

export const meta: MetaFunction = () => [{ title: "คำขอของฉัน / My requests — Borikan" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireSessionActor(request);
  const rows = await listCasesOfApplicant(actor.id);
  return json({
    lang: await requestLang(request),
    rows: await Promise.all(
      rows.map(async (r) => {
        const published = await getServiceVersion(r.serviceVersionId);
        return {
          id: String(r._id),
          trackingNumber: r.trackingNumber,
          title: published?.definition.manifest.title ?? null,
          stateLabel: published?.definition.workflow.states[r.stateValue]?.meta.label ?? null,
          status: r.status,
          outcome: r.outcome ?? null,
          receivedAt: r.receipt.receivedAt,
          waitingOnMe: Boolean(r.sla.paused),
        };
      }),
    ),
  });
}

export default function MyRequests() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <>
      <h1>{t("my.title")}</h1>
      <p>
        <a href="/my/personal-data.zip" download data-testid="personal-data-download">{t("my.download")}</a>
        {" · "}
        <Link to="/privacy">{t("privacy.link")}</Link>
      </p>
      {d.rows.length === 0 ? <p className="bk-muted">{t("my.empty")}</p> : (
        <table className="bk-table" data-testid="my-requests">
          <thead><tr><th>{t("receipt.tracking")}</th><th>{t("inbox.service")}</th><th>{t("case.status")}</th><th>{t("inbox.received")}</th></tr></thead>
          <tbody>
            {d.rows.map((r) => (
              <tr key={r.id}>
                <td><Link to={`/cases/${r.id}`}>{r.trackingNumber}</Link></td>
                <td>{pick(r.title ?? undefined, d.lang)}</td>
                <td>
                  {pick(r.stateLabel ?? undefined, d.lang)}{" "}
                  {r.waitingOnMe && r.status === "active" ? <span className="bk-badge paused">{t("case.paused")}</span> : null}
                  {r.status === "done" ? <span className={`bk-badge ${r.outcome ?? "done"}`}>{t("case.done")}</span> : null}
                </td>
                <td>{formatDateTime(r.receivedAt, d.lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
