import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { DayChart, ServiceChart } from "~/components/finance/FinanceCharts";
import { isAppError } from "~/core/errors";
import { formatBaht } from "~/core/payments/fees";
import { PAYMENT_SOURCE_LABELS } from "~/core/payments/payment-source";
import { pick, type LocalizedText } from "~/core/text";
import { formatDate, formatDateTime } from "~/core/thai/buddhist-date";
import { FINANCE_TEXT as T } from "~/i18n/finance-text";
import { getFinanceOverview } from "~/services/payments/get-finance-overview.server";
import { requireSessionActor } from "~/utils/auth.server";
import { pageHandler } from "~/utils/http.server";
import { requestLang } from "~/utils/lang.server";
import styles from "~/styles/oversight.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction = () => [{ title: "การเงิน / Finance — Borikan" }];

/** The agency's fees received (cashiers and agency admins). A malformed ?month= is shown as a field error. */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireSessionActor(request);
  return pageHandler(async () => {
    const lang = await requestLang(request);
    const month = new URL(request.url).searchParams.get("month");
    try {
      return json({ lang, overview: await getFinanceOverview(actor, { month }), monthError: null as LocalizedText | null, askedMonth: month });
    } catch (error) {
      if (!isAppError(error) || error.code !== "BAD_REQUEST") throw error;
      return json({ lang, overview: await getFinanceOverview(actor), monthError: error.text, askedMonth: month }, { status: 400 });
    }
  });
}

