import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfField } from "~/components/CsrfField";
import { InvitationTable, IssuedNotice, ProblemSummary, ONBOARDING_TEXT, type Issued } from "~/components/OnboardingParts";
import { AppError } from "~/core/errors";
import type { FieldError } from "~/core/forms/form-validation";
import { AGENCY_KINDS } from "~/core/onboarding/agency-input";
import { pick, type LocalizedText } from "~/core/text";
import { listProvinces } from "~/core/thai/address";
import { createAgency, inviteAgencyAdmin, listAgencyOverview } from "~/services/onboarding/agencies.server";
import { resendInvitation, revokeInvitation } from "~/services/onboarding/manage-invitations.server";
import { pageProblem } from "~/services/onboarding/page-result.server";
import { requireSessionActor } from "~/utils/auth.server";
import { pageHandler, readForm, requireMethod } from "~/utils/http.server";
import { requestLang } from "~/utils/lang.server";

export const meta: MetaFunction = () => [{ title: "หน่วยงาน / Agencies — Borikan" }];

const T = {
  title: { th: "หน่วยงานบนแพลตฟอร์ม", en: "Agencies on the platform" },
  code: { th: "รหัส", en: "Code" },
  agency: { th: "หน่วยงาน", en: "Agency" },
  admins: { th: "ผู้ดูแลระบบ", en: "Admins" },
  add: { th: "เพิ่มหน่วยงาน", en: "Add an agency" },
  codeHint: { th: "อักษรภาษาอังกฤษตัวพิมพ์ใหญ่หรือตัวเลข 2–12 ตัว เช่น CMN01", en: "2–12 upper-case letters or digits, e.g. CMN01" },
  nameTh: { th: "ชื่อภาษาไทย", en: "Name in Thai" },
  nameEn: { th: "ชื่อภาษาอังกฤษ", en: "Name in English" },
  kind: { th: "ประเภท", en: "Kind" },
  province: { th: "จังหวัด", en: "Province" },
  provinceHint: { th: "ไม่ต้องระบุสำหรับกรม", en: "Not needed for a department" },
  contactName: { th: "ชื่อผู้ติดต่อ", en: "Contact name" },
  contactEmail: { th: "อีเมลผู้ติดต่อ", en: "Contact e-mail" },
  contactPhone: { th: "โทรศัพท์ผู้ติดต่อ", en: "Contact phone" },
  level: { th: "ระดับความพร้อมเป้าหมาย", en: "Target readiness level" },
  initial: { th: "ระดับเริ่มต้น", en: "Initial" },
  standard: { th: "ระดับมาตรฐาน", en: "Standard" },
  save: { th: "เพิ่มหน่วยงาน", en: "Add the agency" },
  created: { th: "เพิ่มหน่วยงานแล้ว เชิญผู้ดูแลระบบคนแรกได้ที่รายการด้านบน", en: "The agency was added: invite its first admin in the list above" },
  inviteAdmin: { th: "เชิญผู้ดูแลระบบ", en: "Invite an admin" },
  choose: { th: "เลือก", en: "Choose" },
  done: { th: "บันทึกแล้ว", en: "Saved" },
} satisfies Record<string, LocalizedText>;
const KINDS: Record<string, LocalizedText> = {
  municipality: { th: "เทศบาล", en: "Municipality" },
  sao: { th: "องค์การบริหารส่วนตำบล", en: "Subdistrict administrative organisation" },
  provincialOffice: { th: "สำนักงานจังหวัด", en: "Provincial office" },
  department: { th: "กรม", en: "Department" },
};
const FIELD_IDS: Record<string, string> = {
  "/code": "agency-code", "/name/th": "agency-name-th", "/name/en": "agency-name-en", "/kind": "agency-kind", "/province": "agency-province",
  "/contact/name": "agency-contact-name", "/contact/email": "agency-contact-email", "/contact/phone": "agency-contact-phone", "/targetLevel": "agency-level",
};

export const loader = ({ request }: LoaderFunctionArgs) =>
  pageHandler(async () => {
    const actor = await requireSessionActor(request);
    return json({ lang: await requestLang(request), agencies: await listAgencyOverview(actor), provinces: await listProvinces() });
  });

type Result = { errors: FieldError[]; message?: LocalizedText; issued?: Issued; created?: string; done?: boolean };

export const action = ({ request }: ActionFunctionArgs) =>
  pageHandler(async () => {
    requireMethod(request, "POST");
    const actor = await requireSessionActor(request);
    const form = await readForm(request);
    const value = (name: string) => String(form.get(name) ?? "");
    const intent = form.get("intent");
    try {
      if (intent === "create") {
        const agency = await createAgency(actor, {
          code: value("code"),
          name: { th: value("nameTh"), en: value("nameEn") },
          kind: value("kind"),
          province: value("province"),
          contact: { name: value("contactName"), email: value("contactEmail"), phone: value("contactPhone") },
          targetLevel: value("targetLevel"),
        });
        return json<Result>({ errors: [], created: agency.code });
      }
      if (intent === "inviteAdmin") return json<Result>({ errors: [], issued: await inviteAgencyAdmin(actor, value("agency"), { email: value("email") }) });
      if (intent === "revoke") return json<Result>({ errors: [], done: !!(await revokeInvitation(actor, value("invitation"))) });
      if (intent === "resend") return json<Result>({ errors: [], issued: await resendInvitation(actor, value("invitation")) });
      throw new AppError("BAD_REQUEST", { th: "ไม่รู้จักคำสั่งนี้", en: "Unknown request" });
    } catch (error) {
      return pageProblem(error);
    }
  });

