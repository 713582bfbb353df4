/**
 * The documents of a case (permits, signed letters) and those still being produced off the request path. While
 * something is being prepared the section says so in a live region and reloads the page's data on an interval
 * (useRevalidator), stopping once nothing is pending; a failed run that waits for a retry is said plainly.
 */
import { useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { formatBaht } from "~/core/payments/fees";
import { pick, type Lang } from "~/core/text";
import { formatDate, formatDateTime } from "~/core/thai/buddhist-date";
import type { CaseDocuments as Documents } from "~/services/case-documents.server";

/** A first run takes about a second: look often. A failed one waits a minute or more for the worker. */
const PREPARING_POLL_MS = 1000;
const RETRYING_POLL_MS = 15_000;

export function CaseDocuments({ documents, lang }: { documents: Documents; lang: Lang }) {
  const { t } = useTranslation();
  // E-mail notices are not shown here: the page itself is the applicant's copy.
  const pending = documents.pending.filter((p) => p.kind !== "notice");
  const retrying = pending.find((p) => p.state === "retrying");
  useRevalidateWhile(pending.length > 0, retrying ? RETRYING_POLL_MS : PREPARING_POLL_MS);
  if (documents.issued.length === 0 && pending.length === 0) return null;
  return (
    <section className="bk-card bk-documents" data-testid="case-documents" style={{ marginBottom: 16 }}>
      <h2 style={{ marginTop: 0 }}>{t("permit.documents")}</h2>
      {documents.issued.length > 0 ? (
        <ul className="bk-plain-list">
          {documents.issued.map((doc) =>
            doc.kind === "permit" ? (
              <li key={doc.number} data-testid="issued-permit" data-number={doc.number}>
                <strong>{pick(doc.title, lang)}</strong> {t("permit.letterNo")} {doc.number} ({t("permit.validUntil")} {formatDate(doc.validUntil, lang)}){" "}
                <a className="bk-button" href={doc.pdfUrl} download={`${doc.number}.pdf`} data-testid="permit-download">{t("permit.download")}</a>{" "}
                <a href={doc.pageUrl}>{t("permit.openPermit")}</a>
              </li>
            ) : doc.kind === "receipt" ? (
              <li key={doc.id} data-testid="issued-receipt" data-number={doc.number}>
                <a href={doc.pdfUrl}>{pick(doc.title, lang)}</a> {t("permit.letterNo")} {doc.number} ({formatBaht(doc.amountSatang)} {lang === "th" ? "บาท" : "baht"})
              </li>
            ) : (
              <li key={doc.id} data-testid="issued-letter">
                <a href={doc.pdfUrl}>{pick(doc.title, lang)}</a> {t("permit.letterNo")} {doc.number}
              </li>
            ),
          )}
        </ul>
      ) : null}
      {/* Always in the page while the section is, so assistive technology announces the change to "ready". */}
      <div role="status" aria-live="polite" data-testid="documents-pending" data-state={pending.length === 0 ? "none" : retrying ? "retrying" : "preparing"}>
        {pending.length > 0 ? (
          <div className={`bk-alert ${retrying ? "warn" : "info"}`} style={{ marginBottom: 0 }}>
            <strong>
              {retrying ? (
                <>
                  {t("permit.retrying")}
                  {retrying.retryAfter ? <> ({t("permit.retryAfter", { time: formatDateTime(retrying.retryAfter, lang) })})</> : null}
                </>
              ) : (
                <>
                  <span className="bk-spinner" aria-hidden="true" /> {t("permit.preparingAll")}
                </>
              )}
            </strong>
            <ul className="bk-plain-list">
              {pending.map((doc, i) => (
                <li key={`${doc.effect}-${i}`} data-testid="pending-document" data-kind={doc.kind}>
                  {pick(doc.title, lang)}
                </li>
              ))}
            </ul>
            <div className="bk-muted">{t(retrying ? "permit.retryNote" : "permit.preparingNote")}</div>
          </div>
        ) : null}
      </div>
    </section>
  );
}

/** Reloads the route's data every `everyMs` while `active`, skipping a beat while a load or submission runs. */
export function useRevalidateWhile(active: boolean, everyMs: number) {
  const revalidator = useRevalidator();
  const navigation = useNavigation();
  const latest = useRef({ revalidator, navigation });
  latest.current = { revalidator, navigation };
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      // A hidden tab need not poll; it catches up when shown again.
      const { revalidator, navigation } = latest.current;
      if (revalidator.state === "idle" && navigation.state === "idle" && document.visibilityState !== "hidden") revalidator.revalidate();
    }, everyMs);
    return () => clearInterval(timer);
  }, [active, everyMs]);
}
