import { effectiveStatus } from "./permit-rules";
import type { EffectiveStatus, PublicPermit } from "./types";

/** A permit as the public sees it: printed fields only, with the status as of today. */
export type PublicPermitView = Omit<PublicPermit, "status"> & { status: EffectiveStatus; storedStatus: PublicPermit["status"] };

/**
 * Copies the public fields by name, so whatever else a stored record carries (case id, signature,
 * history with officers' names) cannot reach public JSON, HTML or CSV by accident.
 */
export function publicPermitView(permit: PublicPermit, today: string): PublicPermitView {
  return {
    number: permit.number,
    agencyId: permit.agencyId,
    agencyName: permit.agencyName,
    typeCode: permit.typeCode,
    typeName: permit.typeName,
    holderName: permit.holderName,
    ...(permit.holderEntity ? { holderEntity: { kind: "juristic" as const, juristicId: permit.holderEntity.juristicId, declared: true as const } } : {}),
    businessName: permit.businessName,
    activity: permit.activity,
    address: {
      text: permit.address.text,
      ...(permit.address.province ? { province: permit.address.province } : {}),
      ...(permit.address.district ? { district: permit.address.district } : {}),
      ...(permit.address.subdistrict ? { subdistrict: permit.address.subdistrict } : {}),
      ...(permit.address.postcode ? { postcode: permit.address.postcode } : {}),
    },
    details: permit.details.map((d) => ({ key: d.key, label: d.label, value: d.value })),
    conditions: permit.conditions.map((c) => ({ th: c.th, en: c.en })),
    issuedOn: permit.issuedOn,
    validFrom: permit.validFrom,
    validUntil: permit.validUntil,
    status: effectiveStatus(permit, today),
    storedStatus: permit.status,
    ...(permit.statusReason ? { statusReason: permit.statusReason } : {}),
    ...(permit.statusChangedAt ? { statusChangedAt: permit.statusChangedAt } : {}),
    ...(permit.renews ? { renews: permit.renews } : {}),
    ...(permit.renewedBy ? { renewedBy: permit.renewedBy } : {}),
    displayRequired: permit.displayRequired,
    source: permit.source,
  };
}
