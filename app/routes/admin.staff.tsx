import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfField } from "~/components/CsrfField";
import { InvitationTable, IssuedNotice, ProblemSummary, ONBOARDING_TEXT, type Issued } from "~/components/OnboardingParts";
import { AppError } from "~/core/errors";
import type { FieldError } from "~/core/forms/form-validation";
import { pick, type LocalizedText } from "~/core/text";
import { formatDateTime } from "~/core/thai/buddhist-date";
import { i18nFor } from "~/i18n/i18n";
import { resendInvitation, revokeInvitation } from "~/services/onboarding/manage-invitations.server";
import { pageProblem } from "~/services/onboarding/page-result.server";
import { setAgencySecondFactorPolicy } from "~/services/second-factor/set-agency-second-factor-policy.server";
import { resetSecondFactor } from "~/services/second-factor/reset-second-factor.server";
import { changeStaffRoles, deactivateStaff, getStaffOverview, inviteStaff, reactivateStaff } from "~/services/onboarding/staff.server";
import { requireSessionActor, startSession } from "~/utils/auth.server";
import { pageHandler, readForm, requireMethod } from "~/utils/http.server";
import { requestLang } from "~/utils/lang.server";
import { getUser } from "~/models/user.server";

export const meta: MetaFunction = () => [{ title: "เจ้าหน้าที่ / Staff — Borikan" }];

const T = {
  title: { th: "เจ้าหน้าที่ของหน่วยงาน", en: "Staff of the agency" },
  name: { th: "ชื่อ", en: "Name" },
  roles: { th: "บทบาท", en: "Roles" },
  status: { th: "สถานะ", en: "Status" },
  lastSignIn: { th: "เข้าสู่ระบบล่าสุด", en: "Last sign-in" },
  active: { th: "ใช้งานอยู่", en: "Active" },
  inactive: { th: "ระงับแล้ว", en: "Deactivated" },
  saveRoles: { th: "บันทึกบทบาท", en: "Save roles" },
  deactivate: { th: "ระงับบัญชี", en: "Deactivate" },
  reactivate: { th: "เปิดใช้อีกครั้ง", en: "Reactivate" },
  invite: { th: "เชิญเจ้าหน้าที่", en: "Invite a member of staff" },
  inviteHint: { th: "ผู้ได้รับเชิญจะได้รับลิงก์ที่ใช้ได้ครั้งเดียวภายใน 72 ชั่วโมง", en: "The invitee gets a single-use link that works for 72 hours" },
  send: { th: "ส่งคำเชิญ", en: "Send the invitation" },
  done: { th: "บันทึกแล้ว", en: "Saved" },
  resetFactor: { th: "รีเซ็ตการยืนยันตัวตนขั้นที่สอง", en: "Reset second factor" },
  resetFactorHint: {
    th: "ใช้เมื่อเจ้าหน้าที่ทำอุปกรณ์หาย: ลบพาสคีย์ แอปยืนยันตัวตน และรหัสกู้คืนทั้งหมด และออกจากระบบทุกเครื่องทันที",
    en: "For staff who lost their device: removes every passkey, authenticator app and recovery code and signs them out everywhere at once",
  },
  resetDone: { th: "รีเซ็ตแล้ว เจ้าหน้าที่จะตั้งค่าใหม่เมื่อเข้าสู่ระบบครั้งถัดไป", en: "Reset: they set a new one up at their next sign-in" },
  noFactor: { th: "ยังไม่มีการยืนยันตัวตนขั้นที่สอง", en: "No second factor yet" },
  policy: { th: "การยืนยันตัวตนขั้นที่สอง", en: "Second factor" },
  policyAll: { th: "เจ้าหน้าที่ทุกคนต้องมีการยืนยันตัวตนขั้นที่สอง (พาสคีย์หรือแอปยืนยันตัวตน)", en: "Every member of staff must have a second factor (a passkey or an authenticator app)" },
  policyHint: {
    th: "ผู้ดูแลระบบและผู้อนุญาตต้องมีเสมอ หากเลือกข้อนี้ เจ้าหน้าที่คนอื่นจะต้องตั้งค่าเมื่อเข้าสู่ระบบครั้งถัดไป",
    en: "Admins and approvers always need one; with this, other staff set one up at their next sign-in",
  },
  savePolicy: { th: "บันทึกนโยบาย", en: "Save the policy" },
  adminRight: { th: "ผู้ดูแลระบบหน่วยงาน", en: "Agency admin" },
} satisfies Record<string, LocalizedText>;

