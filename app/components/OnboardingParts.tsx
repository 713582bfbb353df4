import { Form } from "@remix-run/react";
import { CsrfField } from "~/components/CsrfField";
import type { FieldError } from "~/core/forms/form-validation";
import { pick, type Lang, type LocalizedText } from "~/core/text";
import { formatDateTime } from "~/core/thai/buddhist-date";

export const ONBOARDING_TEXT = {
  problem: { th: "มีปัญหา", en: "There is a problem" },
  sent: { th: "ส่งคำเชิญทางอีเมลแล้ว", en: "The invitation was sent by e-mail" },
  notSent: { th: "ไม่ได้ส่งอีเมล (ยังไม่ได้ตั้งค่า SMTP_URL) คัดลอกลิงก์นี้ส่งให้ผู้ได้รับเชิญ ลิงก์แสดงครั้งเดียว:", en: "No e-mail was sent (SMTP_URL is not set): copy this link to the invitee. It is shown only once:" },
  invitations: { th: "คำเชิญที่รอการตอบรับ", en: "Pending invitations" },
  noInvitations: { th: "ไม่มีคำเชิญที่รอการตอบรับ", en: "No pending invitations" },
  expiresAt: { th: "หมดอายุ", en: "Expires" },
  expired: { th: "หมดอายุแล้ว", en: "Expired" },
  pending: { th: "รอการตอบรับ", en: "Pending" },
  revoke: { th: "ยกเลิกคำเชิญ", en: "Revoke" },
  resend: { th: "ส่งคำเชิญใหม่", en: "Resend" },
  email: { th: "อีเมล", en: "E-mail" },
} satisfies Record<string, LocalizedText>;

export type InvitationRow = { id: string; email: string; expiresAt: string; state: string; roles: string[]; kind: string };
export type Issued = { delivered: boolean; link?: string; invitation: { email: string } };

export function ProblemSummary({ lang, message, errors, idOf }: { lang: Lang; message?: LocalizedText; errors: FieldError[]; idOf: (pointer: string) => string }) {
  if (!message && errors.length === 0) return null;
  return (
    <div className="bk-error-summary" role="alert" tabIndex={-1} data-testid="error-summary">
      <h2>{pick(ONBOARDING_TEXT.problem, lang)}</h2>
      {message ? <p>{pick(message, lang)}</p> : null}
      <ul>{errors.map((e) => <li key={e.pointer}><a href={`#${idOf(e.pointer)}`}>{pick(e.message, lang)}</a></li>)}</ul>
    </div>
  );
}

export function IssuedNotice({ lang, issued }: { lang: Lang; issued: Issued }) {
  return (
    <div className="bk-alert ok" role="status" data-testid="invitation-issued">
      {issued.delivered ? `${pick(ONBOARDING_TEXT.sent, lang)}: ${issued.invitation.email}` : pick(ONBOARDING_TEXT.notSent, lang)}
      {issued.link ? <p style={{ overflowWrap: "anywhere" }}><a href={issued.link} data-testid="invitation-link">{issued.link}</a></p> : null}
    </div>
  );
}

export function InvitationTable({ lang, rows, describe }: { lang: Lang; rows: InvitationRow[]; describe?: (row: InvitationRow) => string }) {
  const t = (text: LocalizedText) => pick(text, lang);
  if (rows.length === 0) return <p className="bk-muted">{t(ONBOARDING_TEXT.noInvitations)}</p>;
  return (
    <div style={{ overflowX: "auto" }}>
      <table className="bk-table" data-testid="invitations">
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <td>{row.email}{describe ? <div className="bk-muted">{describe(row)}</div> : null}</td>
              <td>
                <span className={`bk-badge${row.state === "expired" ? " overdue" : ""}`}>{t(row.state === "expired" ? ONBOARDING_TEXT.expired : ONBOARDING_TEXT.pending)}</span>
                <div className="bk-muted">{t(ONBOARDING_TEXT.expiresAt)} {formatDateTime(row.expiresAt, lang)}</div>
              </td>
              <td style={{ display: "flex", gap: 8, flexWrap: "wrap" }}>
                <Form method="post"><CsrfField /><input type="hidden" name="intent" value="resend" /><input type="hidden" name="invitation" value={row.id} />
                  <button className="bk-button secondary" type="submit">{t(ONBOARDING_TEXT.resend)}</button></Form>
                <Form method="post"><CsrfField /><input type="hidden" name="intent" value="revoke" /><input type="hidden" name="invitation" value={row.id} />
                  <button className="bk-button danger" type="submit">{t(ONBOARDING_TEXT.revoke)}</button></Form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
