import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Pagination } from "~/components/Pagination";
import { PermitStatusBadge } from "~/components/PermitFacts";
import { PERMIT_STATUSES } from "~/core/permits/types";
import { registryQueryToParams } from "~/core/registry/registry-query";
import { pick } from "~/core/text";
import { formatDate } from "~/core/thai/buddhist-date";
import { isBadQuery, isRegistryPreparing, registryFacets, registryPage } from "~/services/registry-listing.server";
import { enforcePageRateLimit } from "~/services/security/rate-limits.server";
import { clientIp } from "~/utils/client-ip.server";
import { requestLang } from "~/utils/lang.server";
import listStyles from "~/styles/lists.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: listStyles }];

export const meta: MetaFunction = () => [
  { title: "ทะเบียนใบอนุญาตสาธารณะ / Public permit registry — Borikan" },
  { name: "description", content: "ค้นหาและตรวจสอบใบอนุญาตที่หน่วยงานของรัฐออกให้ ฟรี ไม่ต้องสมัครสมาชิก (มาตรา 13)" },
];

/** The public registry (s.13): free, no account, always current. */
export async function loader({ request }: LoaderFunctionArgs) {
  await enforcePageRateLimit("registrySearch", clientIp(request));
  const params = new URL(request.url).searchParams;
  const lang = await requestLang(request);
  const facets = await registryFacets(params.get("province") || undefined);
  try {
    const page = await registryPage(params);
    return json({ lang, facets, page, error: null }, { headers: { "Cache-Control": "no-cache" } });
  } catch (error) {
    // A bad parameter (400), or the registry still being prepared on first start (503): said on the page.
    if (!isBadQuery(error) && !isRegistryPreparing(error)) throw error;
    return json({ lang, facets, page: null, error: error.text }, { status: isBadQuery(error) ? 400 : 503 });
  }
}

