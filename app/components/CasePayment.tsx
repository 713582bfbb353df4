/**
 * The fee a case owes and how to pay it: the amount and its lines, the due date, the state (awaiting payment,
 * paid on …, expired), the PromptPay bill-payment QR code, the references in large copyable text and the
 * pay-in slip for a bank counter. The applicant pays from here; the agency's staff see the same, read only.
 * While the requestPayment effect has not run yet the panel says the details are being prepared and the page
 * reloads its data until they are there.
 */
import { bangkokDate } from "~/core/time/bangkok-clock";
import { pick, type Lang } from "~/core/text";
import { formatDate, formatDateTime } from "~/core/thai/buddhist-date";
import { formatBaht } from "~/core/payments/fees";
import { PAYMENT_TEXT as T } from "~/i18n/payment-resources";
import type { CasePaymentView } from "~/services/payments/get-case-payments.server";
import { useRevalidateWhile } from "./CaseDocuments";

export function CasePayment({ payments, preparing, isStaff, lang }: { payments: CasePaymentView[]; preparing: boolean; isStaff: boolean; lang: Lang }) {
  useRevalidateWhile(preparing, 1000);
  if (payments.length === 0 && !preparing) return null;
  return (
    <>
      {preparing && payments.length === 0 ? (
        <section className="bk-card bk-payment" data-testid="case-payment" data-state="preparing" aria-labelledby="payment-heading">
          <h2 id="payment-heading" style={{ marginTop: 0 }}>{pick(T.heading, lang)}</h2>
          <div role="status" aria-live="polite" className="bk-alert info" style={{ marginBottom: 0 }}>
            <span className="bk-spinner" aria-hidden="true" /> {pick(T.preparing, lang)}
          </div>
        </section>
      ) : null}
      {payments.map((p) => (
        <PaymentPanel key={p.reference} payment={p} isStaff={isStaff} lang={lang} />
      ))}
    </>
  );
}

function PaymentPanel({ payment: p, isStaff, lang }: { payment: CasePaymentView; isStaff: boolean; lang: Lang }) {
  const headingId = `payment-${p.reference}`;
  const amountText = `${p.amount} ${lang === "th" ? "บาท" : "THB"}`;
  return (
    <section className={`bk-card bk-payment ${p.state}`} data-testid="case-payment" data-state={p.state} data-reference={p.reference} aria-labelledby={headingId}>
      <h2 id={headingId} style={{ marginTop: 0 }}>{pick(T.heading, lang)}</h2>
      {isStaff ? <p className="bk-muted">{pick(T.staffNote, lang)}</p> : null}
      <div className="bk-payment-grid">
        <div>
          <dl className="bk-dl">
            <dt>{pick(T.total, lang)}</dt>
            <dd className="bk-payment-total" data-testid="payment-amount">{amountText}</dd>
            <dt>{pick(T.status, lang)}</dt>
            <dd data-testid="payment-status">
              {p.state === "due" ? <span className="bk-badge paused">{pick(T.due, lang)}</span> : null}
              {p.state === "paid" ? <span className="bk-badge done">{pick(T.paid, lang)} {p.paidAt ? formatDateTime(p.paidAt, lang) : ""}</span> : null}
              {p.state === "expired" ? <span className="bk-badge overdue">{pick(T.expired, lang)}</span> : null}
              {p.state === "cancelled" ? <span className="bk-badge">{pick(T.cancelled, lang)}</span> : null}
            </dd>
            {p.state === "due" || p.state === "expired" ? (
              <>
                <dt>{pick(T.dueBy, lang)}</dt>
                <dd data-testid="payment-due">{formatDate(bangkokDate(new Date(p.dueAt)), lang)} ({pick(T.dueNote, lang)})</dd>
              </>
            ) : null}
          </dl>
          {p.state === "expired" ? <p className="bk-alert warn">{pick(T.expiredNote, lang)}</p> : null}

          <table className="bk-table" style={{ marginTop: 14 }}>
            <caption className="bk-muted" style={{ textAlign: "left", padding: "4px 0" }}>{pick(T.caption, lang)}</caption>
            <thead>
              <tr>
                <th scope="col">{pick(T.item, lang)}</th>
                <th scope="col" className="num">{pick(T.amount, lang)}</th>
              </tr>
            </thead>
            <tbody>
              {p.lines.map((line, i) => (
                <tr key={i}>
                  <td>{pick(line.label, lang)}</td>
                  <td className="num">{formatBaht(line.amountSatang)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{pick(T.total, lang)}</th>
                <td className="num"><strong>{p.amount}</strong></td>
              </tr>
            </tfoot>
          </table>

          {p.state === "due" && p.billerId ? (
            <>
              <p style={{ marginBottom: 6 }}>{pick(T.orCounter, lang)}:</p>
              <dl className="bk-dl" data-testid="payment-references">
                <dt>{pick(T.billerId, lang)}</dt>
                <dd className="bk-payment-ref" data-testid="payment-biller">{p.billerId}</dd>
                <dt>{pick(T.ref1, lang)}</dt>
                <dd className="bk-payment-ref" data-testid="payment-ref1">{p.reference}</dd>
                <dt>{pick(T.ref2, lang)}</dt>
                <dd className="bk-payment-ref" data-testid="payment-ref2">{p.ref2}</dd>
              </dl>
            </>
          ) : null}
          {p.state === "due" && !p.billerId ? <p className="bk-alert warn">{pick(T.noBiller, lang)}</p> : null}
          {p.slipUrl ? (
            <p>
              <a className="bk-button secondary" href={p.slipUrl} download={`pay-in-slip-${p.reference}.pdf`} data-testid="payment-slip">{pick(T.slip, lang)}</a>
            </p>
          ) : null}
          {p.state === "paid" ? (
            p.receiptUrl ? (
              <p><a className="bk-button secondary" href={p.receiptUrl} data-testid="payment-receipt">{pick(T.receipt, lang)}</a></p>
            ) : (
              <p className="bk-muted">{pick(T.receiptPending, lang)}</p>
            )
          ) : null}
        </div>
        {p.qrUrl ? (
          <figure className="bk-payment-qr" style={{ margin: 0 }}>
            <img src={p.qrUrl} alt={`${pick(T.qrAlt, lang)} ${amountText}`} data-testid="payment-qr" />
            <figcaption>
              <strong>{pick(T.scan, lang)}</strong>
              <div className="bk-muted" style={{ fontSize: ".9rem" }}>{pick(T.scanNote, lang)}</div>
            </figcaption>
          </figure>
        ) : null}
      </div>
    </section>
  );
}