export const loader = ({ request }: LoaderFunctionArgs) =>
  pageHandler(async () => {
    const actor = await requireSessionActor(request);
    return json({ lang: await requestLang(request), overview: await getStaffOverview(actor), me: actor.id });
  });

type Result = { errors: FieldError[]; message?: LocalizedText; issued?: Issued; done?: boolean; factorReset?: boolean };

export const action = ({ request }: ActionFunctionArgs) =>
  pageHandler(async () => {
    requireMethod(request, "POST");
    const actor = await requireSessionActor(request);
    const form = await readForm(request);
    const intent = form.get("intent");
    const user = String(form.get("user") ?? "");
    const invitation = String(form.get("invitation") ?? "");
    try {
      if (intent === "invite") return json<Result>({ errors: [], issued: await inviteStaff(actor, { email: form.get("email"), roles: form.getAll("roles") }) });
      if (intent === "roles") {
        await changeStaffRoles(actor, user, { roles: form.getAll("roles") });
        // Changing one's own roles ends one's own sessions too: this browser goes on under a new one.
        if (user === actor.id) {
          const me = await getUser(actor.id);
          if (me) return startSession(request, me, me.kind === "agencyAdmin" ? "/admin/staff" : "/inbox");
        }
        return json<Result>({ errors: [], done: true });
      }
      if (intent === "deactivate") return json<Result>({ errors: [], done: !!(await deactivateStaff(actor, user)) });
      if (intent === "reactivate") return json<Result>({ errors: [], done: !!(await reactivateStaff(actor, user)) });
      if (intent === "reset-second-factor") return json<Result>({ errors: [], factorReset: !!(await resetSecondFactor(actor, user)) });
      if (intent === "policy") return json<Result>({ errors: [], done: !!(await setAgencySecondFactorPolicy(actor, form.get("secondFactorForAllStaff") === "on")) });
      if (intent === "revoke") return json<Result>({ errors: [], done: !!(await revokeInvitation(actor, invitation)) });
      if (intent === "resend") return json<Result>({ errors: [], issued: await resendInvitation(actor, invitation) });
      throw new AppError("BAD_REQUEST", { th: "ไม่รู้จักคำสั่งนี้", en: "Unknown request" });
    } catch (error) {
      return pageProblem(error);
    }
  });

