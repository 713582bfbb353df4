import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Pagination } from "~/components/Pagination";
import { pick, type LocalizedText } from "~/core/text";
import { formatDateTime } from "~/core/thai/buddhist-date";
import { stepLabel } from "~/core/workflow/labels";
import { countInbox, listInbox, listInboxAmong, type InboxFilter } from "~/models/case.server";
import { searchCaseIds } from "~/models/case-search.server";
import { getServiceVersion, listPublishedServicesOf, versionId } from "~/models/service.server";
import { requireSessionActor } from "~/utils/auth.server";
import { requestLang } from "~/utils/lang.server";
import listStyles from "~/styles/lists.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: listStyles }];

export const meta: MetaFunction = () => [{ title: "กล่องงาน / Inbox — Borikan" }];

const PAGE_SIZE = 50;
const SEARCH_LIMIT = 500;

const T = {
  search: { th: "ค้นหา", en: "Search" },
  searchHint: { th: "เลขที่รับ ชื่อผู้ยื่น หรือชื่อสถานประกอบการ", en: "Tracking number, applicant's name or business name" },
  status: { th: "สถานะ", en: "Status" },
  active: { th: "กำลังดำเนินการ", en: "In progress" },
  overdue: { th: "เกินกำหนด", en: "Overdue" },
  done: { th: "เสร็จสิ้น", en: "Done" },
  byStep: { th: "จำนวนตามขั้นตอน", en: "Cases by step" },
  found: { th: "ผลการค้นหา", en: "Search results for" },
  clear: { th: "ล้างการค้นหา", en: "Clear the search" },
  capped: {
    th: `พบมากกว่า ${SEARCH_LIMIT} รายการ แสดงเฉพาะ ${SEARCH_LIMIT} รายการล่าสุด ระบุคำค้นให้ละเอียดขึ้น`,
    en: `More than ${SEARCH_LIMIT} matches: the newest ${SEARCH_LIMIT} are shown. Add words to narrow the search.`,
  },
  stepOfService: { th: "เลือกบริการก่อนเพื่อกรองตามขั้นตอน", en: "Choose a service to filter by its steps" },
} satisfies Record<string, LocalizedText>;

type Step = { id: string; label: LocalizedText };

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireSessionActor(request);
  if (actor.kind !== "staff") throw redirect("/");
  const url = new URL(request.url);
  const services = await listPublishedServicesOf(actor.agencyId);
  const serviceParam = url.searchParams.get("service") ?? "";
  const service = services.some((s) => s._id === serviceParam) ? serviceParam : "";
  const statusParam = url.searchParams.get("status");
  const status = statusParam === "done" || statusParam === "overdue" ? statusParam : "active";
  const page = Math.max(1, Math.floor(Number(url.searchParams.get("page"))) || 1);
  const q = (url.searchParams.get("q") ?? "").trim().slice(0, 100);

  // Each service's steps, from its current workflow: step ids are the service's own (two services may share one).
  const workflows = new Map<string, Step[]>();
  for (const s of services) {
    const published = await getServiceVersion(versionId(s._id, s.currentVersion));
    const states = published?.definition.workflow.states ?? {};
    workflows.set(s._id, Object.entries(states).map(([id, st]) => ({ id, label: st.meta.label })));
  }
  const stepParam = url.searchParams.get("state") ?? "";
  const state = service && workflows.get(service)?.some((st) => st.id === stepParam) ? stepParam : "";

  const filter: InboxFilter = { agencyId: actor.agencyId, status, ...(service ? { serviceSlug: service } : {}), ...(state ? { stateValue: state } : {}) };
  const search = q ? await searchCaseIds(actor.agencyId, q, SEARCH_LIMIT) : null;
  const { rows, total } = search ? await listInboxAmong(search.ids, filter, page, PAGE_SIZE) : await listInbox(filter, page, PAGE_SIZE);
  // Counts per step of the chosen service, under the chosen status (each an index-backed count).
  const stepCounts = service && !search
    ? await Promise.all((workflows.get(service) ?? []).map(async (st) => ({ ...st, count: await countInbox({ ...filter, stateValue: st.id }) })))
    : [];

  // A row's step is named by its own version's workflow (an older version may name steps differently).
  const stepNames = new Map<string, LocalizedText>();
  for (const r of rows) {
    const key = `${r.serviceVersionId}:${r.stateValue}`;
    if (stepNames.has(key)) continue;
    const version = await getServiceVersion(r.serviceVersionId);
    stepNames.set(key, version ? stepLabel(version.definition.workflow, r.stateValue) : { th: r.stateValue, en: r.stateValue });
  }
  return json({
    lang: await requestLang(request),
    filter: { service, state, status, q },
    page,
    pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    total,
    capped: search?.capped ?? false,
    services: services.map((s) => ({ slug: s._id, title: s.title, steps: workflows.get(s._id) ?? [] })),
    stepCounts: stepCounts.filter((st) => st.count > 0 || st.id === state),
    now: new Date().toISOString(),
    rows: rows.map((r) => ({
      id: String(r._id),
      trackingNumber: r.trackingNumber,
      serviceSlug: r.serviceSlug,
      stepLabel: stepNames.get(`${r.serviceVersionId}:${r.stateValue}`)!,
      applicantName: r.summary?.applicantName ?? "",
      subject: r.summary?.subject ?? "",
      receivedAt: r.receipt.receivedAt,
      dueAt: r.sla.stateDueAt,
      paused: r.sla.paused,
    })),
  });
}

