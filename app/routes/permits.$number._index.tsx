import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import QRCode from "qrcode";
import { useTranslation } from "react-i18next";
import { httpStatusFor, isAppError } from "~/core/errors";
import { allowedStatusChanges } from "~/core/permits/permit-rules";
import { pick } from "~/core/text";
import { formatDate, formatDateTime } from "~/core/thai/buddhist-date";
import { canManagePermit, changeStatus } from "~/services/permit-lifecycle.server";
import { verifyUrlOf } from "~/services/permit-documents.server";
import { enforcePageRateLimit } from "~/services/security/rate-limits.server";
import { verifyPermitNumber } from "~/services/verify-permit.server";
import { getPermit } from "~/models/permit.server";
import { sessionActor, requireSessionActor } from "~/utils/auth.server";
import { clientIp } from "~/utils/client-ip.server";
import { requestLang } from "~/utils/lang.server";
import { CsrfField } from "~/components/CsrfField";
import { pageHandler, readForm, requireMethod } from "~/utils/http.server";
import { PermitStatusBadge, PermitFacts } from "~/components/PermitFacts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.view.number} — ${data.view.businessName} — Borikan` : "ใบอนุญาต / Permit — Borikan" },
];

/** The public page of one permit (s.13): live status, the printed details, QR; mobile-first for inspectors (s.14). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await enforcePageRateLimit("permitVerify", clientIp(request));
  const number = params.number ?? "";
  const [verification, stored, actor] = await Promise.all([verifyPermitNumber(number), getPermit(number), sessionActor(request)]);
  if (!verification?.permit || !stored) throw new Response("ไม่พบใบอนุญาตเลขที่นี้ในทะเบียน / No permit with this number is in the registry", { status: 404 });
  const manage = canManagePermit(actor, stored);
  return json(
    {
      lang: await requestLang(request),
      view: verification.permit,
      signature: verification.signature,
      checkedAt: new Date().toISOString(),
      verifyUrl: verifyUrlOf(stored.signature.jws),
      qrSvg: await QRCode.toString(verifyUrlOf(stored.signature.jws), { type: "svg", errorCorrectionLevel: "M", margin: 1 }),
      history: stored.history.map((h) => ({ at: new Date(h.at).toISOString(), from: h.from, to: h.to, reason: h.reason })),
      manage: manage ? { rev: stored.rev, options: allowedStatusChanges(stored.status) } : null,
    },
    { headers: { "Cache-Control": "no-cache" } },
  );
}

export const action = ({ request, params }: ActionFunctionArgs) =>
  pageHandler(async () => {
    requireMethod(request, "POST");
    const actor = await requireSessionActor(request);
    const form = await readForm(request);
    try {
      await changeStatus(actor, params.number ?? "", { to: form.get("to"), reason: form.get("reason"), rev: form.get("rev") });
      return json({ ok: true as const });
    } catch (error) {
      if (isAppError(error)) return json({ ok: false as const, message: error.text }, { status: httpStatusFor(error.code) });
      throw error;
    }
  });

export default function PermitPage() {
  const { lang, view, signature, checkedAt, verifyUrl, qrSvg, history, manage } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const path = `/permits/${encodeURIComponent(view.number)}`;
  return (
    <div className="bk-permit-page">
      <section className={`bk-permit-status ${view.status}`} data-testid="permit-status" data-status={view.status}>
        <PermitStatusBadge status={view.status} large />
        <div>
          <div className="bk-permit-number">{view.number}</div>
          <div className="bk-muted">
            {t("permit.checkedAt")} {formatDateTime(checkedAt, lang)}
          </div>
          {view.statusReason && view.status !== "valid" ? (
            <div data-testid="status-reason">
              {t("permit.statusReason")}: {view.statusReason}
            </div>
          ) : null}
        </div>
      </section>

      <div className="bk-permit-layout">
        <section className="bk-card">
          <h1 className="bk-permit-title">{pick(view.typeName, lang)}</h1>
          <PermitFacts view={view} lang={lang} />
          {view.displayRequired ? <p className="bk-notice">{t("permit.displayNotice")}</p> : null}
        </section>

        <aside className="bk-card bk-permit-qr">
          <div className="bk-qr" role="img" aria-label={t("permit.scan")} dangerouslySetInnerHTML={{ __html: qrSvg }} />
          <p>
            <a href={verifyUrl} data-testid="verify-link">{t("permit.scan")}</a>
          </p>
          <p className={signature.valid ? "bk-ok" : "bk-bad"} data-testid="signature-check">
            {t("permit.signature")}: {signature.valid ? t("permit.signatureValid", { kid: signature.kid }) : `${t("permit.signatureInvalid")} — ${pick(signature.reason, lang)}`}
          </p>
          <p className="bk-actions-col">
            <a className="bk-button" href={`${path}/permit.pdf`} data-testid="permit-pdf">{t("permit.download")}</a>
            <a className="bk-button secondary" href={`${path}/card`}>{t("permit.card")}</a>
          </p>
        </aside>
      </div>

      {history.length > 0 ? (
        <section className="bk-card">
          <h2>{t("permit.history")}</h2>
          <ul className="bk-plain-list">
            {history.map((h) => (
              <li key={h.at}>
                {formatDateTime(h.at, lang)} — {t(`status.${h.from}`)} → <strong>{t(`status.${h.to}`)}</strong>: {h.reason}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {manage && manage.options.length > 0 ? (
        <section className="bk-card" data-testid="permit-manage">
          <h2>{t("permit.manage")}</h2>
          {result && !result.ok ? <p className="bk-error" role="alert">{pick(result.message, lang)}</p> : null}
          <Form method="post" className="bk-form-row">
            <CsrfField />
            <input type="hidden" name="rev" value={manage.rev} />
            <label className="bk-field">
              {t("permit.changeTo")}
              <select name="to" defaultValue={manage.options[0]}>
                {manage.options.map((o) => (
                  <option key={o} value={o}>{t(`status.${o}`)}</option>
                ))}
              </select>
            </label>
            <label className="bk-field bk-grow">
              {t("permit.reason")}
              <input name="reason" required minLength={5} />
            </label>
            <button className="bk-button danger" type="submit" disabled={navigation.state !== "idle"}>{t("permit.apply")}</button>
          </Form>
        </section>
      ) : null}
      <p className="bk-muted">
        <a href={verifyUrl}>{t("permit.verifyOffline")}</a> · {t("permit.issuedOn")} {formatDate(view.issuedOn, lang)}
      </p>
    </div>
  );
}
