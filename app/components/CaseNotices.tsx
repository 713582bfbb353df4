import { Form } from "@remix-run/react";
import { CsrfField } from "~/components/CsrfField";
import type { FieldError } from "~/core/forms/form-validation";
import { pick, type Lang, type LocalizedText } from "~/core/text";
import { formatDateTime } from "~/core/thai/buddhist-date";

/** The "Notices" section of a case page: the statutory limit, the delay and decision notices, and the officers' reason. */
export type CaseNoticesData = {
  dueAt: string | Date;
  late: boolean;
  overdueWorkingDays: number;
  nextNoticeAt: string | Date | null;
  notices: { id: string; kind: "delay" | "decision"; n: number; sentAt: string | Date; reason: LocalizedText; channel: string }[];
  decision: { decidedAt: string | Date; notifiedAt: string | Date | null; notifyBy: string | Date } | null;
  reason: { text: LocalizedText; by: string; at: string | Date } | null;
};

const T = {
  title: { th: "การแจ้งตามกฎหมาย", en: "Notices" },
  limit: { th: "ครบกำหนดตามคู่มือ", en: "Statutory time limit" },
  late: { th: "เกินกำหนด", en: "Past the limit by" },
  workingDays: { th: "วันทำการ", en: "working day(s)" },
  withinLimit: { th: "ยังอยู่ในกำหนด", en: "Within the limit" },
  lateStatus: { th: "สถานะ", en: "Status" },
  nextNotice: { th: "แจ้งความคืบหน้าครั้งต่อไป", en: "Next delay notice" },
  decision: { th: "ผลการพิจารณา", en: "Decision" },
  decidedOn: { th: "พิจารณาแล้วเสร็จเมื่อ", en: "decided on" },
  notifiedOn: { th: "แจ้งผู้ยื่นคำขอเมื่อ", en: "notified on" },
  notifyBy: { th: "จะแจ้งผู้ยื่นคำขอภายใน", en: "to be notified by" },
  caption: { th: "หนังสือแจ้งที่ส่งถึงผู้ยื่นคำขอ", en: "Notices sent to the applicant" },
  sentAt: { th: "วันที่แจ้ง", en: "Sent" },
  kind: { th: "เรื่อง", en: "Notice" },
  reason: { th: "เหตุผล / ผล", en: "Reason or decision" },
  channel: { th: "ช่องทาง", en: "Channel" },
  delayN: { th: "แจ้งเหตุล่าช้า ครั้งที่", en: "Delay notice no." },
  decisionNotice: { th: "แจ้งผลการพิจารณา", en: "Decision notice" },
  none: { th: "ยังไม่มีหนังสือแจ้ง", en: "No notices yet" },
  reasonTitle: { th: "เหตุที่ล่าช้า (เจ้าหน้าที่)", en: "Reason for the delay (officers)" },
  reasonHint: {
    th: "หนังสือแจ้งเหตุล่าช้าครั้งต่อไปจะใช้ข้อความล่าสุดนี้ หากไม่ระบุ ระบบจะใช้ข้อความมาตรฐาน",
    en: "The next delay notices quote the latest reason; without one they use a standard text.",
  },
  current: { th: "ข้อความปัจจุบัน", en: "Current reason" },
  reasonTh: { th: "เหตุที่ล่าช้า (ภาษาไทย)", en: "Reason (Thai)" },
  reasonEn: { th: "เหตุที่ล่าช้า (ภาษาอังกฤษ ไม่บังคับ)", en: "Reason (English, optional)" },
  save: { th: "บันทึกเหตุที่ล่าช้า", en: "Save the reason" },
  saved: { th: "บันทึกเหตุที่ล่าช้าแล้ว", en: "The reason was saved" },
  problem: { th: "มีข้อผิดพลาด", en: "There is a problem" },
} satisfies Record<string, LocalizedText>;

const CHANNELS: Record<string, LocalizedText> = {
  email: { th: "อีเมลและหน้าคำขอ", en: "E-mail and case page" },
  "case-page": { th: "หน้าคำขอ", en: "Case page" },
  api: { th: "API", en: "API" },
};

const FIELD_IDS: Record<string, string> = { "/reasonTh": "delay-reason-th", "/reasonEn": "delay-reason-en" };