export default function FinanceOverviewPage() {
  const { lang, overview, monthError, askedMonth } = useLoaderData<typeof loader>();
  const t = (text: LocalizedText) => pick(text, lang);
  const summary = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (monthError) summary.current?.focus();
  }, [monthError]);
  const baht = (satang: number) => formatBaht(satang);
  const monthLabel = formatDate(`${overview.month}-01`, lang).replace(/^1\s+/, "");
  return (
    <div>
      {monthError ? (
        <div className="bk-error-summary" role="alert" tabIndex={-1} ref={summary} data-testid="error-summary">
          <h2>{t(T.errorSummary)}</h2>
          <ul><li><a href="#finance-month">{t(monthError)}</a></li></ul>
        </div>
      ) : null}
      <h1>{t(T.title)}</h1>
      <p className="bk-muted">{t(T.intro)}</p>

      <ul className="bk-kpis" data-testid="finance-kpis">
        <li><strong data-testid="month-total">{baht(overview.monthTotalSatang)}</strong>{t(T.monthTotal)} ({monthLabel})</li>
        <li><strong data-testid="due-count">{overview.dueCount}</strong>{t(T.due)}</li>
        <li><strong data-testid="expired-count">{overview.expiredCount}</strong>{t(T.expired)}</li>
      </ul>

      <Form method="get" className="bk-card" style={{ display: "flex", flexWrap: "wrap", gap: 12, alignItems: "flex-end", marginBottom: 16 }}>
        <div className={`bk-field${monthError ? " bk-field-error" : ""}`} style={{ margin: 0 }}>
          <label htmlFor="finance-month" style={{ display: "block", fontWeight: 600 }}>{t(T.month)}</label>
          <span className="bk-muted" id="finance-month-hint" style={{ display: "block" }}>{t(T.monthHint)}</span>
          {monthError ? <span id="finance-month-error" className="bk-error-message" style={{ display: "block" }}>{t(monthError)}</span> : null}
          <input
            id="finance-month"
            name="month"
            type="month"
            defaultValue={monthError ? askedMonth ?? "" : overview.month}
            aria-describedby={`finance-month-hint${monthError ? " finance-month-error" : ""}`}
            aria-invalid={monthError ? true : undefined}
          />
        </div>
        <button className="bk-button" type="submit">{t(T.show)}</button>
        <a href={`/finance/payments.csv?month=${overview.month}`} download data-testid="payments-csv">{t(T.csv)}</a>
      </Form>

      <section className="bk-figure" aria-labelledby="per-day-heading">
        <h2 id="per-day-heading">{t(T.perDay)}</h2>
        <DayChart
          title={t(T.perDay)}
          desc={t(T.perDayDesc)}
          seriesLabel={t(T.baht)}
          days={overview.perDay.map((d) => ({ day: d.day, baht: d.totalSatang / 100 }))}
        />
        <div className="bk-figure-table" style={{ maxHeight: 420, overflowY: "auto" }} tabIndex={0} aria-label={t(T.perDay)}>
          <table className="bk-table" data-testid="table-per-day">
            <caption>{t(T.perDay)}</caption>
            <thead><tr><th scope="col">{t(T.day)}</th><th scope="col">{t(T.count)}</th><th scope="col">{t(T.amount)}</th></tr></thead>
            <tbody>
              {[...overview.perDay].reverse().map((d) => (
                <tr key={d.day}>
                  <th scope="row">{formatDate(d.day, lang)}</th>
                  <td className="bk-num">{d.count}</td>
                  <td className="bk-num">{baht(d.totalSatang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="bk-figure" aria-labelledby="per-service-heading">
        <h2 id="per-service-heading">{t(T.perService)} — {monthLabel}</h2>
        <ServiceChart
          title={`${t(T.perService)} — ${monthLabel}`}
          desc={t(T.perServiceDesc)}
          seriesLabel={t(T.baht)}
          services={overview.perService.map((s) => ({ label: pick(s.serviceTitle, lang), baht: s.totalSatang / 100 }))}
        />
        <div className="bk-figure-table">
          <table className="bk-table" data-testid="table-per-service">
            <caption>{t(T.perService)} — {monthLabel}</caption>
            <thead><tr><th scope="col">{t(T.service)}</th><th scope="col">{t(T.count)}</th><th scope="col">{t(T.amount)}</th></tr></thead>
            <tbody>
              {overview.perService.length === 0 ? (
                <tr><td colSpan={3}>{t(T.noPayments)}</td></tr>
              ) : (
                overview.perService.map((s) => (
                  <tr key={s.serviceSlug}>
                    <th scope="row">{pick(s.serviceTitle, lang)}</th>
                    <td className="bk-num">{s.count}</td>
                    <td className="bk-num">{baht(s.totalSatang)}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="latest-heading" style={{ marginBottom: 24 }}>
        <h2 id="latest-heading">{t(T.latest)}</h2>
        <div style={{ overflowX: "auto" }} tabIndex={0} aria-label={t(T.latest)}>
          <table className="bk-table" data-testid="latest-payments">
            <caption>{t(T.latest)}</caption>
            <thead>
              <tr>
                <th scope="col">{t(T.paidAt)}</th><th scope="col">{t(T.reference)}</th><th scope="col">{t(T.tracking)}</th>
                <th scope="col">{t(T.amount)}</th><th scope="col">{t(T.source)}</th><th scope="col">{t(T.receipt)}</th>
              </tr>
            </thead>
            <tbody>
              {overview.latest.length === 0 ? (
                <tr><td colSpan={6}>{t(T.latestNone)}</td></tr>
              ) : (
                overview.latest.map((p) => (
                  <tr key={p.reference} data-testid="payment-row">
                    <td>{formatDateTime(p.paidAt, lang)}</td>
                    <td><code>{p.reference}</code></td>
                    <td>{p.trackingNumber}</td>
                    <td className="bk-num">{baht(p.amountSatang)}</td>
                    <td>{t(PAYMENT_SOURCE_LABELS[p.source])}</td>
                    <td>{p.receiptNumber ?? <span className="bk-muted">{t(T.receiptPending)}</span>}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      </section>

      <section className="bk-card" aria-labelledby="more-heading">
        <h2 id="more-heading" style={{ marginTop: 0 }}>{t(T.more)}</h2>
        <ul>
          <li><a href="/finance/imports">{t(T.imports)}</a></li>
          <li><a href="/finance/unmatched">{t(T.unmatched)}</a></li>
          <li><a href="/finance/settings">{t(T.settings)}</a></li>
        </ul>
      </section>
    </div>
  );
}
