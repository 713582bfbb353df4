import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { pick } from "~/core/text";
import { listAgencies } from "~/models/agency.server";
import { listServices } from "~/models/service.server";
import { connectDb } from "~/utils/db.server";
import { requestLang } from "~/utils/lang.server";

export const meta: MetaFunction = () => [{ title: "บริการอิเล็กทรอนิกส์ภาครัฐ / Government e-services — Borikan" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await connectDb();
  const [services, agencies, lang] = await Promise.all([listServices({ isTemplate: false }), listAgencies(), requestLang(request)]);
  const agencyNames = Object.fromEntries(agencies.map((a) => [a._id, a.name]));
  return json({
    lang,
    services: services.map((s) => ({ slug: s._id, title: s.title, level: s.level, category: s.category, agency: agencyNames[s.agencyId] })),
  });
}

export default function Catalogue() {
  const { services, lang } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <>
      <h1>{t("catalogue.title")}</h1>
      <p className="bk-muted">{t("tagline")}</p>
      <div className="bk-grid" data-testid="catalogue">
        {services.map((s) => (
          <article key={s.slug} className="bk-card bk-service-card">
            <span className={`bk-badge ${s.level}`}>{t(`catalogue.level.${s.level}`)}</span>
            <h3>
              <Link to={`/services/${s.slug}`}>{pick(s.title, lang)}</Link>
            </h3>
            <div className="bk-muted">{pick(s.agency, lang)}</div>
          </article>
        ))}
      </div>
    </>
  );
}
