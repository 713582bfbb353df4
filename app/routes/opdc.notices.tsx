import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Pagination } from "~/components/Pagination";
import { pick, type LocalizedText } from "~/core/text";
import { formatDateTime } from "~/core/thai/buddhist-date";
import { listDelayNoticeCopies } from "~/services/cases/list-delay-notice-copies.server";
import { requireSessionActor } from "~/utils/auth.server";
import { pageHandler } from "~/utils/http.server";
import { requestLang } from "~/utils/lang.server";

export const meta: MetaFunction = () => [{ title: "หนังสือแจ้งเหตุล่าช้า / Delay notices — Borikan" }];

const T = {
  title: { th: "สำเนาหนังสือแจ้งเหตุล่าช้า", en: "Copies of delay notices" },
  intro: {
    th: "หนังสือที่หน่วยงานแจ้งผู้ยื่นคำขอเมื่อพิจารณาเกินกำหนดในคู่มือสำหรับประชาชน (พ.ร.บ. การอำนวยความสะดวกฯ พ.ศ. 2558) ล่าสุดก่อน",
    en: "Notices agencies sent to applicants whose cases passed the time limit in the service manual (Licensing Facilitation Act B.E. 2558), newest first.",
  },
  agency: { th: "หน่วยงาน", en: "Agency" },
  all: { th: "ทุกหน่วยงาน", en: "All agencies" },
  filter: { th: "แสดง", en: "Show" },
  caption: { th: "หนังสือแจ้งเหตุล่าช้า", en: "Delay notices" },
  sentAt: { th: "วันที่แจ้ง", en: "Sent" },
  tracking: { th: "เลขที่รับ", en: "Tracking number" },
  n: { th: "ครั้งที่", en: "No." },
  due: { th: "ครบกำหนด", en: "Was due" },
  reason: { th: "เหตุที่ล่าช้า", en: "Reason" },
  channel: { th: "ช่องทาง", en: "Channel" },
  none: { th: "ยังไม่มีหนังสือแจ้งเหตุล่าช้า", en: "No delay notices" },
  total: { th: "ทั้งหมด", en: "Total" },
} satisfies Record<string, LocalizedText>;

const CHANNELS: Record<string, LocalizedText> = {
  email: { th: "อีเมล", en: "E-mail" },
  "case-page": { th: "หน้าคำขอ", en: "Case page" },
  api: { th: "API", en: "API" },
};

export const loader = ({ request }: LoaderFunctionArgs) =>
  pageHandler(async () => {
    const actor = await requireSessionActor(request);
    const url = new URL(request.url);
    const agency = url.searchParams.get("agency") ?? "";
    const copies = await listDelayNoticeCopies(actor, { agencyId: agency || undefined, page: Number(url.searchParams.get("page") ?? "1") });
    return json({ lang: await requestLang(request), agency, ...copies });
  });

export default function OpdcNoticesPage() {
  const d = useLoaderData<typeof loader>();
  const t = (text: LocalizedText) => pick(text, d.lang);
  const agencyName = (id: string) => {
    const found = d.agencies.find((a) => a.id === id);
    return found ? t(found.name) : id;
  };
  const pages = Math.max(1, Math.ceil(d.total / d.pageSize));
  const linkTo = (page: number) => `?${new URLSearchParams({ ...(d.agency ? { agency: d.agency } : {}), page: String(page) }).toString()}`;
  return (
    <div>
      <h1>{t(T.title)}</h1>
      <p className="bk-muted">{t(T.intro)}</p>
      <Form method="get" style={{ display: "flex", gap: 8, flexWrap: "wrap", alignItems: "end", margin: "12px 0" }} data-testid="notices-filter">
        <label className="bk-field" htmlFor="notice-agency">
          {t(T.agency)}
          <select id="notice-agency" name="agency" defaultValue={d.agency}>
            <option value="">{t(T.all)}</option>
            {d.agencies.map((a) => <option key={a.id} value={a.id}>{t(a.name)}</option>)}
          </select>
        </label>
        <button className="bk-button secondary" type="submit">{t(T.filter)}</button>
      </Form>
      <p>{t(T.total)}: <strong data-testid="notices-total">{d.total}</strong></p>
      <div style={{ overflowX: "auto" }}>
        <table className="bk-table" data-testid="opdc-notices">
          <caption style={{ textAlign: "left", fontWeight: 600, padding: "6px 0" }}>{t(T.caption)}</caption>
          <thead>
            <tr>
              <th scope="col">{t(T.sentAt)}</th><th scope="col">{t(T.agency)}</th><th scope="col">{t(T.tracking)}</th>
              <th scope="col">{t(T.n)}</th><th scope="col">{t(T.due)}</th><th scope="col">{t(T.reason)}</th><th scope="col">{t(T.channel)}</th>
            </tr>
          </thead>
          <tbody>
            {d.rows.length === 0 ? <tr><td colSpan={7} className="bk-muted">{t(T.none)}</td></tr> : null}
            {d.rows.map((n) => (
              <tr key={n._id} data-notice={n._id}>
                <td>{formatDateTime(n.sentAt, d.lang)}</td>
                <td>{agencyName(n.agencyId)}</td>
                <td>{n.trackingNumber}</td>
                <td>{n.n}</td>
                <td>{n.dueAt ? formatDateTime(n.dueAt, d.lang) : "—"}</td>
                <td>{t(n.reason)}</td>
                <td>{t(CHANNELS[n.channel] ?? { th: n.channel, en: n.channel })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pagination page={d.page} pages={pages} lang={d.lang} linkTo={linkTo} testId="notices-pages" />
    </div>
  );
}
