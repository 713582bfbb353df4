import mongoose, { Schema } from "mongoose";
import type { InvitationRecordStatus } from "~/core/onboarding/invitation-rules";
import type { StaffRole } from "~/core/workflow/types";

/**
 * An invitation to an agency. `_id` is the SHA-256 (hex) of the random token in the link, so the link's look-up is
 * an `_id` equality and the database holds no usable link. Whether it is used is decided by a unique claim
 * (claim.server.ts), not by `status`, which only records the outcome.
 */
export type Invitation = {
  _id: string;
  agencyId: string;
  email: string;
  kind: "staff" | "agencyAdmin";
  roles: StaffRole[];
  invitedBy: { kind: string; id: string; name: string };
  createdAt: Date;
  expiresAt: Date;
  status: InvitationRecordStatus;
  acceptedAt?: Date;
  acceptedUserId?: string;
  revokedAt?: Date;
  /** Set when a resend replaced this invitation. */
  replacedBy?: string;
};

const InvitationSchema = new Schema<Invitation>(
  {
    _id: { type: String, required: true },
    agencyId: { type: String, required: true },
    email: { type: String, required: true, lowercase: true, trim: true },
    kind: { type: String, required: true },
    roles: { type: [String], default: [] },
    invitedBy: { type: new Schema({ kind: String, id: String, name: String }, { _id: false }), required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    status: { type: String, required: true },
    acceptedAt: Date,
    acceptedUserId: String,
    revokedAt: Date,
    replacedBy: String,
  },
  { versionKey: false },
);
// An agency's list of invitations, newest first; and "is this address already invited?".
InvitationSchema.index({ agencyId: 1, createdAt: -1 });
InvitationSchema.index({ email: 1 });

const InvitationModel = (mongoose.models.Invitation as mongoose.Model<Invitation>) ?? mongoose.model<Invitation>("Invitation", InvitationSchema);

export async function insertInvitation(invitation: Invitation): Promise<Invitation> {
  const created = await InvitationModel.create(invitation);
  return created.toObject() as Invitation;
}

export async function getInvitation(id: string): Promise<Invitation | null> {
  return InvitationModel.findById(id).lean<Invitation>();
}

export async function listInvitationsOf(agencyId: string): Promise<Invitation[]> {
  return InvitationModel.find({ agencyId }).sort({ createdAt: -1 }).lean<Invitation[]>();
}

export async function listInvitationsByStatus(status: InvitationRecordStatus): Promise<Invitation[]> {
  return InvitationModel.find({ status }).sort({ createdAt: -1 }).lean<Invitation[]>();
}

export async function findPendingInvitationsFor(email: string): Promise<Invitation[]> {
  return InvitationModel.find({ email: email.trim().toLowerCase(), status: "pending" }).lean<Invitation[]>();
}

/** Records an outcome once the claim is held (the claim, not this write, is what excludes a second use). */
export async function recordInvitationOutcome(id: string, change: Partial<Pick<Invitation, "status" | "acceptedAt" | "acceptedUserId" | "revokedAt" | "replacedBy">>): Promise<void> {
  await InvitationModel.updateOne({ _id: id }, { $set: change });
}

export async function deleteInvitation(id: string): Promise<void> {
  await InvitationModel.deleteOne({ _id: id });
}