export default function Registry() {
  const { lang, facets, page, error } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const navigation = useNavigation();
  const submit = useSubmit();
  const th = lang === "th";
  const query = page?.query;
  const pages = page ? Math.max(1, Math.ceil(page.total / page.pageSize)) : 1;
  const linkTo = (p: number) => `/registry?${registryQueryToParams({ ...query, page: p })}`;
  const exportParams = registryQueryToParams({ ...query, page: undefined, pageSize: undefined });
  return (
    <div className="bk-registry">
      <h1>{th ? "ทะเบียนใบอนุญาตสาธารณะ" : "Public permit registry"}</h1>
      <p className="bk-muted">
        {th
          ? "ใบอนุญาตที่กฎหมายกำหนดให้แสดง ซึ่งหน่วยงานออกให้ทั้งทางอิเล็กทรอนิกส์และที่ออกก่อนใช้ระบบ เปิดให้ค้นหาได้ฟรีโดยไม่ต้องสมัครสมาชิก สถานะเป็นปัจจุบันเสมอ (มาตรา 13 พ.ร.บ.การปฏิบัติราชการทางอิเล็กทรอนิกส์ พ.ศ. 2565)"
          : "Permits that must be displayed, issued electronically or on paper before the system — free to search without an account, status always current (s.13 of the Electronic Government Administration Act B.E. 2565)."}
      </p>
      <Form method="get" className="bk-card bk-registry-form" role="search">
        <label className="bk-field bk-grow">
          {th ? "ค้นหา: เลขที่ใบอนุญาต ชื่อผู้ได้รับอนุญาต ชื่อสถานประกอบการ หรือคำในชื่อ" : "Search: permit number, holder, business, or words in names"}
          <input type="search" name="q" defaultValue={query?.q ?? ""} placeholder={th ? "เช่น อันตราย, เสริมสวย, SKJ-HH-2569-00001" : "e.g. อันตราย, salon, SKJ-HH-2569-00001"} data-testid="registry-q" />
        </label>
        <label className="bk-field">
          {t("permit.agency")}
          <select name="agency" defaultValue={query?.agency ?? ""}>
            <option value="">{th ? "ทุกหน่วยงาน" : "All agencies"}</option>
            {facets.agencies.map((a) => <option key={a.id} value={a.id}>{pick(a.name, lang)}</option>)}
          </select>
        </label>
        <label className="bk-field">
          {t("permit.type")}
          <select name="type" defaultValue={query?.type ?? ""}>
            <option value="">{th ? "ทุกประเภท" : "All types"}</option>
            {facets.types.map((ty) => <option key={ty.code} value={ty.code}>{pick(ty.name, lang)}</option>)}
          </select>
        </label>
        <label className="bk-field">
          {th ? "จังหวัด" : "Province"}
          <select name="province" defaultValue={query?.province ?? ""} onChange={(e) => { const f = e.currentTarget.form!; (f.elements.namedItem("district") as HTMLSelectElement).value = ""; submit(f); }}>
            <option value="">{th ? "ทุกจังหวัด" : "All provinces"}</option>
            {facets.provinces.map((p) => <option key={p} value={p}>{p}</option>)}
          </select>
        </label>
        <label className="bk-field">
          {th ? "อำเภอ/เขต" : "District"}
          <select name="district" defaultValue={query?.district ?? ""} disabled={facets.districts.length === 0}>
            <option value="">{th ? "ทุกอำเภอ" : "All districts"}</option>
            {facets.districts.map((d) => <option key={d} value={d}>{d}</option>)}
          </select>
        </label>
        <label className="bk-field">
          {th ? "สถานะ" : "Status"}
          <select name="status" defaultValue={query?.status ?? ""}>
            <option value="">{th ? "ทุกสถานะ" : "Any status"}</option>
            {PERMIT_STATUSES.map((s) => <option key={s} value={s}>{t(`status.${s}`)}</option>)}
          </select>
        </label>
        <button className="bk-button" type="submit" data-testid="registry-search">{th ? "ค้นหา" : "Search"}</button>
      </Form>

      {error ? (
        <div className="bk-alert error" role="alert" data-testid="registry-error">{pick(error, lang)}</div>
      ) : page ? (
        <>
          <p className="bk-registry-summary" aria-live="polite">
            <span data-testid="registry-total">{page.total.toLocaleString(th ? "th-TH" : "en-GB")}</span> {th ? "รายการ" : "permits"}
            {navigation.state === "loading" ? ` · ${th ? "กำลังค้นหา…" : "searching…"}` : ""}
            {" · "}
            <a href={`/api/v1/registry/permits.csv?${exportParams}`} download>{th ? "ดาวน์โหลด CSV (ข้อมูลเปิด)" : "Download CSV (open data)"}</a>
            {" · "}
            <a href={`/api/v1/registry/permits?${exportParams}`}>JSON API</a>
          </p>
          <ol className="bk-registry-results" data-testid="registry-results">
            {page.items.map((p) => (
              <li key={p.number} className="bk-card bk-registry-item" data-testid="registry-item" data-number={p.number}>
                <div className="bk-registry-item-head">
                  <Link to={`/permits/${encodeURIComponent(p.number)}`} className="bk-registry-business">{p.businessName}</Link>
                  <PermitStatusBadge status={p.status} />
                </div>
                <div className="bk-muted">{p.number} · {pick(p.typeName, lang)} · {pick(p.agencyName, lang)}</div>
                <div>{t("permit.holder")}: {p.holderName}{p.activity ? ` · ${p.activity}` : ""}</div>
                <div className="bk-muted">{p.address.text}</div>
                <div className="bk-muted">{t("permit.validUntil")} {formatDate(p.validUntil, lang)}</div>
              </li>
            ))}
          </ol>
          {page.items.length === 0 ? <p data-testid="registry-empty">{th ? "ไม่พบใบอนุญาตที่ตรงกับการค้นหา" : "No permit matches the search."}</p> : null}
          <Pagination page={page.page} pages={pages} lang={th ? "th" : "en"} linkTo={linkTo} testId="registry-pages" />
        </>
      ) : null}
    </div>
  );
}
