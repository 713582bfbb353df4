import type { Actor } from "~/core/actor";
import { checkGraceHours, formInvalid, keyStatus } from "~/core/api-keys";
import { AppError } from "~/core/errors";
import { rotateApiClientKey } from "~/models/api-client.server";
import { claim } from "~/models/claim.server";
import { hashApiKey, newApiKey } from "~/utils/passwords.server";
import { recordAudit } from "../audit/record-audit.server";
import { apiClientManagedBy, apiKeyView, requireAgencyAdmin } from "./api-key-access.server";
import type { IssuedKey } from "./create-api-key.server";

/**
 * Gives key `id` a new secret, which works at once; the old one keeps working for `graceHours` (0–168,
 * default 24) so the other system can switch without downtime. Errors: FORBIDDEN, NOT_FOUND (also another
 * agency's key), FORM_INVALID (grace), CONFLICT (revoked or expired key; a rotation that lost a race).
 */
export async function rotateApiKey(actor: Actor, id: string, body: unknown, now = new Date()): Promise<IssuedKey> {
  const admin = requireAgencyAdmin(actor);
  const client = await apiClientManagedBy(admin, id);
  const grace = checkGraceHours((body as { graceHours?: unknown } | null)?.graceHours);
  if (!grace.ok) throw formInvalid(grace.errors);
  if (keyStatus(client, now) !== "active") {
    throw new AppError("CONFLICT", { th: "API key ที่ถูกยกเลิกหรือหมดอายุแล้วเปลี่ยนไม่ได้ ให้สร้าง key ใหม่", en: "A revoked or expired API key cannot be rotated; create a new key" });
  }
  // Claimed by a unique insert, which was exclusive on FerretDB before its patch 0005 made guarded updates so too.
  const rotation = (client.rotations ?? 0) + 1;
  if (!(await claim(`api-key-rotation:${id}:${rotation}`, admin.id))) {
    throw new AppError("CONFLICT", { th: "API key นี้เพิ่งถูกเปลี่ยนโดยผู้อื่น โหลดหน้าใหม่แล้วลองอีกครั้ง", en: "This API key was just rotated by someone else; reload and try again" });
  }
  const key = newApiKey();
  const graceUntil = new Date(now.getTime() + grace.hours * 3600_000);
  const rotated = await rotateApiClientKey(client, { keyHash: hashApiKey(key), keyPrefix: key.slice(0, 10), graceUntil, at: now });
  if (!rotated) throw new AppError("NOT_FOUND", { th: "ไม่พบ API key นี้", en: "API key not found" });
  await recordAudit(admin, {
    action: "api-key.rotate",
    target: { type: "api-key", id },
    details: { name: client.name, oldKeyPrefix: client.keyPrefix, keyPrefix: rotated.keyPrefix, graceUntil: graceUntil.toISOString() },
  });
  return { apiKey: apiKeyView(rotated, now), key };
}
