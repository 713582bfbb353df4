import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import QRCode from "qrcode";
import { useTranslation } from "react-i18next";
import { publicPermitView } from "~/core/permits/public-view";
import { pick } from "~/core/text";
import { formatDate, todayInBangkok } from "~/core/thai/buddhist-date";
import { getPermit } from "~/models/permit.server";
import { verifyUrlOf } from "~/services/permit-documents.server";
import { requestLang } from "~/utils/lang.server";
import { PermitStatusBadge } from "~/components/PermitFacts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.view.number} — ป้ายแสดงใบอนุญาต / Display card — Borikan` : "Borikan" }];

/**
 * The display card for the premises (s.13): one A4 sheet with the essentials and a large QR that opens
 * the live verification, so a printed card can never hide a later suspension or revocation.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const permit = await getPermit(params.number ?? "");
  if (!permit) throw new Response("ไม่พบใบอนุญาต / Permit not found", { status: 404 });
  return json({
    lang: await requestLang(request),
    view: publicPermitView(permit, todayInBangkok()),
    qrSvg: await QRCode.toString(verifyUrlOf(permit.signature.jws), { type: "svg", errorCorrectionLevel: "M", margin: 1 }),
  });
}

export default function DisplayCard() {
  const { lang, view, qrSvg } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="bk-display-card" data-testid="display-card">
      <p className="bk-no-print">
        <button className="bk-button" type="button" onClick={() => window.print()}>
          {t("permit.card")}
        </button>
      </p>
      <article className="bk-card-sheet">
        <header>
          <div className="bk-card-agency">{pick(view.agencyName, lang)}</div>
          <h1>{pick(view.typeName, lang)}</h1>
        </header>
        <div className="bk-card-business">{view.businessName}</div>
        <div className="bk-card-activity">{view.activity}</div>
        <div className="bk-card-address">{view.address.text}</div>
        <div className="bk-card-qr" dangerouslySetInnerHTML={{ __html: qrSvg }} />
        <div className="bk-card-scan">{t("permit.scan")}</div>
        <table className="bk-card-facts">
          <tbody>
            <tr><th>{t("permit.number")}</th><td>{view.number}</td></tr>
            <tr><th>{t("permit.holder")}</th><td>{view.holderName}</td></tr>
            <tr><th>{t("permit.issuedOn")}</th><td>{formatDate(view.issuedOn, lang)}</td></tr>
            <tr><th>{t("permit.validUntil")}</th><td>{formatDate(view.validUntil, lang)}</td></tr>
            <tr><th>{t("permit.status")}</th><td><PermitStatusBadge status={view.status} /></td></tr>
          </tbody>
        </table>
        <footer>{t("permit.displayNotice")}</footer>
      </article>
    </div>
  );
}
