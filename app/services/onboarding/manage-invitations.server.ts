import type { Actor } from "~/core/actor";
import { AppError, notFound } from "~/core/errors";
import { invitationState } from "~/core/onboarding/invitation-rules";
import { getAgency } from "~/models/agency.server";
import { claim } from "~/models/claim.server";
import { getInvitation, listInvitationsOf, recordInvitationOutcome, type Invitation } from "~/models/invitation.server";
import { findUserByEmail } from "~/models/user.server";
import { recordAudit } from "~/services/audit/record-audit.server";
import { connectDb } from "~/utils/db.server";
import { requireInvitationManager } from "./access.server";
import { invitationClaimKey, invitationInScope, invitationView, issueInvitation, type InvitationView, type IssuedInvitation } from "./invitations.server";

/**
 * An agency's invitations, newest first: an agency admin sees their own agency's (any other `agencyId` is a
 * 404), OPDC any agency's. Errors: FORBIDDEN, NOT_FOUND.
 */
export async function listInvitations(actor: Actor, agencyId?: string, now = new Date()): Promise<InvitationView[]> {
  const manager = requireInvitationManager(actor);
  await connectDb();
  const scope = manager.kind === "staff" ? manager.agencyId : agencyId;
  if (manager.kind === "staff" && agencyId && agencyId !== manager.agencyId) throw notFound({ th: "หน่วยงาน", en: "Agency" });
  if (!scope) throw new AppError("BAD_REQUEST", { th: "ระบุหน่วยงาน (?agency=)", en: "Name the agency (?agency=)" });
  if (!(await getAgency(scope))) throw notFound({ th: "หน่วยงาน", en: "Agency" });
  return (await listInvitationsOf(scope)).map((i) => invitationView(i, now));
}

function alreadyAccepted(): AppError {
  return new AppError("CONFLICT", { th: "คำเชิญนี้ถูกใช้สร้างบัญชีแล้ว จึงยกเลิกไม่ได้", en: "This invitation has already been accepted and cannot be revoked" }, { reason: "ACCEPTED" });
}

/** Takes the invitation's claim for a revocation; false when it was already revoked. Errors: CONFLICT (accepted). */
async function claimForRevocation(invitation: Invitation): Promise<boolean> {
  if (invitation.status === "accepted") throw alreadyAccepted();
  if (invitation.status === "revoked") return false;
  if (await claim(invitationClaimKey(invitation._id), "revoke")) return true;
  const latest = await getInvitation(invitation._id);
  if (latest?.status === "revoked") return false;
  // Accepted, or being accepted this very moment.
  throw alreadyAccepted();
}

/** Withdraws an invitation: its link stops working at once. Idempotent. Errors: FORBIDDEN, NOT_FOUND, CONFLICT. */
export async function revokeInvitation(actor: Actor, id: string, now = new Date()): Promise<InvitationView> {
  const manager = requireInvitationManager(actor);
  await connectDb();
  const invitation = await invitationInScope(manager, id);
  if (await claimForRevocation(invitation)) {
    await recordInvitationOutcome(id, { status: "revoked", revokedAt: now });
    await recordAudit(manager, { action: "invitation.revoke", target: { type: "invitation", id }, details: { agencyId: invitation.agencyId, email: invitation.email }, at: now });
  }
  return invitationView({ ...invitation, status: "revoked", revokedAt: invitation.revokedAt ?? now }, now);
}

/**
 * Sends a fresh link for an open or expired invitation: the old link is revoked and a new one, valid for another
 * 72 hours, goes out. Errors: FORBIDDEN, NOT_FOUND, CONFLICT (accepted, revoked, account exists).
 */
export async function resendInvitation(actor: Actor, id: string, now = new Date()): Promise<IssuedInvitation> {
  const manager = requireInvitationManager(actor);
  await connectDb();
  const invitation = await invitationInScope(manager, id);
  if (invitationState(invitation, now) === "revoked") {
    throw new AppError("CONFLICT", { th: "คำเชิญนี้ถูกยกเลิกแล้ว ให้เชิญใหม่", en: "This invitation was revoked: send a new invitation instead" }, { reason: "REVOKED" });
  }
  // Checked before the old link is withdrawn, so a refusal leaves everything as it was.
  if (await findUserByEmail(invitation.email)) {
    throw new AppError("CONFLICT", { th: "อีเมลนี้มีบัญชีผู้ใช้อยู่แล้ว", en: "This e-mail address already has an account" }, { reason: "ACCOUNT_EXISTS" });
  }
  if (!(await claimForRevocation(invitation))) {
    throw new AppError("CONFLICT", { th: "คำเชิญนี้ถูกยกเลิกแล้ว ให้เชิญใหม่", en: "This invitation was revoked: send a new invitation instead" }, { reason: "REVOKED" });
  }
  await recordInvitationOutcome(id, { status: "revoked", revokedAt: now });
  const issued = await issueInvitation(manager, { agencyId: invitation.agencyId, email: invitation.email, kind: invitation.kind, roles: invitation.roles }, now);
  await recordInvitationOutcome(id, { replacedBy: issued.invitation.id });
  await recordAudit(manager, {
    action: "invitation.resend",
    target: { type: "invitation", id: issued.invitation.id },
    details: { replaces: id, agencyId: invitation.agencyId, email: invitation.email, delivered: issued.delivered },
    at: now,
  });
  return issued;
}