export default function Inbox() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const l = (text: LocalizedText) => pick(text, d.lang);
  const titles = Object.fromEntries(d.services.map((s) => [s.slug, s.title]));
  const chosen = d.services.find((s) => s.slug === d.filter.service);
  const query = (changes: Partial<Record<"page" | "state", string>>) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries({ ...d.filter, page: "1", ...changes })) if (value && !(key === "page" && value === "1")) params.set(key, value);
    return `?${params}`;
  };
  return (
    <>
      <h1>{t("inbox.title")}</h1>
      <Form method="get" className="bk-filters" role="search" data-testid="inbox-filters">
        <div className="bk-field bk-field-wide">
          <label htmlFor="inbox-q">{l(T.search)}</label>
          <input id="inbox-q" type="search" name="q" defaultValue={d.filter.q} aria-describedby="inbox-q-hint" />
          <span className="bk-hint" id="inbox-q-hint">{l(T.searchHint)}</span>
        </div>
        <div className="bk-field">
          <label htmlFor="inbox-service">{t("inbox.service")}</label>
          <select id="inbox-service" name="service" defaultValue={d.filter.service}>
            <option value="">{t("inbox.all")}</option>
            {d.services.map((s) => <option key={s.slug} value={s.slug}>{l(s.title)}</option>)}
          </select>
        </div>
        <div className="bk-field">
          <label htmlFor="inbox-state">{t("inbox.state")}</label>
          <select id="inbox-state" name="state" defaultValue={d.filter.state} disabled={!chosen} aria-describedby={chosen ? undefined : "inbox-state-hint"}>
            <option value="">{t("inbox.all")}</option>
            {chosen?.steps.map((st) => <option key={st.id} value={st.id}>{l(st.label)}</option>)}
          </select>
          {chosen ? null : <span className="bk-hint" id="inbox-state-hint">{l(T.stepOfService)}</span>}
        </div>
        <div className="bk-field">
          <label htmlFor="inbox-status">{l(T.status)}</label>
          <select id="inbox-status" name="status" defaultValue={d.filter.status}>
            <option value="active">{l(T.active)}</option>
            <option value="overdue">{l(T.overdue)}</option>
            <option value="done">{l(T.done)}</option>
          </select>
        </div>
        <button className="bk-button" type="submit">{t("inbox.filter")}</button>
      </Form>
      {d.filter.q ? (
        <p data-testid="inbox-search-summary">
          {l(T.found)} “{d.filter.q}”: {t("inbox.total", { count: d.total })} · <Link to={`?${new URLSearchParams({ ...(d.filter.service ? { service: d.filter.service } : {}), status: d.filter.status })}`}>{l(T.clear)}</Link>
        </p>
      ) : (
        <p className="bk-muted" data-testid="inbox-total">{t("inbox.total", { count: d.total })}</p>
      )}
      {d.capped ? <div className="bk-alert warn" role="status" data-testid="inbox-search-capped">{l(T.capped)}</div> : null}
      {d.stepCounts.length > 0 ? (
        <nav aria-label={l(T.byStep)} className="bk-step-counts" data-testid="step-counts">
          <ul>
            {d.stepCounts.map((st) => (
              <li key={st.id}>
                <Link to={query({ state: st.id === d.filter.state ? "" : st.id })} aria-current={st.id === d.filter.state ? "true" : undefined} data-step={st.id}>
                  {l(st.label)} <span className="bk-count">{st.count.toLocaleString(d.lang === "th" ? "th-TH" : "en-GB")}</span>
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      {d.rows.length === 0 ? <p className="bk-muted">{t("inbox.empty")}</p> : (
        <div className="bk-table-scroll">
          <table className="bk-table" data-testid="inbox">
            <thead>
              <tr><th>{t("receipt.tracking")}</th><th>{t("inbox.applicant")} / {t("inbox.subject")}</th><th>{t("inbox.service")}</th><th>{t("inbox.state")}</th><th>{t("inbox.received")}</th><th>{t("inbox.due")}</th></tr>
            </thead>
            <tbody>
              {d.rows.map((r) => {
                const overdue = !r.paused && r.dueAt && new Date(r.dueAt) < new Date(d.now);
                return (
                  <tr key={r.id} data-tracking={r.trackingNumber}>
                    <td><Link to={`/cases/${r.id}`}>{r.trackingNumber}</Link></td>
                    <td>{r.applicantName}<div className="bk-muted">{r.subject}</div></td>
                    <td>{titles[r.serviceSlug] ? l(titles[r.serviceSlug]!) : r.serviceSlug}</td>
                    <td data-testid="row-step">{l(r.stepLabel)}</td>
                    <td>{formatDateTime(r.receivedAt, d.lang)}</td>
                    <td>
                      {r.dueAt ? formatDateTime(r.dueAt, d.lang) : "—"}{" "}
                      {r.paused ? <span className="bk-badge paused">{t("case.paused")}</span> : null}
                      {overdue ? <span className="bk-badge overdue">{t("case.overdue")}</span> : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={d.page} pages={d.pages} lang={d.lang} linkTo={(p) => query({ page: String(p) })} testId="inbox-pages" />
    </>
  );
}
