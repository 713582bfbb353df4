import { useTranslation } from "react-i18next";
import type { PublicPermitView } from "~/core/permits/public-view";
import type { EffectiveStatus } from "~/core/permits/types";
import { pick, type Lang } from "~/core/text";
import { formatDate } from "~/core/thai/buddhist-date";
import { formatJuristicId } from "~/core/thai/juristic-id";
import { ON_BEHALF_OF_TEXT } from "~/i18n/on-behalf-of-resources";

export function PermitStatusBadge({ status, large = false }: { status: EffectiveStatus | "unknown"; large?: boolean }) {
  const { t } = useTranslation();
  return <span className={`bk-status ${status}${large ? " large" : ""}`}>{t(`status.${status}`)}</span>;
}

/** The printed details of a permit as a definition list — the same on the page, the card and search results. */
export function PermitFacts({ view, lang }: { view: Pick<PublicPermitView, "number" | "holderName" | "holderEntity" | "businessName" | "activity" | "address" | "details" | "conditions" | "issuedOn" | "validUntil" | "agencyName" | "renews" | "renewedBy" | "source">; lang: Lang }) {
  const { t } = useTranslation();
  const permitLink = (n: string) => <a href={`/permits/${encodeURIComponent(n)}`}>{n}</a>;
  return (
    <dl className="bk-facts">
      <dt>{t("permit.number")}</dt>
      <dd data-testid="permit-number">{view.number}</dd>
      <dt>{t("permit.holder")}</dt>
      <dd data-testid="permit-holder">
        {view.holderName}
        {view.holderEntity ? (
          <span className="bk-muted" data-testid="permit-holder-declared">
            {" "}({formatJuristicId(view.holderEntity.juristicId)} · {pick(ON_BEHALF_OF_TEXT.declared, lang)})
          </span>
        ) : null}
      </dd>
      <dt>{t("permit.business")}</dt>
      <dd>{view.businessName}</dd>
      {view.activity ? (
        <>
          <dt>{t("permit.activity")}</dt>
          <dd>{view.activity}</dd>
        </>
      ) : null}
      <dt>{t("permit.address")}</dt>
      <dd>{view.address.text}</dd>
      {view.details.map((d) => (
        <div key={d.key} className="bk-facts-row">
          <dt>{pick(d.label, lang)}</dt>
          <dd>{d.value}</dd>
        </div>
      ))}
      <dt>{t("permit.agency")}</dt>
      <dd>{pick(view.agencyName, lang)}</dd>
      <dt>{t("permit.issuedOn")}</dt>
      <dd>{formatDate(view.issuedOn, lang)}</dd>
      <dt>{t("permit.validUntil")}</dt>
      <dd data-testid="permit-valid-until">{formatDate(view.validUntil, lang)}</dd>
      {view.renews ? (
        <>
          <dt>{t("permit.renews")}</dt>
          <dd>{permitLink(view.renews)}</dd>
        </>
      ) : null}
      {view.renewedBy ? (
        <>
          <dt>{t("permit.renewedBy")}</dt>
          <dd>{permitLink(view.renewedBy)}</dd>
        </>
      ) : null}
      {view.conditions.length > 0 ? (
        <>
          <dt>{t("permit.conditions")}</dt>
          <dd>
            <ol className="bk-conditions">
              {view.conditions.map((c, i) => (
                <li key={i}>{pick(c, lang)}</li>
              ))}
            </ol>
          </dd>
        </>
      ) : null}
      {view.source === "import" ? <dd className="bk-muted bk-facts-note">{t("permit.imported")}</dd> : null}
    </dl>
  );
}
