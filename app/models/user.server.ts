import mongoose, { Schema, Types } from "mongoose";
import type { StaffRole } from "~/core/workflow/types";
import { bumpConfigStamp, configCache } from "./config-stamp.server";

export type UserKind = "citizen" | "staff" | "agencyAdmin" | "opdcAdmin";
export type User = {
  _id: Types.ObjectId;
  email: string;
  passwordHash: string;
  name: string;
  kind: UserKind;
  agencyId?: string;
  roles: StaffRole[];
  lang?: "th" | "en";
  /** A deactivated account cannot sign in and its sessions are refused. */
  active: boolean;
  /** Sessions that started before this moment are refused (set by sign-out everywhere, password and role changes). */
  sessionsValidFrom?: Date;
  /** The last full sign-in (password and, where needed, second factor); kept when sessions end. */
  lastSignInAt?: Date;
  /** Citizens signed in through an OpenID provider: the claims it verified, AES-256-GCM sealed (see citizen-identity). */
  verifiedIdentity?: VerifiedIdentityRecord;
  createdAt: Date;
};

export type VerifiedIdentityRecord = { provider: string; verifiedAt: Date; sealedClaims: string };

const UserSchema = new Schema<User>(
  {
    email: { type: String, required: true, unique: true, lowercase: true, trim: true },
    passwordHash: { type: String, required: true },
    name: { type: String, required: true },
    kind: { type: String, required: true },
    agencyId: String,
    roles: { type: [String], default: [] },
    lang: String,
    active: { type: Boolean, default: true },
    sessionsValidFrom: Date,
    lastSignInAt: Date,
    verifiedIdentity: { type: new Schema({ provider: String, verifiedAt: Date, sealedClaims: String }, { _id: false }), required: false },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);

UserSchema.index({ agencyId: 1 });

export const UserModel = (mongoose.models.User as mongoose.Model<User>) ?? mongoose.model<User>("User", UserSchema);

export async function findUserByEmail(email: string): Promise<User | null> {
  return UserModel.findOne({ email: email.trim().toLowerCase() }).lean<User>();
}

export async function getUser(id: string): Promise<User | null> {
  if (!Types.ObjectId.isValid(id)) return null;
  return UserModel.findById(id).lean<User>();
}

// Holders of live sessions, by id (found ones only).
const sessionHolders = configCache<User | null>(20_000);

/**
 * The account as sessions check it, as of the configuration stamp: every change of an account below bumps it
 * (roles, deactivation, password, sign-out everywhere), so no process acts on an old copy. Shared: do not
 * change it. Only for resolving a session; everything else reads `getUser`.
 */
export function getSessionHolder(id: string): Promise<User | null> {
  if (!Types.ObjectId.isValid(id)) return Promise.resolve(null);
  return sessionHolders.get(id, () => getUser(id), (found) => found !== null);
}

export function forgetSessionHolder(id: string): void {
  sessionHolders.forget(id);
}

export async function createUser(user: Omit<User, "_id" | "createdAt" | "active"> & { active?: boolean }): Promise<User> {
  const created = await UserModel.create(user);
  return created.toObject() as User;
}

/** Updates an account's security fields; every change also invalidates its sessions from `sessionsValidFrom`. */
export async function updateUserSecurity(
  id: string,
  change: { sessionsValidFrom: Date } & Partial<Pick<User, "passwordHash" | "roles" | "active" | "kind">>,
): Promise<User | null> {
  if (!Types.ObjectId.isValid(id)) return null;
  const user = await UserModel.findByIdAndUpdate(id, { $set: change }, { returnDocument: "after" }).lean<User>();
  await bumpConfigStamp();
  return user;
}

/** An agency's staff and admin accounts (agency-scoped: an index on agencyId serves it on MongoDB). */
export async function listAgencyAccounts(agencyId: string): Promise<User[]> {
  return UserModel.find({ agencyId, kind: { $in: ["staff", "agencyAdmin"] } }).sort({ createdAt: 1 }).lean<User[]>();
}

/** The staff roles that exist in an agency: those its staff accounts hold (API clients do not count). */
export async function listAgencyStaffRoles(agencyId: string): Promise<string[]> {
  const staff = await UserModel.find({ agencyId, kind: { $in: ["staff", "agencyAdmin"] } }).select("roles").lean<Pick<User, "roles">[]>();
  return [...new Set(staff.flatMap((u) => u.roles ?? []))].sort();
}

/** Replaces a password hash with a stronger one of the same password (argon2id rehash): sessions stay. */
// No bump: a sign-in changes nothing a session is checked against (copies may show an older lastSignInAt).
export async function recordUserSignIn(id: string, at: Date): Promise<void> {
  await UserModel.updateOne({ _id: id }, { $set: { lastSignInAt: at } });
}

export async function updatePasswordHash(id: string, passwordHash: string): Promise<void> {
  if (!Types.ObjectId.isValid(id)) return;
  await UserModel.updateOne({ _id: id }, { $set: { passwordHash } });
  await bumpConfigStamp();
}

/** Keeps the claims an OpenID provider verified at this sign-in (replacing older ones). */
export async function setUserVerifiedIdentity(id: string, verifiedIdentity: VerifiedIdentityRecord): Promise<void> {
  if (!Types.ObjectId.isValid(id)) return;
  await UserModel.updateOne({ _id: id }, { $set: { verifiedIdentity } });
  await bumpConfigStamp();
}

/** The active OPDC admin accounts (a handful; the s.22 reports go to them). */
export async function listOpdcAdmins(): Promise<User[]> {
  return UserModel.find({ kind: "opdcAdmin", active: { $ne: false } }).sort({ createdAt: 1 }).lean<User[]>();
}
