import type { LocalizedText } from "~/core/text";

/**
 * A permit in the public registry (s.13 of the Act). Everything in `PublicPermit` is printed on the
 * permit and therefore public; nothing else about the holder (national ID, phone, e-mail) is ever stored
 * on a permit, so it cannot leak from the registry.
 */
export type PermitStatus = "valid" | "suspended" | "revoked" | "renewed";
/** What the public sees: the stored status, or "expired" once the validity date has passed. */
export type EffectiveStatus = PermitStatus | "expired";

export const PERMIT_STATUSES: readonly EffectiveStatus[] = ["valid", "expired", "suspended", "revoked", "renewed"];

export type PermitAddress = {
  /** The address as printed: house number, road, subdistrict, district, province, postcode. */
  text: string;
  province?: string;
  district?: string;
  subdistrict?: string;
  postcode?: string;
};

/** A detail line printed on the permit beyond the fixed fields (area, workers, …). */
export type PermitDetail = { key: string; label: LocalizedText; value: string };

export type PublicPermit = {
  number: string;
  agencyId: string;
  agencyName: LocalizedText;
  /** Permit type code from the manifest (HH, FD, …) and its printed name. */
  typeCode: string;
  typeName: LocalizedText;
  holderName: string;
  /** Set when the holder is a company the applicant declared (no registry check can be made from here). */
  holderEntity?: { kind: "juristic"; juristicId: string; declared: true };
  businessName: string;
  activity: string;
  address: PermitAddress;
  details: PermitDetail[];
  conditions: LocalizedText[];
  /** ISO dates (yyyy-mm-dd, Asia/Bangkok calendar day). */
  issuedOn: string;
  validFrom: string;
  validUntil: string;
  status: PermitStatus;
  statusReason?: string;
  statusChangedAt?: string;
  /** Number of the permit this one renews, and of the one that renewed it. */
  renews?: string;
  renewedBy?: string;
  displayRequired: boolean;
  source: "issued" | "import";
};

export type PermitStatusChange = { at: Date; by: string; from: PermitStatus; to: PermitStatus; reason: string };

export type PermitSignature = { kid: string; jws: string };

export type StoredPermit = PublicPermit & {
  /** Case and effect that issued it; absent for imported paper-era permits. */
  caseId?: string;
  effectId?: string;
  serviceSlug?: string;
  signature: PermitSignature;
  history: PermitStatusChange[];
  rev: number;
  createdAt: Date;
  updatedAt: Date;
};

/** The signed, canonical content of a permit: what the QR carries and what verification checks. */
export type SignedPermitPayload = {
  v: 1;
  number: string;
  agency: string;
  type: string;
  holder: string;
  /** The declared company's registration number, when the holder is one. */
  holderId?: string;
  business: string;
  activity: string;
  address: string;
  issued: string;
  from: string;
  until: string;
  renews?: string;
};

/** A result letter that is not a permit: approval notice, rejection with reasons, answer to a petition. */
export type ResultKind = "approval" | "rejection" | "answer" | "acknowledgement" | "referral";

export type ResultDocument = {
  /** The effect id that issued it (idempotency key). */
  id: string;
  number: string;
  caseId: string;
  trackingNumber: string;
  agencyId: string;
  agencyName: LocalizedText;
  serviceTitle: LocalizedText;
  kind: ResultKind;
  applicantName: string;
  subject: string;
  /** The officer's reasons or answer, from the transition's comment. */
  text: string;
  /** A referral letter (s.10): the competent agency, not on the platform, that the applicant should turn to. */
  referredTo?: { name: LocalizedText; address?: string };
  issuedAt: Date;
  signature: PermitSignature;
};
