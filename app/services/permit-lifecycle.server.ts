import type { Actor } from "~/core/actor";
import { AppError, notFound } from "~/core/errors";
import { allowedStatusChanges, STATUS_LABELS } from "~/core/permits/permit-rules";
import type { PermitStatus, StoredPermit } from "~/core/permits/types";
import { changePermitStatus, getPermit } from "~/models/permit.server";
import { recordAudit } from "./audit/record-audit.server";
import { publishPermitStatusChanged } from "./webhooks/publish-event.server";

export const PERMIT_NOT_FOUND = { th: "ใบอนุญาตเลขที่นี้", en: "A permit with this number" };

export async function requirePermit(number: string): Promise<StoredPermit> {
  const permit = await getPermit(number);
  if (!permit) throw notFound(PERMIT_NOT_FOUND);
  return permit;
}

/** Staff of the issuing agency who may change a permit's status: approvers and agency admins. */
export function canManagePermit(actor: Actor | null, permit: Pick<StoredPermit, "agencyId">): boolean {
  return actor?.kind === "staff" && actor.agencyId === permit.agencyId && (actor.isAdmin || actor.roles.includes("approver"));
}

/**
 * Suspends, reinstates or revokes a permit, with a reason that the registry shows. The write is guarded
 * by the permit's revision: a second officer acting on what they saw before the first change gets a
 * conflict instead of silently overwriting it.
 */
export async function changeStatus(
  actor: Actor,
  number: string,
  input: { to: unknown; reason: unknown; rev?: unknown },
  now = new Date(),
): Promise<StoredPermit> {
  const permit = await requirePermit(number);
  if (!canManagePermit(actor, permit)) {
    throw new AppError("FORBIDDEN", {
      th: "เฉพาะผู้อนุญาตหรือผู้ดูแลระบบของหน่วยงานที่ออกใบอนุญาตเท่านั้นที่เปลี่ยนสถานะได้",
      en: "Only the issuing agency's approvers and admins may change a permit's status",
    });
  }
  const to = input.to as PermitStatus;
  const allowed = allowedStatusChanges(permit.status);
  if (!allowed.includes(to)) {
    throw new AppError(
      "BAD_REQUEST",
      {
        th: `เปลี่ยนสถานะจาก "${STATUS_LABELS[permit.status].th}" เป็น "${STATUS_LABELS[to]?.th ?? String(input.to)}" ไม่ได้`,
        en: `A permit cannot go from "${STATUS_LABELS[permit.status].en}" to "${STATUS_LABELS[to]?.en ?? String(input.to)}"`,
      },
      { allowed },
    );
  }
  const reason = typeof input.reason === "string" ? input.reason.trim() : "";
  if (reason.length < 5) {
    throw new AppError("COMMENT_REQUIRED", {
      th: "ต้องระบุเหตุผล (อย่างน้อย 5 ตัวอักษร) ซึ่งจะแสดงในทะเบียนสาธารณะ",
      en: "A reason is required (at least 5 characters); the public registry shows it",
    });
  }
  const rev = input.rev === undefined || input.rev === "" ? permit.rev : Number(input.rev);
  if (!Number.isInteger(rev) || rev !== permit.rev || !(await changePermitStatus(number, rev, { to, reason, by: actor.name, at: now }, permit.status))) {
    throw new AppError(
      "STALE_REVISION",
      {
        th: "ใบอนุญาตนี้ถูกเปลี่ยนแปลงโดยผู้อื่นหลังจากที่คุณเปิดดู กรุณาโหลดหน้าใหม่",
        en: "Someone else changed this permit after you opened it. Reload and try again.",
      },
      { currentRev: permit.rev },
    );
  }
  // Right after the write that made this revision (ids from the number and revision: never doubled).
  await publishPermitStatusChanged(permit, { from: permit.status, to, reason, rev: permit.rev + 1, at: now });
  await recordAudit(actor, {
    action: "permit.status",
    agencyId: permit.agencyId,
    at: now,
    target: { type: "permit", id: number },
    details: { from: permit.status, to, reason, rev: permit.rev + 1 },
  });
  return requirePermit(number);
}