export default function StaffPage() {
  const { lang, overview, me } = useLoaderData<typeof loader>();
  const result = useActionData<Result>();
  const t = (text: LocalizedText) => pick(text, lang);
  const i18n = i18nFor(lang);
  const roleLabel = (role: string) => (role === "agencyAdmin" ? t(T.adminRight) : i18n.t(`roles.${role}`));
  return (
    <div>
      <ProblemSummary lang={lang} message={result?.message} errors={result?.errors ?? []} idOf={(p) => (p === "/email" ? "invite-email" : "invite-roles")} />
      {result?.issued ? <IssuedNotice lang={lang} issued={result.issued} /> : null}
      {result?.done ? <div className="bk-alert ok" role="status">{t(T.done)}</div> : null}
      {result?.factorReset ? <div className="bk-alert ok" role="status" data-testid="factor-reset">{t(T.resetDone)}</div> : null}
      <h1>{t(T.title)}: {t(overview.agency.name)}</h1>
      <div style={{ overflowX: "auto" }}>
        <table className="bk-table" data-testid="staff">
          <thead><tr><th>{t(T.name)}</th><th>{t(T.roles)}</th><th>{t(T.status)}</th><th>{t(T.lastSignIn)}</th></tr></thead>
          <tbody>
            {overview.staff.map((s) => (
              <tr key={s.id} data-email={s.email}>
                <td>{s.name}<div className="bk-muted">{s.email}</div></td>
                <td>
                  <Form method="post" style={{ display: "grid", gap: 4 }}>
                    <CsrfField />
                    <input type="hidden" name="intent" value="roles" />
                    <input type="hidden" name="user" value={s.id} />
                    {overview.roles.map((role) => (
                      <label key={role} style={{ display: "flex", gap: 6 }}>
                        <input type="checkbox" name="roles" value={role} defaultChecked={role === "agencyAdmin" ? s.isAdmin : s.roles.includes(role as never)} />
                        {roleLabel(role)}
                      </label>
                    ))}
                    <div><button className="bk-button secondary" type="submit">{t(T.saveRoles)}</button></div>
                  </Form>
                </td>
                <td>
                  <span className={`bk-badge${s.active ? " done" : " rejected"}`}>{t(s.active ? T.active : T.inactive)}</span>
                  {s.id !== me ? (
                    <Form method="post" style={{ marginTop: 8 }}>
                      <CsrfField />
                      <input type="hidden" name="intent" value={s.active ? "deactivate" : "reactivate"} />
                      <input type="hidden" name="user" value={s.id} />
                      <button className={`bk-button${s.active ? " danger" : ""}`} type="submit" data-testid={`${s.active ? "deactivate" : "reactivate"}-${s.email}`}>{t(s.active ? T.deactivate : T.reactivate)}</button>
                    </Form>
                  ) : null}
                  {s.id !== me && s.hasSecondFactor ? (
                    <Form method="post" style={{ marginTop: 8 }}>
                      <CsrfField />
                      <input type="hidden" name="intent" value="reset-second-factor" />
                      <input type="hidden" name="user" value={s.id} />
                      <button className="bk-button secondary" type="submit" aria-describedby="reset-factor-hint" data-testid={`reset-factor-${s.email}`}>{t(T.resetFactor)}</button>
                    </Form>
                  ) : null}
                  {!s.hasSecondFactor ? <div className="bk-muted">{t(T.noFactor)}</div> : null}
                </td>
                <td>{s.lastSignInAt ? formatDateTime(s.lastSignInAt, lang) : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="bk-hint" id="reset-factor-hint">{t(T.resetFactor)}: {t(T.resetFactorHint)}</p>
      <section className="bk-card" style={{ marginTop: 20, maxWidth: 620 }}>
        <h2 style={{ marginTop: 0 }}>{t(T.policy)}</h2>
        <Form method="post" style={{ display: "grid", gap: 12 }}>
          <CsrfField />
          <input type="hidden" name="intent" value="policy" />
          <label style={{ display: "flex", gap: 8, alignItems: "flex-start" }}>
            <input type="checkbox" name="secondFactorForAllStaff" defaultChecked={overview.agency.secondFactorForAllStaff} aria-describedby="policy-hint" data-testid="policy-all-staff" />
            {t(T.policyAll)}
          </label>
          <p className="bk-hint" id="policy-hint" style={{ margin: 0 }}>{t(T.policyHint)}</p>
          <div><button className="bk-button secondary" type="submit">{t(T.savePolicy)}</button></div>
        </Form>
      </section>
      <section className="bk-card" style={{ marginTop: 20, maxWidth: 620 }}>
        <h2 style={{ marginTop: 0 }}>{t(T.invite)}</h2>
        <p className="bk-hint">{t(T.inviteHint)}</p>
        <Form method="post" style={{ display: "grid", gap: 12 }} noValidate>
          <CsrfField />
          <input type="hidden" name="intent" value="invite" />
          <label className="bk-field" htmlFor="invite-email">{t(ONBOARDING_TEXT.email)}<input id="invite-email" name="email" type="email" autoComplete="off" /></label>
          <fieldset id="invite-roles" style={{ border: 0, padding: 0, margin: 0 }}>
            <legend style={{ fontWeight: 600 }}>{t(T.roles)}</legend>
            {overview.roles.map((role) => (
              <label key={role} style={{ display: "flex", gap: 6 }}><input type="checkbox" name="roles" value={role} />{roleLabel(role)}</label>
            ))}
          </fieldset>
          <div><button className="bk-button" type="submit">{t(T.send)}</button></div>
        </Form>
      </section>
      <h2>{t(ONBOARDING_TEXT.invitations)}</h2>
      <InvitationTable lang={lang} rows={overview.invitations} describe={(row) => [...row.roles, ...(row.kind === "agencyAdmin" ? ["agencyAdmin"] : [])].map(roleLabel).join(", ")} />
    </div>
  );
}
