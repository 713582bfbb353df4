import { deleteUploadDoc, findExpiredUploads } from "~/models/upload.server";
import { uploadStorage } from "./upload-storage.server";

/**
 * Deletes uploads that nobody attached to a case before they expired (UPLOAD_EXPIRY_HOURS after they were
 * started), and refused ones: their bytes first, then their record. Attached uploads are never touched.
 */
export async function cleanupExpiredUploads(now = new Date()): Promise<number> {
  let removed = 0;
  for (const doc of await findExpiredUploads(now)) {
    await uploadStorage().remove(doc._id);
    await deleteUploadDoc(doc._id);
    removed++;
  }
  return removed;
}