export default function AgenciesPage() {
  const { lang, agencies, provinces } = useLoaderData<typeof loader>();
  const result = useActionData<Result>();
  const t = (text: LocalizedText) => pick(text, lang);
  const errorOf = (pointer: string) => result?.errors.find((e) => e.pointer === pointer);
  const input = (pointer: string, name: string, label: LocalizedText, options: { type?: string; hint?: LocalizedText; children?: React.ReactNode } = {}) => {
    const id = FIELD_IDS[pointer]!;
    const error = errorOf(pointer);
    const described = [options.hint ? `${id}-hint` : "", error ? `${id}-error` : ""].join(" ").trim() || undefined;
    return (
      <div className={`bk-field${error ? " bk-field-error" : ""}`} style={{ display: "grid", gap: 4 }}>
        <label htmlFor={id} style={{ fontWeight: 600 }}>{t(label)}</label>
        {options.hint ? <span id={`${id}-hint`} className="bk-hint">{t(options.hint)}</span> : null}
        {error ? <span id={`${id}-error`} className="bk-error-message">{t(error.message)}</span> : null}
        {options.children ? (
          <select id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={described} defaultValue="">{options.children}</select>
        ) : (
          <input id={id} name={name} type={options.type ?? "text"} aria-invalid={error ? true : undefined} aria-describedby={described} />
        )}
      </div>
    );
  };
  return (
    <div>
      <ProblemSummary lang={lang} message={result?.message} errors={result?.errors ?? []} idOf={(p) => FIELD_IDS[p] ?? "invite"} />
      {result?.issued ? <IssuedNotice lang={lang} issued={result.issued} /> : null}
      {result?.created ? <div className="bk-alert ok" role="status">{t(T.created)} ({result.created})</div> : null}
      {result?.done ? <div className="bk-alert ok" role="status">{t(T.done)}</div> : null}
      <h1>{t(T.title)}</h1>
      <div style={{ display: "grid", gap: 12 }} data-testid="agencies">
        {agencies.map((a) => (
          <section key={a.id} className="bk-card" data-agency={a.code}>
            <h2 style={{ margin: "0 0 4px", fontSize: "1.1rem" }}>{t(a.name)} <span className="bk-badge">{a.code}</span></h2>
            <p className="bk-muted" style={{ margin: 0 }}>
              {t(KINDS[a.kind] ?? { th: a.kind, en: a.kind })}{a.province ? ` · ${a.province}` : ""}{a.targetLevel ? ` · ${t(a.targetLevel === "standard" ? T.standard : T.initial)}` : ""} · {t(T.admins)}: {a.admins}
            </p>
            <InvitationTable lang={lang} rows={a.invitations} />
            <Form method="post" style={{ display: "flex", gap: 8, flexWrap: "wrap", alignItems: "end", marginTop: 8 }}>
              <CsrfField />
              <input type="hidden" name="intent" value="inviteAdmin" />
              <input type="hidden" name="agency" value={a.id} />
              <label className="bk-field">{t(ONBOARDING_TEXT.email)}<input name="email" type="email" autoComplete="off" data-testid={`invite-admin-email-${a.code}`} /></label>
              <button className="bk-button secondary" type="submit">{t(T.inviteAdmin)}</button>
            </Form>
          </section>
        ))}
      </div>
      <section className="bk-card" style={{ marginTop: 20, maxWidth: 620 }}>
        <h2 style={{ marginTop: 0 }}>{t(T.add)}</h2>
        <Form method="post" style={{ display: "grid", gap: 12 }} noValidate data-testid="add-agency">
          <CsrfField />
          <input type="hidden" name="intent" value="create" />
          {input("/code", "code", T.code, { hint: T.codeHint })}
          {input("/name/th", "nameTh", T.nameTh)}
          {input("/name/en", "nameEn", T.nameEn)}
          {input("/kind", "kind", T.kind, { children: [<option key="" value="">{t(T.choose)}</option>, ...AGENCY_KINDS.map((k) => <option key={k} value={k}>{t(KINDS[k]!)}</option>)] })}
          {input("/province", "province", T.province, { hint: T.provinceHint, children: [<option key="" value="">{t(T.choose)}</option>, ...provinces.map((p) => <option key={p} value={p}>{p}</option>)] })}
          {input("/contact/name", "contactName", T.contactName)}
          {input("/contact/email", "contactEmail", T.contactEmail, { type: "email" })}
          {input("/contact/phone", "contactPhone", T.contactPhone, { type: "tel" })}
          {input("/targetLevel", "targetLevel", T.level, { children: [<option key="" value="">{t(T.choose)}</option>, <option key="initial" value="initial">{t(T.initial)}</option>, <option key="standard" value="standard">{t(T.standard)}</option>] })}
          <div><button className="bk-button" type="submit">{t(T.save)}</button></div>
        </Form>
      </section>
    </div>
  );
}
