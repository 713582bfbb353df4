import type { Actor } from "~/core/actor";
import { AppError } from "~/core/errors";
import { invitationState } from "~/core/onboarding/invitation-rules";
import { ADMIN_RIGHT, leavesAgencyWithoutAdmin, NO_ADMIN_LEFT, parseRoleChoice } from "~/core/onboarding/staff-rules";
import type { StaffRole } from "~/core/workflow/types";
import { getAgency } from "~/models/agency.server";
import { acquireLease, releaseClaim } from "~/models/claim.server";
import { listInvitationsOf } from "~/models/invitation.server";
import { accountsWithAnyFactor } from "~/models/second-factor.server";
import { listAgencyAccounts, type User } from "~/models/user.server";
import { changeAccountEndingSessions } from "~/services/accounts/account-change.server";
import { staffAccountManagedBy } from "~/services/accounts/agency-admin-access.server";
import { deactivateUser } from "~/services/accounts/deactivate-user.server";
import { reactivateUser } from "~/services/accounts/reactivate-user.server";
import { recordAudit } from "~/services/audit/record-audit.server";
import { connectDb } from "~/utils/db.server";
import { requireAgencyAdmin, type AgencyAdminActor } from "./access.server";
import { offeredRoles } from "./agency-roles.server";
import { invitationView, issueInvitation, type InvitationView, type IssuedInvitation } from "./invitations.server";

export type StaffMember = {
  id: string;
  name: string;
  email: string;
  roles: StaffRole[];
  isAdmin: boolean;
  active: boolean;
  lastSignInAt: string | null;
  /** Has a passkey or an authenticator app (an admin can reset them when lost). */
  hasSecondFactor: boolean;
};

export type StaffOverview = {
  agency: { id: string; name: { th: string; en: string }; secondFactorForAllStaff: boolean };
  staff: StaffMember[];
  /** The roles this agency can give (its services' roles), plus the admin right. */
  roles: string[];
  /** Invitations not yet accepted or revoked (open or expired). */
  invitations: InvitationView[];
};

const member = (user: User, hasSecondFactor: boolean): StaffMember => ({
  id: String(user._id),
  name: user.name,
  email: user.email,
  roles: user.roles ?? [],
  isAdmin: user.kind === "agencyAdmin",
  active: user.active !== false,
  lastSignInAt: user.lastSignInAt ? new Date(user.lastSignInAt).toISOString() : null,
  hasSecondFactor,
});

async function memberAfterChange(user: User): Promise<StaffMember> {
  const id = String(user._id);
  return member(user, (await accountsWithAnyFactor([id])).has(id));
}

/** The admin's agency: its staff, the roles on offer and open invitations. Errors: FORBIDDEN. */
export async function getStaffOverview(actor: Actor, now = new Date()): Promise<StaffOverview> {
  const admin = requireAgencyAdmin(actor);
  await connectDb();
  const agency = await getAgency(admin.agencyId);
  const accounts = await listAgencyAccounts(admin.agencyId);
  const ids = accounts.map((a) => String(a._id));
  const withFactor = await accountsWithAnyFactor(ids);
  const invitations = (await listInvitationsOf(admin.agencyId)).filter((i) => ["pending", "expired"].includes(invitationState(i, now)));
  return {
    agency: { id: admin.agencyId, name: agency?.name ?? { th: admin.agencyId, en: admin.agencyId }, secondFactorForAllStaff: agency?.secondFactorForAllStaff === true },
    staff: accounts.map((a) => member(a, withFactor.has(String(a._id)))),
    roles: [...(await offeredRoles(admin.agencyId)), ADMIN_RIGHT],
    invitations: invitations.map((i) => invitationView(i, now)),
  };
}

function rolesInvalid(fields: { pointer: string; message: { th: string; en: string } }[]): AppError {
  return new AppError("FORM_INVALID", { th: "บทบาทไม่ถูกต้อง", en: "Invalid roles" }, { fields });
}

