import type { LocalizedText } from "../text";
import type { NamedRef, StaffRole, WorkflowConfig } from "../workflow/types";

/**
 * One line of the fee table. A line is charged when every condition in `when` holds on the form data (guards of
 * the workflow catalogue, e.g. fieldIn /business/premisesType, fieldAtMost /business/areaSqm); a line without
 * `when` is always charged. `amount` is in baht with at most two decimals; `amountMax` only tells applicants the
 * range in the manual, for a line whose amount a person sets.
 */
export type Fee = { label: LocalizedText; amount: number; amountMax?: number; note?: LocalizedText; when?: NamedRef[] };

/** How a service collects its fees electronically (manifest `payment`). */
export type PaymentTerms = {
  /** Calendar days from the request until the payment reference expires (counted to the end of that Bangkok day). */
  dueDays: number;
};
export type RequiredDocument = { label: LocalizedText; required: boolean; field?: string };

export type PermitTemplate = {
  type: LocalizedText;
  code: string;
  displayRequired: boolean;
  validityMonths: number;
  numberFormat: string;
  fields: Record<string, string> & { holderName: string };
  conditions?: LocalizedText[];
  /** For a renewal service: the form field holding the number of the permit being renewed. */
  renewalOf?: string;
};

export type Retention = { closedCaseYears: number } | { closedCaseDays: number };

export type ServiceManifest = {
  id: string;
  title: LocalizedText;
  description: LocalizedText;
  level: "initial" | "standard";
  category: "licence" | "petition" | "certificate" | "information";
  law?: LocalizedText;
  responsibleUnit?: LocalizedText;
  criteria?: LocalizedText;
  /** The words on the form's send button ("ส่งเรื่องร้องเรียน / Send the complaint"); "ยื่นคำขอ / Apply" when absent. */
  submitLabel?: LocalizedText;
  statutoryDays: number;
  /** How long personal data of a closed case is kept (PDPA); DEFAULT_RETENTION when absent. */
  retention?: Retention;
  form: string;
  workflow: string;
  roles: StaffRole[];
  fees: Fee[];
  /** Electronic payment terms; the requestPayment action uses them (defaults: DEFAULT_PAYMENT_TERMS). */
  payment?: PaymentTerms;
  documents: RequiredDocument[];
  summary: { applicantName: string; subject?: string; email?: string };
  issuesPermit: boolean;
  permit?: PermitTemplate;
  sourceTemplate?: { id: string; version: number };
};

export type JsonSchema = Record<string, unknown>;

/** A whole service definition: the unit that is validated, versioned and published. */
export type ServiceDefinition = {
  manifest: ServiceManifest;
  form: { schema: JsonSchema; uiSchema: JsonSchema };
  workflow: WorkflowConfig;
};

/** One problem found in a definition, located by file and JSON pointer. */
export type DefinitionIssue = {
  severity: "error" | "warning";
  file: string;
  path: string;
  message: LocalizedText;
};
