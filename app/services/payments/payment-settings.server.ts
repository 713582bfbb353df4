import { randomBytes } from "node:crypto";
import type { Actor } from "~/core/actor";
import { AppError, forbidden, notFound } from "~/core/errors";
import { isValidJuristicId } from "~/core/thai/juristic-id";
import { getAgency, setAgencyBankCallbackSecret, setAgencyBillerId } from "~/models/agency.server";
import { seal } from "~/utils/encryption.server";
import { recordAudit } from "../audit/record-audit.server";
import { requireFinanceStaff, type FinanceActor } from "./finance-access.server";
import { CALLBACK_SECRET_PURPOSE } from "./receive-bank-callback.server";

export type PaymentSettingsView = {
  agencyCode: string;
  billerId: string | null;
  callbackSecretSetAt: string | null;
  /** Agency admins change settings; cashiers only read them. */
  canEdit: boolean;
  callbackPath: string;
};

/** A biller ID: the agency's 13-digit tax ID (with its check digit) and a 2-digit suffix the bank gives. */
export function isValidBillerId(value: string): boolean {
  return /^\d{15}$/.test(value) && isValidJuristicId(value.slice(0, 13));
}

function requireAgencyAdmin(actor: Actor): FinanceActor {
  const staff = requireFinanceStaff(actor);
  if (!staff.isAdmin) throw forbidden();
  return staff;
}

export async function viewPaymentSettings(actor: Actor): Promise<PaymentSettingsView> {
  const staff = requireFinanceStaff(actor);
  const agency = await getAgency(staff.agencyId);
  if (!agency) throw notFound({ th: "หน่วยงาน", en: "Agency" });
  return {
    agencyCode: agency.code,
    billerId: agency.billerId ?? null,
    callbackSecretSetAt: agency.bankCallbackSecretSetAt ? new Date(agency.bankCallbackSecretSetAt).toISOString() : null,
    canEdit: staff.isAdmin,
    callbackPath: `/api/v1/payments/bank-callback/${agency.code}`,
  };
}

/** Errors: FORBIDDEN (not the agency's admin), FORM_INVALID. */
export async function changeBillerId(actor: Actor, value: unknown): Promise<void> {
  const admin = requireAgencyAdmin(actor);
  const billerId = String(value ?? "").replace(/[\s-]/g, "");
  if (!isValidBillerId(billerId)) {
    throw new AppError("FORM_INVALID", { th: "รหัสผู้เรียกเก็บเงินไม่ถูกต้อง", en: "The biller ID is not valid" }, {
      fields: [{ pointer: "/billerId", message: { th: "ต้องเป็นตัวเลข 15 หลัก: เลขประจำตัวผู้เสียภาษี 13 หลัก (เลขตรวจสอบถูกต้อง) ตามด้วยเลข 2 หลักที่ธนาคารกำหนด", en: "15 digits: the 13-digit tax ID (with a valid check digit) followed by the bank's 2-digit suffix" } }],
    });
  }
  const before = (await getAgency(admin.agencyId))?.billerId ?? null;
  await setAgencyBillerId(admin.agencyId, billerId);
  await recordAudit(admin, { action: "payment.settings.biller", target: { type: "agency", id: admin.agencyId }, details: { from: before, to: billerId } });
}

/**
 * A new callback secret (the old one stops working at once). Returned this once, for the admin to give the bank;
 * stored sealed. Errors: FORBIDDEN.
 */
export async function generateCallbackSecret(actor: Actor, now = new Date()): Promise<string> {
  const admin = requireAgencyAdmin(actor);
  const secret = `bkcb_${randomBytes(32).toString("base64url")}`;
  const rotated = Boolean((await getAgency(admin.agencyId))?.bankCallbackSecretSetAt);
  await setAgencyBankCallbackSecret(admin.agencyId, seal(CALLBACK_SECRET_PURPOSE, secret), now);
  await recordAudit(admin, { action: "payment.settings.callback-secret", at: now, target: { type: "agency", id: admin.agencyId }, details: { rotated } });
  return secret;
}
