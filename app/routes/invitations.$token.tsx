import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfField } from "~/components/CsrfField";
import { isAppError } from "~/core/errors";
import { INVITATION_REFUSALS } from "~/core/onboarding/invitation-rules";
import { pick, type LocalizedText } from "~/core/text";
import { formatDateTime } from "~/core/thai/buddhist-date";
import { acceptInvitation, previewInvitation, type InvitationRefusal } from "~/services/onboarding/accept-invitation.server";
import { pageProblem, type PageProblem } from "~/services/onboarding/page-result.server";
import { enforceRateLimit } from "~/services/security/rate-limits.server";
import { secondFactorStepFor } from "~/services/second-factor/policy.server";
import { pendingStepPath, startSession } from "~/utils/auth.server";
import { clientIp } from "~/utils/client-ip.server";
import { readForm, requireMethod } from "~/utils/http.server";
import { requestLang } from "~/utils/lang.server";

export const meta: MetaFunction = () => [{ title: "รับคำเชิญ / Accept the invitation — Borikan" }];

const T = {
  title: { th: "สร้างบัญชีจากคำเชิญ", en: "Create your account" },
  intro: { th: "คุณได้รับเชิญเป็น{{role}}ของ", en: "You are invited as {{role}} of" },
  admin: { th: "ผู้ดูแลระบบหน่วยงาน", en: "an agency administrator" },
  staff: { th: "เจ้าหน้าที่", en: "a member of staff" },
  email: { th: "อีเมล", en: "E-mail" },
  expires: { th: "ลิงก์ใช้ได้ถึง", en: "The link works until" },
  name: { th: "ชื่อ-นามสกุล", en: "Full name" },
  password: { th: "ตั้งรหัสผ่าน", en: "Choose a password" },
  passwordHint: { th: "อย่างน้อย 12 ตัวอักษร ใช้วลีที่จำได้ง่ายแต่เดายาก", en: "At least 12 characters: a phrase easy to remember and hard to guess" },
  submit: { th: "สร้างบัญชีและเข้าสู่ระบบ", en: "Create the account and sign in" },
  problem: { th: "มีปัญหา", en: "There is a problem" },
  signIn: { th: "ไปหน้าเข้าสู่ระบบ", en: "Go to sign-in" },
} satisfies Record<string, LocalizedText>;

const refusalOf = (error: unknown): InvitationRefusal | null => {
  if (!isAppError(error)) return null;
  const reason = String((error.details as { reason?: string } | undefined)?.reason ?? "").toLowerCase();
  return error.code === "NOT_FOUND" ? "unknown" : reason in INVITATION_REFUSALS ? (reason as InvitationRefusal) : null;
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const lang = await requestLang(request);
  try {
    return json({ lang, invitation: await previewInvitation(params.token ?? ""), refusal: null });
  } catch (error) {
    const refusal = refusalOf(error);
    if (!refusal) throw error;
    return json({ lang, invitation: null, refusal }, { status: refusal === "unknown" ? 404 : 410 });
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  requireMethod(request, "POST");
  try {
    const form = await readForm(request);
    await enforceRateLimit("invitationAccept", clientIp(request));
    const user = await acceptInvitation(params.token ?? "", { name: form.get("name"), password: form.get("password") });
    const home = user.kind === "agencyAdmin" ? "/admin/staff" : "/inbox";
    // Someone who must have a second factor enrols one before anything else.
    const step = await secondFactorStepFor(user);
    if (step) return await startSession(request, user, `${pendingStepPath(step)}?next=${encodeURIComponent(home)}`, step);
    return await startSession(request, user, home);
  } catch (error) {
    const refusal = refusalOf(error);
    if (refusal) return json({ refusal, errors: [], message: INVITATION_REFUSALS[refusal].title }, { status: refusal === "unknown" ? 404 : 410 });
    return pageProblem(error);
  }
}

export default function AcceptInvitation() {
  const { lang, invitation, refusal: loaded } = useLoaderData<typeof loader>();
  const result = useActionData<PageProblem & { refusal?: InvitationRefusal }>();
  const t = (text: LocalizedText) => pick(text, lang);
  const refusal = result?.refusal ?? loaded;
  if (refusal || !invitation) {
    const { title, text } = INVITATION_REFUSALS[refusal ?? "unknown"];
    return (
      <div className="bk-card" style={{ maxWidth: 620 }} data-testid="invitation-refused" data-reason={refusal}>
        <h1>{t(title)}</h1>
        <p lang="th">{text.th}</p>
        <p lang="en">{text.en}</p>
        <p><a href="/login">{t(T.signIn)}</a></p>
      </div>
    );
  }
  const errors = result?.errors ?? [];
  const errorOf = (pointer: string) => errors.find((e) => e.pointer === pointer);
  const field = (name: "name" | "password", label: string, type: string, autoComplete: string, hint?: string) => {
    const error = errorOf(`/${name}`);
    return (
      <div className={`bk-field${error ? " bk-field-error" : ""}`} style={{ display: "grid", gap: 4 }}>
        <label htmlFor={`invitee-${name}`} style={{ fontWeight: 600 }}>{label}</label>
        {hint ? <span id={`invitee-${name}-hint`} className="bk-hint">{hint}</span> : null}
        {error ? <span id={`invitee-${name}-error`} className="bk-error-message">{t(error.message)}</span> : null}
        <input id={`invitee-${name}`} name={name} type={type} required autoComplete={autoComplete} aria-invalid={error ? true : undefined}
          aria-describedby={[hint ? `invitee-${name}-hint` : "", error ? `invitee-${name}-error` : ""].join(" ").trim() || undefined} />
      </div>
    );
  };
  const role = t(invitation.kind === "agencyAdmin" ? T.admin : T.staff);
  return (
    <div style={{ maxWidth: 620 }}>
      {result?.message ? (
        <div className="bk-error-summary" role="alert" tabIndex={-1} data-testid="error-summary">
          <h2>{t(T.problem)}</h2>
          <p>{t(result.message)}</p>
          <ul>{errors.map((e) => <li key={e.pointer}><a href={`#invitee-${e.pointer.slice(1)}`}>{t(e.message)}</a></li>)}</ul>
        </div>
      ) : null}
      <h1>{t(T.title)}</h1>
      <p>{t(T.intro).replace("{{role}}", role)} <strong>{t(invitation.agencyName)}</strong></p>
      <dl className="bk-dl" style={{ marginBottom: 16 }}>
        <dt>{t(T.email)}</dt><dd data-testid="invitee-email">{invitation.email}</dd>
        <dt>{t(T.expires)}</dt><dd>{formatDateTime(invitation.expiresAt, lang)}</dd>
      </dl>
      <Form method="post" className="bk-card" style={{ display: "grid", gap: 14 }} noValidate>
        <CsrfField />
        {field("name", t(T.name), "text", "name")}
        {field("password", t(T.password), "password", "new-password", t(T.passwordHint))}
        <div><button className="bk-button" type="submit">{t(T.submit)}</button></div>
      </Form>
    </div>
  );
}
