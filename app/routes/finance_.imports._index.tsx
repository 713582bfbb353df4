import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { CsrfField } from "~/components/CsrfField";
import { AppError, httpStatusFor, isAppError, methodNotAllowed } from "~/core/errors";
import { pick, type LocalizedText } from "~/core/text";
import { formatDateTime } from "~/core/thai/buddhist-date";
import { RECONCILE_TEXT as T } from "~/i18n/reconcile-text";
import { requireFinanceStaff } from "~/services/payments/finance-access.server";
import { listStatementImportViews, MAX_STATEMENT_BYTES, receiveStatement } from "~/services/payments/statement-imports.server";
import { enforceRateLimit } from "~/services/security/rate-limits.server";
import { requireSessionActor } from "~/utils/auth.server";
import { errorResponse, pageHandler, readForm } from "~/utils/http.server";
import { requestLang } from "~/utils/lang.server";

export const meta: MetaFunction = () => [{ title: "Statement imports — Borikan" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireSessionActor(request);
  return pageHandler(async () => {
    const staff = requireFinanceStaff(actor);
    return json({ lang: await requestLang(request), imports: await listStatementImportViews(staff) });
  });
}

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") throw errorResponse(methodNotAllowed(["POST"]));
  const actor = await requireSessionActor(request);
  return pageHandler(async () => {
    const staff = requireFinanceStaff(actor);
    await enforceRateLimit("financeDecisions", staff.id);
    try {
      const form = await readForm(request, { maxBytes: MAX_STATEMENT_BYTES + 64 * 1024 });
      const file = form.get("file");
      if (!file || typeof file === "string" || !file.name) throw new AppError("BAD_REQUEST", { th: "กรุณาเลือกไฟล์ .txt หรือ .csv", en: "Choose a .txt or .csv file" });
      const id = await receiveStatement(staff, { fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
      return redirect(`/finance/imports/${id}`);
    } catch (error) {
      if (!isAppError(error) || !["BAD_REQUEST", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE"].includes(error.code)) throw error;
      return json({ error: error.text }, { status: httpStatusFor(error.code) });
    }
  });
}

export default function StatementImports() {
  const { lang, imports } = useLoaderData<typeof loader>();
  const result = useActionData<{ error?: LocalizedText }>();
  const navigation = useNavigation();
  const t = (text: LocalizedText) => pick(text, lang);
  const summaryRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (result?.error) summaryRef.current?.focus();
  }, [result]);
  return (
    <div style={{ display: "grid", gap: 16, gridTemplateColumns: "minmax(0, 1fr)" }}>
      {result?.error ? (
        <div className="bk-error-summary" role="alert" tabIndex={-1} ref={summaryRef} data-testid="error-summary">
          <h2>{t(T.errorSummary)}</h2>
          <ul><li><a href="#statement-file">{t(result.error)}</a></li></ul>
        </div>
      ) : null}
      <h1>{t(T.importsTitle)}</h1>
      <p className="bk-muted">{t(T.importsIntro)}</p>
      <p><Link to="/finance/unmatched">{t(T.toUnmatched)}</Link> · <Link to="/finance/settings">{t(T.toSettings)}</Link></p>
      <Form method="post" encType="multipart/form-data" className="bk-card" style={{ display: "grid", gap: 8, gridTemplateColumns: "minmax(0, 1fr)" }}>
        <CsrfField />
        <div className={`bk-field${result?.error ? " bk-field-error" : ""}`}>
          <label htmlFor="statement-file">{t(T.file)}</label>
          {result?.error ? <span id="statement-file-error" className="bk-error-message">{t(result.error)}</span> : null}
          <input id="statement-file" name="file" type="file" accept=".txt,.csv,text/plain,text/csv" required data-testid="statement-file" aria-describedby={result?.error ? "statement-file-error" : undefined} />
        </div>
        <div><button type="submit" className="bk-button" data-testid="upload-statement" disabled={navigation.state !== "idle"}>{t(T.upload)}</button></div>
      </Form>
      <div style={{ overflowX: "auto" }}>
        <table className="bk-table" data-testid="imports-table">
          <caption style={{ textAlign: "left", fontWeight: 600 }}>{t(T.recent)}</caption>
          <thead><tr><th>{t(T.fileName)}</th><th>{t(T.when)}</th><th>{t(T.by)}</th><th>{t(T.status)}</th><th>{t(T.lines)}</th></tr></thead>
          <tbody>
            {imports.length === 0 ? <tr><td colSpan={5} className="bk-muted">{t(T.none)}</td></tr> : null}
            {imports.map((i) => (
              <tr key={i.id}>
                <td><Link to={`/finance/imports/${i.id}`}>{i.fileName}</Link></td>
                <td>{formatDateTime(i.createdAt, lang)}</td>
                <td>{i.createdByName}</td>
                <td>{t(T[i.status])}</td>
                <td>{i.summary ? `${i.summary.applied} / ${i.summary.unmatched} / ${i.summary.duplicate}` : i.total || "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
