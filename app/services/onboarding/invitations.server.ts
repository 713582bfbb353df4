import { createHash, randomBytes } from "node:crypto";
import { AppError, notFound } from "~/core/errors";
import { isEmailAddress } from "~/core/onboarding/agency-input";
import { INVITATION_TOKEN, INVITATION_TTL_MS, invitationState, type InvitationState } from "~/core/onboarding/invitation-rules";
import type { StaffRole } from "~/core/workflow/types";
import { getAgency } from "~/models/agency.server";
import { findPendingInvitationsFor, getInvitation, insertInvitation, type Invitation } from "~/models/invitation.server";
import { findUserByEmail } from "~/models/user.server";
import { env } from "~/utils/env.server";
import type { AgencyAdminActor, OpdcActor } from "./access.server";
import { sendInvitationMail } from "./invitation-mail.server";

/** What admins see of an invitation (never the token: only its hash is stored). */
export type InvitationView = {
  id: string;
  agencyId: string;
  email: string;
  kind: Invitation["kind"];
  roles: StaffRole[];
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
  state: InvitationState;
};

export function invitationView(invitation: Invitation, now = new Date()): InvitationView {
  return {
    id: invitation._id,
    agencyId: invitation.agencyId,
    email: invitation.email,
    kind: invitation.kind,
    roles: invitation.roles,
    invitedBy: invitation.invitedBy.name,
    createdAt: invitation.createdAt.toISOString(),
    expiresAt: invitation.expiresAt.toISOString(),
    state: invitationState(invitation, now),
  };
}

/** The stored id of a link's token; null for anything that is not a token's shape. */
export function invitationIdOf(token: string): string | null {
  return INVITATION_TOKEN.test(token) ? createHash("sha256").update(token).digest("hex") : null;
}

export const invitationLink = (token: string) => `${env().PUBLIC_URL}/invitations/${token}`;

/** The claim that decides an invitation's one outcome: accepted, or revoked — never both, never twice. */
export const invitationClaimKey = (id: string) => `invitation:${id}`;

export type IssuedInvitation = {
  invitation: InvitationView;
  /** True when the e-mail went out through SMTP. */
  delivered: boolean;
  /** The link, for the inviting admin to pass on, only when no e-mail was sent. */
  link?: string;
};

const emailField = (th: string, en: string) => ({ fields: [{ pointer: "/email", message: { th, en } }] });

/** Refuses an address that already has an account or an invitation still open. Errors: FORM_INVALID, CONFLICT. */
export async function assertInvitable(email: string, now = new Date()): Promise<void> {
  if (!isEmailAddress(email)) {
    throw new AppError("FORM_INVALID", { th: "อีเมลไม่ถูกต้อง", en: "Invalid e-mail address" }, emailField("กรอกอีเมลให้ถูกต้อง เช่น name@example.go.th", "Enter an e-mail address, like name@example.go.th"));
  }
  if (await findUserByEmail(email)) {
    const th = "อีเมลนี้มีบัญชีผู้ใช้อยู่แล้ว จึงเชิญซ้ำไม่ได้";
    const en = "This e-mail address already has an account, so it cannot be invited";
    throw new AppError("CONFLICT", { th, en }, { reason: "ACCOUNT_EXISTS", ...emailField(th, en) });
  }
  const open = (await findPendingInvitationsFor(email)).filter((i) => invitationState(i, now) === "pending");
  if (open.length > 0) {
    const th = "อีเมลนี้มีคำเชิญที่ยังใช้ได้อยู่แล้ว ให้ส่งคำเชิญเดิมอีกครั้งหรือยกเลิกก่อน";
    const en = "This e-mail address already has an open invitation: resend or revoke that one";
    throw new AppError("CONFLICT", { th, en }, { reason: "ALREADY_INVITED", ...emailField(th, en) });
  }
}

/**
 * Creates an invitation with a fresh random token (only its hash is kept) and sends the e-mail. Callers have
 * checked who may invite whom. Errors: FORM_INVALID, CONFLICT, NOT_FOUND (agency).
 */
export async function issueInvitation(
  inviter: OpdcActor | AgencyAdminActor,
  target: { agencyId: string; email: string; kind: Invitation["kind"]; roles: StaffRole[] },
  now = new Date(),
): Promise<IssuedInvitation> {
  const email = target.email.trim().toLowerCase();
  await assertInvitable(email, now);
  const agency = await getAgency(target.agencyId);
  if (!agency) throw notFound({ th: "หน่วยงาน", en: "Agency" });
  const token = randomBytes(32).toString("base64url");
  const invitation = await insertInvitation({
    _id: invitationIdOf(token)!,
    agencyId: agency._id,
    email,
    kind: target.kind,
    roles: target.roles,
    invitedBy: { kind: inviter.kind, id: inviter.id, name: inviter.name },
    createdAt: now,
    expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
    status: "pending",
  });
  const link = invitationLink(token);
  const outcome = await sendInvitationMail({
    invitationId: invitation._id,
    to: email,
    link,
    agencyName: agency.name,
    inviterName: inviter.name,
    asAdmin: target.kind === "agencyAdmin",
    expiresAt: invitation.expiresAt,
  });
  return { invitation: invitationView(invitation, now), delivered: outcome.delivered, ...(outcome.delivered ? {} : { link }) };
}

/**
 * The invitation `id` as `actor` may see it: OPDC sees every agency's, an agency admin only their own agency's;
 * anything else looks as if it did not exist. Errors: NOT_FOUND.
 */
export async function invitationInScope(actor: OpdcActor | AgencyAdminActor, id: string): Promise<Invitation> {
  const invitation = /^[0-9a-f]{64}$/.test(id) ? await getInvitation(id) : null;
  if (!invitation || (actor.kind === "staff" && invitation.agencyId !== actor.agencyId)) {
    throw notFound({ th: "คำเชิญ", en: "Invitation" });
  }
  return invitation;
}