export function CaseNotices({
  lang,
  data,
  canWriteReason,
  result,
}: {
  lang: Lang;
  data: CaseNoticesData;
  canWriteReason: boolean;
  result?: { saved?: boolean; errors?: FieldError[] };
}) {
  const t = (text: LocalizedText) => pick(text, lang);
  const when = (at: string | Date) => formatDateTime(at, lang);
  const errorOf = (pointer: string) => result?.errors?.find((e) => e.pointer === pointer);
  const field = (pointer: string, name: string, label: LocalizedText) => {
    const id = FIELD_IDS[pointer]!;
    const error = errorOf(pointer);
    return (
      <div className={`bk-field${error ? " bk-field-error" : ""}`} style={{ display: "grid", gap: 4 }}>
        <label htmlFor={id} style={{ fontWeight: 600 }}>{t(label)}</label>
        {error ? <span id={`${id}-error`} className="bk-error-message">{t(error.message)}</span> : null}
        <textarea id={id} name={name} rows={3} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} />
      </div>
    );
  };
  return (
    <section className="bk-card" style={{ margin: "16px 0" }} data-testid="case-notices" aria-labelledby="case-notices-title">
      <h2 id="case-notices-title" style={{ marginTop: 0 }}>{t(T.title)}</h2>
      <dl className="bk-dl">
        <dt>{t(T.limit)}</dt>
        <dd>{when(data.dueAt)}</dd>
        <dt>{t(T.lateStatus)}</dt>
        <dd data-testid="late-status">
          {data.late ? <span className="bk-badge overdue">{t(T.late)} {data.overdueWorkingDays} {t(T.workingDays)}</span> : t(T.withinLimit)}
        </dd>
        {data.nextNoticeAt && !data.decision ? (
          <>
            <dt>{t(T.nextNotice)}</dt>
            <dd>{when(data.nextNoticeAt)}</dd>
          </>
        ) : null}
        {data.decision ? (
          <>
            <dt>{t(T.decision)}</dt>
            <dd data-testid="decision-notice">
              {t(T.decidedOn)} {when(data.decision.decidedAt)} ·{" "}
              {data.decision.notifiedAt ? `${t(T.notifiedOn)} ${when(data.decision.notifiedAt)}` : `${t(T.notifyBy)} ${when(data.decision.notifyBy)}`}
            </dd>
          </>
        ) : null}
      </dl>
      {data.notices.length === 0 ? (
        <p className="bk-muted">{t(T.none)}</p>
      ) : (
        <div style={{ overflowX: "auto" }}>
          <table className="bk-table" data-testid="notices-table">
            <caption style={{ textAlign: "left", fontWeight: 600, padding: "6px 0" }}>{t(T.caption)}</caption>
            <thead>
              <tr><th scope="col">{t(T.sentAt)}</th><th scope="col">{t(T.kind)}</th><th scope="col">{t(T.reason)}</th><th scope="col">{t(T.channel)}</th></tr>
            </thead>
            <tbody>
              {data.notices.map((n) => (
                <tr key={n.id} data-notice={n.id}>
                  <td>{when(n.sentAt)}</td>
                  <td>{n.kind === "delay" ? `${t(T.delayN)} ${n.n}` : t(T.decisionNotice)}</td>
                  <td>{t(n.reason)}</td>
                  <td>{t(CHANNELS[n.channel] ?? { th: n.channel, en: n.channel })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canWriteReason && !data.decision ? (
        <div style={{ marginTop: 12 }} data-testid="delay-reason">
          <h3>{t(T.reasonTitle)}</h3>
          <p className="bk-hint">{t(T.reasonHint)}</p>
          {data.reason ? (
            <p data-testid="current-reason">
              {t(T.current)}: “{t(data.reason.text)}” — {data.reason.by}, {when(data.reason.at)}
            </p>
          ) : null}
          {result?.saved ? <div className="bk-alert ok" role="status">{t(T.saved)}</div> : null}
          {result?.errors && result.errors.length > 0 ? (
            <div className="bk-error-summary" role="alert" tabIndex={-1} data-testid="delay-reason-errors">
              <h4 style={{ margin: 0 }}>{t(T.problem)}</h4>
              <ul>{result.errors.map((e) => <li key={e.pointer}><a href={`#${FIELD_IDS[e.pointer] ?? "delay-reason-th"}`}>{t(e.message)}</a></li>)}</ul>
            </div>
          ) : null}
          <Form method="post" style={{ display: "grid", gap: 10 }} noValidate>
            <CsrfField />
            <input type="hidden" name="intent" value="delayReason" />
            {field("/reasonTh", "reasonTh", T.reasonTh)}
            {field("/reasonEn", "reasonEn", T.reasonEn)}
            <div><button className="bk-button secondary" type="submit" data-testid="save-delay-reason">{t(T.save)}</button></div>
          </Form>
        </div>
      ) : null}
    </section>
  );
}
