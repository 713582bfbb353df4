import { AppError } from "~/core/errors";
import type { FieldError } from "~/core/forms/form-validation";
import { INVITATION_REFUSALS, invitationState } from "~/core/onboarding/invitation-rules";
import { getAgency } from "~/models/agency.server";
import { claim, isDuplicateKey, releaseClaim } from "~/models/claim.server";
import { getInvitation, recordInvitationOutcome, type Invitation } from "~/models/invitation.server";
import { createUser, findUserByEmail, type User } from "~/models/user.server";
import { MIN_PASSWORD_LENGTH } from "~/services/accounts/change-password.server";
import { recordAudit } from "~/services/audit/record-audit.server";
import { actorOfUser } from "~/utils/auth.server";
import { connectDb } from "~/utils/db.server";
import { hashPassword } from "~/utils/passwords.server";
import { invitationClaimKey, invitationIdOf } from "./invitations.server";

const MAX_PASSWORD_LENGTH = 256;
const MAX_NAME_LENGTH = 200;

export type InvitationRefusal = keyof typeof INVITATION_REFUSALS;

/** An unusable link: NOT_FOUND when unknown, CONFLICT (with `details.reason`) when expired, used or revoked. */
export function invitationRefused(reason: InvitationRefusal): AppError {
  const { title, text } = INVITATION_REFUSALS[reason];
  return new AppError(reason === "unknown" ? "NOT_FOUND" : "CONFLICT", { th: `${title.th}: ${text.th}`, en: `${title.en}: ${text.en}` }, { reason: reason.toUpperCase() });
}

export type InvitationPreview = {
  email: string;
  kind: Invitation["kind"];
  roles: string[];
  agencyName: { th: string; en: string };
  expiresAt: string;
};

/** What the invitee's page shows before they accept. Errors: NOT_FOUND, CONFLICT (expired, used, revoked). */
export async function previewInvitation(token: string, now = new Date()): Promise<InvitationPreview> {
  await connectDb();
  const invitation = await usableInvitation(token, now);
  const agency = await getAgency(invitation.agencyId);
  return {
    email: invitation.email,
    kind: invitation.kind,
    roles: invitation.roles,
    agencyName: agency?.name ?? { th: invitation.agencyId, en: invitation.agencyId },
    expiresAt: invitation.expiresAt.toISOString(),
  };
}

async function usableInvitation(token: string, now: Date): Promise<Invitation> {
  const id = invitationIdOf(token);
  const invitation = id ? await getInvitation(id) : null;
  if (!invitation) throw invitationRefused("unknown");
  const state = invitationState(invitation, now);
  if (state !== "pending") throw invitationRefused(state);
  return invitation;
}

function checkInvitee(input: { name: unknown; password: unknown }): { name: string; password: string } {
  const name = typeof input.name === "string" ? input.name.trim() : "";
  const password = typeof input.password === "string" ? input.password : "";
  const fields: FieldError[] = [];
  if (!name || [...name].length > MAX_NAME_LENGTH) fields.push({ pointer: "/name", message: { th: "กรอกชื่อ-นามสกุลของคุณ (ไม่เกิน 200 ตัวอักษร)", en: "Enter your full name (at most 200 characters)" } });
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) {
    fields.push({ pointer: "/password", message: { th: `รหัสผ่านต้องยาวอย่างน้อย ${MIN_PASSWORD_LENGTH} ตัวอักษร`, en: `The password must be at least ${MIN_PASSWORD_LENGTH} characters long` } });
  } else if (length > MAX_PASSWORD_LENGTH) {
    fields.push({ pointer: "/password", message: { th: `รหัสผ่านต้องยาวไม่เกิน ${MAX_PASSWORD_LENGTH} ตัวอักษร`, en: `The password must be at most ${MAX_PASSWORD_LENGTH} characters long` } });
  }
  if (fields.length > 0) throw new AppError("FORM_INVALID", { th: "สร้างบัญชีไม่สำเร็จ", en: "The account was not created" }, { fields });
  return { name, password };
}

function accountExists(): AppError {
  return new AppError(
    "CONFLICT",
    { th: "อีเมลนี้มีบัญชีผู้ใช้อยู่แล้ว ให้เข้าสู่ระบบด้วยบัญชีเดิม", en: "This e-mail address already has an account: sign in with it" },
    { reason: "ACCOUNT_EXISTS" },
  );
}

/**
 * Turns an invitation into an account of the invited kind, agency and roles. Single use even under concurrency:
 * the unique claim on the invitation is taken only after every check, and a revocation takes the same claim.
 * Nothing is written when the name or password is refused. The caller starts the new session.
 * Errors: NOT_FOUND (unknown link), CONFLICT (expired, used, revoked, account exists), FORM_INVALID.
 */
export async function acceptInvitation(token: string, input: { name: unknown; password: unknown }, now = new Date()): Promise<User> {
  await connectDb();
  const invitation = await usableInvitation(token, now);
  const { name, password } = checkInvitee(input);
  if (await findUserByEmail(invitation.email)) throw accountExists();
  const passwordHash = await hashPassword(password);
  const key = invitationClaimKey(invitation._id);
  if (!(await claim(key, "accept"))) {
    const latest = await getInvitation(invitation._id);
    throw invitationRefused(latest?.status === "revoked" ? "revoked" : "accepted");
  }
  let user: User;
  try {
    user = await createUser({ email: invitation.email, passwordHash, name, kind: invitation.kind, agencyId: invitation.agencyId, roles: invitation.roles });
  } catch (error) {
    // The link stays usable: nothing else was written.
    await releaseClaim(key);
    if (isDuplicateKey(error)) throw accountExists();
    throw error;
  }
  await recordInvitationOutcome(invitation._id, { status: "accepted", acceptedAt: now, acceptedUserId: String(user._id) });
  await recordAudit(actorOfUser(user), {
    action: "invitation.accept",
    target: { type: "user", id: String(user._id) },
    details: { invitation: invitation._id.slice(0, 16), kind: invitation.kind, roles: invitation.roles, invitedBy: invitation.invitedBy.id },
    at: now,
  });
  return user;
}
