import type { HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, isRouteErrorResponse, Links, Meta, NavLink, Outlet, Scripts, ScrollRestoration, useLoaderData, useLocation, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { I18nextProvider, useTranslation } from "react-i18next";
import { CsrfField } from "~/components/CsrfField";
import { useNonce } from "~/components/NonceContext";
import type { Lang } from "~/core/text";
import { i18nFor } from "~/i18n/i18n";
import styles from "~/styles/app.css";
import permitStyles from "~/styles/permits.css";
import uploadStyles from "~/styles/uploads.css";
import { isFinanceStaff } from "~/services/payments/finance-access.server";
import { sessionContext } from "~/utils/auth.server";
import { formTokenOf } from "~/utils/form-token.server";
import { langCookie, requestLang } from "~/utils/lang.server";

export const links: LinksFunction = () => [
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "stylesheet", href: styles },
  { rel: "stylesheet", href: permitStyles },
  { rel: "stylesheet", href: uploadStyles },
];

/**
 * The title of a page whose route names none, and of the error pages (a 404 says so). Routes give their own,
 * in Thai and English.
 */
export const meta: MetaFunction = ({ error }) => {
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  if (notFound) return [{ title: "ไม่พบหน้าที่ต้องการ / Page not found — Borikan" }];
  if (error) return [{ title: "เกิดข้อผิดพลาด / Something went wrong — Borikan" }];
  return [{ title: "บริการอิเล็กทรอนิกส์ภาครัฐ / Government e-services — Borikan" }];
};

/** The error page keeps the headers its error implies (Allow on 405, Retry-After on 429). */
export const headers: HeadersFunction = ({ errorHeaders }) => {
  const out = new Headers();
  for (const name of ["Allow", "Retry-After"]) {
    const value = errorHeaders?.get(name);
    if (value) out.set(name, value);
  }
  return out;
};

export async function loader({ request }: LoaderFunctionArgs) {
  const lang = await requestLang(request);
  const { actor, clearCookie } = await sessionContext(request);
  const headers = new Headers();
  const fromQuery = new URL(request.url).searchParams.get("lang");
  if (fromQuery) headers.append("Set-Cookie", await langCookie.serialize(lang));
  // A session cookie the server no longer accepts is removed, so the browser stops sending it.
  if (clearCookie) headers.append("Set-Cookie", clearCookie);
  return json(
    {
      lang,
      // Every POST form of the session carries it (CsrfField); it depends only on the session cookie.
      formToken: formTokenOf(request),
      user: actor
        ? {
            name: actor.name,
            kind: actor.kind,
            isStaff: actor.kind === "staff",
            isAdmin: actor.kind === "staff" && actor.isAdmin,
            isFinanceStaff: isFinanceStaff(actor),
            isServiceAdmin: actor.kind === "opdc" || (actor.kind === "staff" && actor.isAdmin),
            roles: actor.kind === "staff" ? actor.roles : [],
          }
        : null,
    },
    { headers },
  );
}

export function useRootData() {
  return useRouteLoaderData<typeof loader>("root");
}

