import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { READINESS_TEXT, ReadinessSummaryTable, ServiceReadinessDetails } from "~/components/ReadinessTables";
import { pick, type LocalizedText } from "~/core/text";
import { listOwnReadiness } from "~/services/oversight/list-readiness.server";
import readinessStyles from "~/styles/readiness.css";
import { requireSessionActor } from "~/utils/auth.server";
import { pageHandler } from "~/utils/http.server";
import { requestLang } from "~/utils/lang.server";

export const meta: MetaFunction = () => [{ title: "ความพร้อมของบริการ / Service readiness — Borikan" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: readinessStyles }];

const T = {
  title: { th: "ความพร้อมของบริการอิเล็กทรอนิกส์", en: "Readiness of your electronic services" },
  caption: { th: "บริการของหน่วยงานตามเกณฑ์", en: "Your agency's services against the criteria" },
} satisfies Record<string, LocalizedText>;

export const loader = ({ request }: LoaderFunctionArgs) =>
  pageHandler(async () => {
    const actor = await requireSessionActor(request);
    return json({ lang: await requestLang(request), readiness: await listOwnReadiness(actor) });
  });

export default function AdminReadiness() {
  const { lang, readiness } = useLoaderData<typeof loader>();
  const t = (text: LocalizedText) => pick(text, lang);
  return (
    <div className="bk-readiness" data-testid="admin-readiness">
      <h1>{t(T.title)}</h1>
      <p className="bk-muted">{t(readiness.name)} ({readiness.code})</p>
      <p>{t(READINESS_TEXT.basis)}</p>
      <ReadinessSummaryTable lang={lang} caption={T.caption} showAgency={false} rows={readiness.services.map((service) => ({ agency: readiness.name, service }))} />
      {readiness.services.map((service) => (
        <ServiceReadinessDetails key={service.slug} service={service} lang={lang} studio />
      ))}
    </div>
  );
}
