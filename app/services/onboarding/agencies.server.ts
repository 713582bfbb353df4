import type { Actor } from "~/core/actor";
import { AppError, notFound } from "~/core/errors";
import { parseNewAgency, type NewAgencyInput } from "~/core/onboarding/agency-input";
import { invitationState } from "~/core/onboarding/invitation-rules";
import { listProvinces } from "~/core/thai/address";
import { getAgency, insertAgency, listAgencies, type Agency } from "~/models/agency.server";
import { isDuplicateKey } from "~/models/claim.server";
import { listInvitationsOf } from "~/models/invitation.server";
import { listAgencyAccounts } from "~/models/user.server";
import { recordAudit } from "~/services/audit/record-audit.server";
import { connectDb } from "~/utils/db.server";
import { requireOpdcAdmin } from "./access.server";
import { invitationView, issueInvitation, type InvitationView, type IssuedInvitation } from "./invitations.server";

export type AgencyView = {
  id: string;
  code: string;
  name: { th: string; en: string };
  kind: Agency["kind"];
  province: string | null;
  targetLevel: string | null;
  contact: NewAgencyInput["contact"] | null;
  /** Active agency admins. */
  admins: number;
  /** Invitations not yet accepted or revoked (open or expired). */
  invitations: InvitationView[];
};

async function agencyView(agency: Agency, now: Date): Promise<AgencyView> {
  const accounts = await listAgencyAccounts(agency._id);
  const invitations = (await listInvitationsOf(agency._id)).filter((i) => ["pending", "expired"].includes(invitationState(i, now)));
  return {
    id: agency._id,
    code: agency.code,
    name: agency.name,
    kind: agency.kind,
    province: agency.province ?? null,
    targetLevel: agency.targetLevel ?? null,
    contact: agency.contact ?? null,
    admins: accounts.filter((a) => a.kind === "agencyAdmin" && a.active !== false).length,
    invitations: invitations.map((i) => invitationView(i, now)),
  };
}

/** Every agency OPDC has on the platform (not OPDC itself), with its admins and open invitations. Errors: FORBIDDEN. */
export async function listAgencyOverview(actor: Actor, now = new Date()): Promise<AgencyView[]> {
  requireOpdcAdmin(actor);
  await connectDb();
  const agencies = (await listAgencies()).filter((a) => a.kind !== "opdc");
  return Promise.all(agencies.map((a) => agencyView(a, now)));
}

function codeTaken(code: string): AppError {
  const th = `มีหน่วยงานที่ใช้รหัส ${code} แล้ว เลือกรหัสอื่น`;
  const en = `An agency already uses the code ${code}; choose another`;
  return new AppError("CONFLICT", { th, en }, { reason: "CODE_TAKEN", fields: [{ pointer: "/code", message: { th, en } }] });
}

/**
 * Adds an agency. Its id is the code in lower case (a unique `_id`, so two concurrent additions of one code
 * cannot both succeed); a code another agency already shows is refused too. Errors: FORBIDDEN, FORM_INVALID, CONFLICT.
 */
export async function createAgency(actor: Actor, input: unknown, now = new Date()): Promise<AgencyView> {
  const opdc = requireOpdcAdmin(actor);
  await connectDb();
  const parsed = parseNewAgency(input, await listProvinces());
  if ("fields" in parsed) throw new AppError("FORM_INVALID", { th: "ข้อมูลหน่วยงานไม่ถูกต้อง", en: "The agency's details are not valid" }, { fields: parsed.fields });
  const { agency: fields } = parsed;
  const id = fields.code.toLowerCase();
  const existing = await listAgencies();
  if (existing.some((a) => a.code.toUpperCase() === fields.code || a._id === id)) throw codeTaken(fields.code);
  let agency: Agency;
  try {
    agency = await insertAgency({ _id: id, ...fields, createdAt: now });
  } catch (error) {
    if (isDuplicateKey(error)) throw codeTaken(fields.code);
    throw error;
  }
  await recordAudit(opdc, {
    action: "agency.create",
    target: { type: "agency", id },
    details: { code: fields.code, name: fields.name.th, kind: fields.kind, province: fields.province ?? null, targetLevel: fields.targetLevel },
    at: now,
  });
  return agencyView(agency, now);
}

/** OPDC invites an agency's (first) admin by e-mail. Errors: FORBIDDEN, NOT_FOUND, FORM_INVALID, CONFLICT. */
export async function inviteAgencyAdmin(actor: Actor, agencyId: string, input: { email?: unknown }, now = new Date()): Promise<IssuedInvitation> {
  const opdc = requireOpdcAdmin(actor);
  await connectDb();
  const agency = await getAgency(agencyId);
  if (!agency || agency.kind === "opdc") throw notFound({ th: "หน่วยงาน", en: "Agency" });
  const issued = await issueInvitation(opdc, { agencyId, email: typeof input.email === "string" ? input.email : "", kind: "agencyAdmin", roles: [] }, now);
  await recordAudit(opdc, {
    action: "user.invite",
    target: { type: "invitation", id: issued.invitation.id },
    details: { agencyId, email: issued.invitation.email, kind: "agencyAdmin", roles: [], delivered: issued.delivered },
    at: now,
  });
  return issued;
}