function Header({ lang }: { lang: Lang }) {
  const { t } = useTranslation();
  const data = useRootData();
  const location = useLocation();
  const other = lang === "th" ? "en" : "th";
  const params = new URLSearchParams(location.search);
  params.set("lang", other);
  const user = data?.user;
  const links = (
    <>
      <NavLink to="/" end>{t("nav.services")}</NavLink>
      <NavLink to="/registry">{t("nav.registry")}</NavLink>
      {user && !user.isStaff ? <NavLink to="/my/requests">{t("nav.myRequests")}</NavLink> : null}
      {user?.isStaff ? <NavLink to="/inbox">{t("nav.inbox")}</NavLink> : null}
      {user?.isFinanceStaff ? <NavLink to="/finance">{lang === "th" ? "การเงิน" : "Finance"}</NavLink> : null}
      {user?.isServiceAdmin ? <NavLink to="/studio">{t("nav.studio")}</NavLink> : null}
      {user?.isAdmin ? <NavLink to="/admin/permits/import">{t("nav.importPermits")}</NavLink> : null}
      {user?.isAdmin ? <NavLink to="/admin/api-keys">API keys</NavLink> : null}
      {user?.isAdmin ? <NavLink to="/admin/webhooks">Webhooks</NavLink> : null}
      {user?.isServiceAdmin ? <NavLink to="/admin/audit">{t("nav.audit")}</NavLink> : null}
      {user?.isAdmin ? <NavLink to="/admin/staff">{lang === "th" ? "เจ้าหน้าที่" : "Staff"}</NavLink> : null}
      {user?.kind === "opdc" ? <NavLink to="/opdc/agencies">{lang === "th" ? "หน่วยงาน" : "Agencies"}</NavLink> : null}
      {user?.kind === "opdc" ? <NavLink to="/opdc/dashboard">{lang === "th" ? "แดชบอร์ด" : "Dashboard"}</NavLink> : null}
      {user?.kind === "opdc" ? <NavLink to="/opdc/notices">{lang === "th" ? "แจ้งเหตุล่าช้า" : "Delay notices"}</NavLink> : null}
      {user?.isAdmin ? <NavLink to="/admin/readiness">{lang === "th" ? "ความพร้อมของบริการ" : "Readiness"}</NavLink> : null}
      {user?.kind === "opdc" ? <NavLink to="/opdc/readiness">{lang === "th" ? "ความพร้อมของบริการ" : "Readiness"}</NavLink> : null}
      {user?.kind === "opdc" ? <NavLink to="/opdc/reports">{lang === "th" ? "รายงาน" : "Reports"}</NavLink> : null}
    </>
  );
  // Shown twice (wide screens, phone menu), one at a time: the test ids are on the wide screens' copy.
  const account = (wide: boolean) => user ? (
    <>
      <NavLink to="/account" className="bk-user-name" data-testid={wide ? "account-link" : undefined}>{user.name}</NavLink>
      <Form method="post" action="/logout">
        <CsrfField />
        <button className="bk-link-button" type="submit">{t("nav.logout")}</button>
      </Form>
    </>
  ) : (
    <a href="/login">{t("nav.login")}</a>
  );
  const langSwitch = (wide: boolean) => (
    <a href={`${location.pathname}?${params}`} className="bk-lang" lang={other} data-testid={wide ? "lang-switch" : undefined}>{t("lang.switch")}</a>
  );
  return (
    <header className="bk-header">
      <div className="bk-header-inner">
        <a className="bk-brand" href="/">
          <span className="bk-brand-mark" aria-hidden="true">บ</span> <span className="bk-brand-name">{t("appName")}</span>
        </a>
        {/* Wide screens: the links in a row. */}
        <nav className="bk-nav bk-wide" aria-label={t("nav.main")}>{links}</nav>
        <div className="bk-user bk-wide">
          {langSwitch(true)}
          {account(true)}
        </div>
        {/* Phones: the language switch and a menu that opens without JavaScript (<details>). */}
        <div className="bk-narrow bk-header-tools">
          {langSwitch(false)}
          {/* Closed again by each navigation: the key changes with the page. */}
          <details className="bk-menu" key={location.key} data-testid="menu">
            <summary>
              <span className="bk-menu-icon" aria-hidden="true" />
              {t("nav.menu")}
            </summary>
            <div className="bk-menu-panel">
              <nav className="bk-menu-links" aria-label={t("nav.main")}>{links}</nav>
              <div className="bk-menu-user">{account(false)}</div>
            </div>
          </details>
        </div>
      </div>
    </header>
  );
}

function Document({ lang, children }: { lang: Lang; children: React.ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <I18nextProvider i18n={i18nFor(lang)}>
          <a className="bk-skip" href="#main">{i18nFor(lang).t("nav.skip")}</a>
          <Header lang={lang} />
          <main id="main" className="bk-main" tabIndex={-1}>{children}</main>
          <footer className="bk-footer">
            Borikan · พ.ร.บ.การปฏิบัติราชการทางอิเล็กทรอนิกส์ พ.ศ. 2565 ·{" "}
            <a href="/privacy" data-testid="footer-privacy">ประกาศความเป็นส่วนตัว / Privacy notice</a>
          </footer>
        </I18nextProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const { lang } = useLoaderData<typeof loader>();
  return (
    <Document lang={lang}>
      <Outlet />
    </Document>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRootData();
  const lang = data?.lang ?? "th";
  const t = i18nFor(lang).t;
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  const message = isRouteErrorResponse(error) && typeof error.data === "string" ? error.data : null;
  // An AppError thrown on by pageHandler: the API's shape, shown in both languages.
  const appError = isRouteErrorResponse(error) ? localizedErrorOf(error.data) : null;
  return (
    <Document lang={lang}>
      <div className="bk-card" data-testid="error-page" data-code={appError?.code}>
        <h1>{notFound ? t("error.notFound") : t("error.generic")}</h1>
        {message ? <p>{message}</p> : null}
        {appError ? (
          <>
            <p lang="th">{appError.message.th}</p>
            <p lang="en">{appError.message.en}</p>
          </>
        ) : null}
        <p><a href="/">{t("nav.services")}</a></p>
      </div>
    </Document>
  );
}

function localizedErrorOf(data: unknown): { code: string; message: { th: string; en: string } } | null {
  const error = (data as { error?: { code?: unknown; message?: { th?: unknown; en?: unknown } } } | null)?.error;
  if (typeof error?.code !== "string" || typeof error.message?.th !== "string" || typeof error.message.en !== "string") return null;
  return { code: error.code, message: { th: error.message.th, en: error.message.en } };
}