/** Invites a member of staff with roles the agency offers. Errors: FORBIDDEN, FORM_INVALID, CONFLICT. */
export async function inviteStaff(actor: Actor, input: { email?: unknown; roles?: unknown }, now = new Date()): Promise<IssuedInvitation> {
  const admin = requireAgencyAdmin(actor);
  await connectDb();
  const parsed = parseRoleChoice(input.roles, await offeredRoles(admin.agencyId));
  if ("fields" in parsed) throw rolesInvalid(parsed.fields);
  const kind = parsed.choice.admin ? "agencyAdmin" : "staff";
  const issued = await issueInvitation(admin, { agencyId: admin.agencyId, email: typeof input.email === "string" ? input.email : "", kind, roles: parsed.choice.roles }, now);
  await recordAudit(admin, {
    action: "user.invite",
    target: { type: "invitation", id: issued.invitation.id },
    details: { email: issued.invitation.email, kind, roles: parsed.choice.roles, delivered: issued.delivered },
    at: now,
  });
  return issued;
}

/**
 * Changes to who is an admin of an agency run one at a time: the check "someone stays admin" and the write would
 * otherwise race (two admins removing each other). A claim, since FerretDB has no transactions.
 */
async function withAdminSeatsLocked<T>(agencyId: string, run: () => Promise<T>): Promise<T> {
  const key = `agency-admins:${agencyId}`;
  if (!(await acquireLease(key, () => Promise.resolve(true), 30_000))) {
    throw new AppError("CONFLICT", { th: "มีการเปลี่ยนผู้ดูแลระบบของหน่วยงานนี้อยู่ กรุณาลองใหม่", en: "Another change to this agency's admins is in progress: try again" }, { reason: "BUSY" });
  }
  try {
    return await run();
  } finally {
    await releaseClaim(key);
  }
}

async function assertAdminRemains(admin: AgencyAdminActor, userId: string, change: { isAdmin?: boolean; active?: boolean }): Promise<void> {
  const seats = (await listAgencyAccounts(admin.agencyId)).map((a) => ({ id: String(a._id), isAdmin: a.kind === "agencyAdmin", active: a.active !== false }));
  if (leavesAgencyWithoutAdmin(seats, userId, change)) throw new AppError("CONFLICT", NO_ADMIN_LEFT, { reason: "LAST_ADMIN" });
}

/**
 * Gives and takes roles (and the admin right) of a member of the admin's agency; their sessions end at once.
 * Errors: FORBIDDEN, NOT_FOUND (another agency's or no such account), FORM_INVALID (a role the agency does not
 * have), CONFLICT (the agency would have no admin).
 */
export async function changeStaffRoles(actor: Actor, userId: string, input: { roles?: unknown }, now = new Date()): Promise<StaffMember> {
  const admin = requireAgencyAdmin(actor);
  const user = await staffAccountManagedBy(admin, userId);
  const parsed = parseRoleChoice(input.roles, await offeredRoles(admin.agencyId), user.roles ?? []);
  if ("fields" in parsed) throw rolesInvalid(parsed.fields);
  const { roles, admin: isAdmin } = parsed.choice;
  const updated = await withAdminSeatsLocked(admin.agencyId, async () => {
    await assertAdminRemains(admin, userId, { isAdmin });
    return changeAccountEndingSessions(userId, { roles, kind: isAdmin ? "agencyAdmin" : "staff" }, now);
  });
  await recordAudit(admin, {
    action: "user.roles",
    target: { type: "user", id: userId },
    details: { from: [...(user.roles ?? []), ...(user.kind === "agencyAdmin" ? [ADMIN_RIGHT] : [])], to: [...roles, ...(isAdmin ? [ADMIN_RIGHT] : [])] },
    at: now,
  });
  return memberAfterChange(updated);
}

/** Deactivates a member of staff; their sessions end at once. Errors: FORBIDDEN, NOT_FOUND, CONFLICT (last admin). */
export async function deactivateStaff(actor: Actor, userId: string, now = new Date()): Promise<StaffMember> {
  const admin = requireAgencyAdmin(actor);
  await staffAccountManagedBy(admin, userId);
  const updated = await withAdminSeatsLocked(admin.agencyId, async () => {
    await assertAdminRemains(admin, userId, { active: false });
    return deactivateUser(admin, userId, now);
  });
  await recordAudit(admin, { action: "user.deactivate", target: { type: "user", id: userId }, at: now });
  return memberAfterChange(updated);
}

/** Lets a deactivated member sign in again. Errors: FORBIDDEN, NOT_FOUND. */
export async function reactivateStaff(actor: Actor, userId: string, now = new Date()): Promise<StaffMember> {
  const admin = requireAgencyAdmin(actor);
  const updated = await reactivateUser(admin, userId, now);
  await recordAudit(admin, { action: "user.reactivate", target: { type: "user", id: userId }, at: now });
  return memberAfterChange(updated);
}
