import mongoose, { Schema, Types } from "mongoose";
import type { Role } from "~/core/workflow/types";

/**
 * An agency system that files and processes matters through the API. Only a SHA-256 of its key is kept.
 * Its roles are exactly what this record says (scoped: e.g. intake only), never every staff role.
 */
export type ApiClient = {
  _id: Types.ObjectId;
  name: string;
  agencyId: string;
  keyHash: string;
  keyPrefix: string;
  roles: Role[];
  createdAt: Date;
};

const ApiClientSchema = new Schema<ApiClient>(
  {
    name: { type: String, required: true },
    agencyId: { type: String, required: true },
    keyHash: { type: String, required: true, unique: true },
    keyPrefix: { type: String, required: true },
    roles: { type: [String], default: [] },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);

export const ApiClientModel =
  (mongoose.models.ApiClient as mongoose.Model<ApiClient>) ?? mongoose.model<ApiClient>("ApiClient", ApiClientSchema);

export async function findApiClientByKeyHash(keyHash: string): Promise<ApiClient | null> {
  return ApiClientModel.findOne({ keyHash }).lean<ApiClient>();
}

export async function createApiClient(client: Omit<ApiClient, "_id" | "createdAt">): Promise<ApiClient> {
  return (await ApiClientModel.create(client)).toObject() as ApiClient;
}

export async function setApiClientRoles(keyHash: string, roles: Role[]): Promise<void> {
  await ApiClientModel.updateOne({ keyHash }, { $set: { roles } }).exec();
}
