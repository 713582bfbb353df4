import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { CsrfField } from "~/components/CsrfField";
import { AppError, httpStatusFor, isAppError, methodNotAllowed } from "~/core/errors";
import type { FieldError } from "~/core/forms/form-validation";
import { formatBaht } from "~/core/payments/fees";
import { pick, type LocalizedText } from "~/core/text";
import { formatDateTime } from "~/core/thai/buddhist-date";
import { RECONCILE_TEXT as T } from "~/i18n/reconcile-text";
import { decideUnmatchedItem } from "~/services/payments/decide-unmatched-item.server";
import { listUnmatchedItems } from "~/services/payments/list-unmatched-items.server";
import { requireSessionActor } from "~/utils/auth.server";
import { errorResponse, pageHandler, readForm } from "~/utils/http.server";
import { requestLang } from "~/utils/lang.server";

export const meta: MetaFunction = () => [{ title: "Unmatched payments — Borikan" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireSessionActor(request);
  return pageHandler(async () => json({ lang: await requestLang(request), items: await listUnmatchedItems(actor) }));
}

type ActionResult = { errors?: FieldError[]; id?: string; done?: "applied" | "set-aside" };

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") throw errorResponse(methodNotAllowed(["POST"]));
  const actor = await requireSessionActor(request);
  return pageHandler(async () => {
    const form = await readForm(request);
    const id = String(form.get("id") ?? "");
    const decision = form.get("decision");
    try {
      if (decision !== "apply" && decision !== "set-aside") {
        throw new AppError("FORM_INVALID", { th: "กรุณาเลือกการตัดสินใจ", en: "Choose a decision" }, { fields: [{ pointer: "/decision", message: { th: "กรุณาเลือกการตัดสินใจ", en: "Choose a decision" } }] });
      }
      const done = await decideUnmatchedItem(actor, id, {
        decision,
        note: String(form.get("note") ?? ""),
        paymentReference: String(form.get("paymentReference") ?? "") || undefined,
        confirmed: form.get("confirmed") === "yes",
      });
      return json<ActionResult>({ done: done.state });
    } catch (error) {
      if (!isAppError(error) || (error.code !== "FORM_INVALID" && error.code !== "CONFLICT")) throw error;
      const fields = error.code === "FORM_INVALID" ? ((error.details as { fields?: FieldError[] }).fields ?? []) : [{ pointer: "/decision", message: error.text }];
      return json<ActionResult>({ id, errors: fields }, { status: httpStatusFor(error.code) });
    }
  });
}

const FIELD_IDS: Record<string, string> = { "/decision": "decision-apply", "/note": "decision-note", "/paymentReference": "decision-reference", "/confirmed": "decision-confirmed" };

