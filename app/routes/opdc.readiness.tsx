import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { READINESS_TEXT, ReadinessSummaryTable, ServiceReadinessDetails } from "~/components/ReadinessTables";
import { pick, type LocalizedText } from "~/core/text";
import { listAllReadiness } from "~/services/oversight/list-readiness.server";
import readinessStyles from "~/styles/readiness.css";
import { requireSessionActor } from "~/utils/auth.server";
import { pageHandler } from "~/utils/http.server";
import { requestLang } from "~/utils/lang.server";

export const meta: MetaFunction = () => [{ title: "ความพร้อมของบริการ / Service readiness — OPDC — Borikan" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: readinessStyles }];

const T = {
  title: { th: "ความพร้อมของบริการอิเล็กทรอนิกส์ทุกหน่วยงาน", en: "Readiness of every agency's electronic services" },
  filter: { th: "หน่วยงาน", en: "Agency" },
  all: { th: "ทุกหน่วยงาน", en: "Every agency" },
  show: { th: "แสดง", en: "Show" },
  csv: { th: "ดาวน์โหลด CSV", en: "Download CSV" },
  caption: { th: "บริการตามเกณฑ์ (หนึ่งแถวต่อบริการ)", en: "Services against the criteria (one row per service)" },
  meetCount: { th: "บริการที่ผ่านระดับที่ประกาศ", en: "Services meeting their declared level" },
} satisfies Record<string, LocalizedText>;

export const loader = ({ request }: LoaderFunctionArgs) =>
  pageHandler(async () => {
    const actor = await requireSessionActor(request);
    const agency = new URL(request.url).searchParams.get("agency") || null;
    return json({ lang: await requestLang(request), agency, ...(await listAllReadiness(actor, agency)) });
  });

export default function OpdcReadiness() {
  const { lang, agency, agencies, rows } = useLoaderData<typeof loader>();
  const t = (text: LocalizedText) => pick(text, lang);
  const services = rows.flatMap((a) => a.services.map((service) => ({ agency: a.name, service })));
  const meeting = services.filter((s) => s.service.meetsDeclared).length;
  const csv = `/opdc/readiness.csv${agency ? `?agency=${encodeURIComponent(agency)}` : ""}`;
  return (
    <div className="bk-readiness" data-testid="opdc-readiness">
      <h1>{t(T.title)}</h1>
      <p>{t(READINESS_TEXT.basis)}</p>
      <Form method="get" className="bk-readiness-filter" data-testid="readiness-filter">
        <div className="bk-field" style={{ display: "grid", gap: 4 }}>
          <label htmlFor="readiness-agency" style={{ fontWeight: 600 }}>{t(T.filter)}</label>
          <select id="readiness-agency" name="agency" defaultValue={agency ?? ""}>
            <option value="">{t(T.all)}</option>
            {agencies.map((a) => (
              <option key={a.id} value={a.id}>{t(a.name)} ({a.code})</option>
            ))}
          </select>
        </div>
        <button className="bk-button secondary" type="submit">{t(T.show)}</button>
        <a href={csv} className="bk-button secondary" download data-testid="readiness-csv">{t(T.csv)}</a>
      </Form>
      <p data-testid="readiness-count">{t(T.meetCount)}: <strong>{meeting} / {services.length}</strong></p>
      <ReadinessSummaryTable lang={lang} caption={T.caption} rows={services} />
      {services.map(({ agency: name, service }) => (
        <ServiceReadinessDetails key={service.slug} service={service} lang={lang} agency={name} />
      ))}
    </div>
  );
}
