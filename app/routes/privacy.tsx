import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { PRIVACY_NOTICE, PRIVACY_NOTICE_VERSION } from "~/core/privacy-notice";
import { requestLang } from "~/utils/lang.server";

export const meta: MetaFunction = () => [{ title: "ประกาศความเป็นส่วนตัว / Privacy notice — Borikan" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return json({ lang: await requestLang(request), version: PRIVACY_NOTICE_VERSION });
}

export default function Privacy() {
  const { lang, version } = useLoaderData<typeof loader>();
  return (
    <article data-testid="privacy-notice">
      <h1>{PRIVACY_NOTICE.title[lang]}</h1>
      <p className="bk-muted" data-testid="privacy-version">
        {lang === "th" ? "ฉบับวันที่" : "Version"} {version}
      </p>
      {PRIVACY_NOTICE.sections.map((section) => (
        <section key={section.heading.en}>
          <h2>{section.heading[lang]}</h2>
          <p>{section.body[lang]}</p>
        </section>
      ))}
    </article>
  );
}