export default function UnmatchedPayments() {
  const { lang, items } = useLoaderData<typeof loader>();
  const result = useActionData<ActionResult>();
  const [params] = useSearchParams();
  const t = (text: LocalizedText) => pick(text, lang);
  const deciding = items.find((i) => i.id === (result?.errors ? result.id : params.get("decide")));
  const errors = result?.errors ?? [];
  const errorOf = (pointer: string) => errors.find((e) => e.pointer === pointer);
  const summaryRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (errors.length) summaryRef.current?.focus();
  }, [errors.length, result]);
  const errorLine = (pointer: string) => {
    const e = errorOf(pointer);
    return e ? <span id={`${FIELD_IDS[pointer]}-error`} className="bk-error-message">{t(e.message)}</span> : null;
  };
  const source = (s: "statement" | "callback") => t(s === "statement" ? T.statement : T.callback);

  return (
    <div style={{ display: "grid", gap: 16, gridTemplateColumns: "minmax(0, 1fr)" }}>
      {errors.length > 0 ? (
        <div className="bk-error-summary" role="alert" tabIndex={-1} ref={summaryRef} data-testid="error-summary">
          <h2>{t(T.errorSummary)}</h2>
          <ul>{errors.map((e) => <li key={e.pointer}><a href={`#${FIELD_IDS[e.pointer] ?? "decision-apply"}`}>{t(e.message)}</a></li>)}</ul>
        </div>
      ) : null}
      <h1>{t(T.unmatchedTitle)}</h1>
      <p className="bk-muted">{t(T.unmatchedIntro)}</p>
      <p><Link to="/finance/imports">{t(T.toImports)}</Link> · <Link to="/finance/settings">{t(T.toSettings)}</Link></p>
      {result?.done ? <div className="bk-alert ok" role="status" data-testid="decided">{t(result.done === "applied" ? T.decidedApplied : T.decidedAside)}</div> : null}

      {deciding ? (
        <Form method="post" action="/finance/unmatched" className="bk-card" style={{ display: "grid", gap: 8, gridTemplateColumns: "minmax(0, 1fr)" }} data-testid="decision-form" id="decide">
          <CsrfField />
          <input type="hidden" name="id" value={deciding.id} />
          <h2>{t(T.decide)}: {formatBaht(deciding.amountSatang)} {lang === "th" ? "บาท" : "baht"} · Ref1 <code>{deciding.ref1}</code></h2>
          <p>{deciding.reasonText ? t(deciding.reasonText) : null}</p>
          <fieldset className={`bk-field${errorOf("/decision") ? " bk-field-error" : ""}`}>
            <legend>{t(T.decision)}</legend>
            {errorLine("/decision")}
            <div><label><input type="radio" id="decision-apply" name="decision" value="apply" defaultChecked={Boolean(deciding.request)} /> {t(T.applyIt)}</label></div>
            <div><label><input type="radio" id="decision-aside" name="decision" value="set-aside" defaultChecked={!deciding.request} /> {t(T.setAside)}</label></div>
          </fieldset>
          <div className={`bk-field${errorOf("/paymentReference") ? " bk-field-error" : ""}`} style={{ display: "grid", gap: 4, justifyItems: "start" }}>
            <label htmlFor="decision-reference">{t(T.reference)}</label>
            {errorLine("/paymentReference")}
            <input id="decision-reference" name="paymentReference" inputMode="numeric" defaultValue={deciding.request?.reference ?? deciding.ref1} style={{ maxWidth: "100%" }} />
          </div>
          <div className={`bk-field${errorOf("/confirmed") ? " bk-field-error" : ""}`}>
            {errorLine("/confirmed")}
            <label><input type="checkbox" id="decision-confirmed" name="confirmed" value="yes" /> {t(T.confirm)}</label>
          </div>
          <div className={`bk-field${errorOf("/note") ? " bk-field-error" : ""}`} style={{ display: "grid", gap: 4 }}>
            <label htmlFor="decision-note">{t(T.note)}</label>
            {errorLine("/note")}
            <textarea id="decision-note" name="note" rows={3} required style={{ maxWidth: "100%" }} />
          </div>
          <div style={{ display: "flex", gap: 8, flexWrap: "wrap" }}>
            <button type="submit" className="bk-button" data-testid="save-decision">{t(T.save)}</button>
            <Link to="/finance/unmatched" className="bk-button secondary">{t(T.cancel)}</Link>
          </div>
        </Form>
      ) : null}

      <div style={{ overflowX: "auto" }}>
        <table className="bk-table" data-testid="unmatched-table">
          <caption style={{ textAlign: "left", fontWeight: 600 }}>{t(T.unmatchedTitle)} ({items.length})</caption>
          <thead>
            <tr><th>{t(T.reason)}</th><th>{t(T.paidAt)}</th><th>{t(T.amount)}</th><th>Ref1 / Ref2</th><th>{t(T.source)}</th><th>{t(T.request)}</th><th>{t(T.decision)}</th></tr>
          </thead>
          <tbody>
            {items.length === 0 ? <tr><td colSpan={7} className="bk-muted">{t(T.noneUnmatched)}</td></tr> : null}
            {items.map((i) => (
              <tr key={i.id} data-reason={i.reason ?? ""}>
                <td>{i.reasonText ? t(i.reasonText) : "—"}</td>
                <td>{formatDateTime(i.paidAt, lang)}</td>
                <td style={{ textAlign: "right" }}>{formatBaht(i.amountSatang)}</td>
                <td><code>{i.ref1}</code>{i.ref2 ? <div className="bk-muted"><small>{i.ref2}</small></div> : null}</td>
                <td>{source(i.source)}{i.lineNumber ? <div className="bk-muted"><small>{t(T.line)} {i.lineNumber}</small></div> : null}{i.transactionId ? <div className="bk-muted"><small>{i.transactionId}</small></div> : null}</td>
                <td>{i.request ? <>{i.request.trackingNumber}<div className="bk-muted"><small>{formatBaht(i.request.amountSatang)}</small></div></> : "—"}</td>
                <td><Link to={`/finance/unmatched?decide=${encodeURIComponent(i.id)}#decide`} data-testid="decide-link">{t(T.decide)}</Link></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
