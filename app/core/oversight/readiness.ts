import type { ServiceDefinition } from "../definitions/types";
import type { LocalizedText } from "../text";
import { transitionsOf, type TransitionConfig, type WorkflowConfig } from "../workflow/types";

/**
 * The readiness of a service against the DGA criteria for electronic methods (มสพร. 6-5): an online channel,
 * an electronic receipt, electronic processing, an electronic result or permit, a public registry where the
 * permit must be displayed, and electronic payment where fees apply. Each criterion is read from the published
 * definition (manifest, workflow actions) and shown with what its use says (cases filed online, documents
 * issued). Pure: the caller loads the definition and counts the use.
 */

export type CriterionId = "onlineChannel" | "electronicReceipt" | "electronicProcessing" | "electronicResult" | "publicRegistry" | "electronicPayment";
export const CRITERIA: readonly CriterionId[] = ["onlineChannel", "electronicReceipt", "electronicProcessing", "electronicResult", "publicRegistry", "electronicPayment"];

export type CriterionStatus = "met" | "notMet" | "notApplicable";
export type ReadinessLevel = "initial" | "standard";
/** "none": not even the initial level's criteria are met. */
export type LevelReached = ReadinessLevel | "none";

export type CriterionResult = {
  id: CriterionId;
  title: LocalizedText;
  status: CriterionStatus;
  /** Why it has this status, read from the definition. */
  why: LocalizedText;
  /** What to change in the definition to meet it; only when not met. */
  change?: LocalizedText;
  /** What the service's use shows (counts), when there is any. */
  evidence?: LocalizedText;
};

/** How the service has been used so far (all counts of its cases, every published version). */
export type ServiceUse = {
  /** Cases filed through the platform (the web form or an agency system's API: both electronic). */
  filedOnline: number;
  /** Cases that reached a final state other than withdrawn. */
  decided: number;
  /** Electronic receipts issued (one per filing). */
  receiptsIssued: number;
  /** Result letters issued. */
  lettersIssued: number;
  /** Permits issued (each is in the public registry). */
  permitsIssued: number;
  /** Cases whose fee payment was recorded in the case. */
  paymentsRecorded: number;
};

export const NO_USE: ServiceUse = { filedOnline: 0, decided: 0, receiptsIssued: 0, lettersIssued: 0, permitsIssued: 0, paymentsRecorded: 0 };

/** The fields of a case that its service's use counts. */
export type CaseUseFacts = { status: string; outcome?: string | null; effects?: { type: string }[] };

/** Adds one case to its service's use (a new object; `use` is left as it was). */
export function addCaseToUse(use: ServiceUse, c: CaseUseFacts): ServiceUse {
  const next = { ...use, filedOnline: use.filedOnline + 1 };
  if (c.status === "done" && c.outcome !== "withdrawn" && c.outcome !== "referred") next.decided++;
  for (const e of c.effects ?? []) {
    if (e.type === "sendReceipt") next.receiptsIssued++;
    else if (e.type === "issueResult") next.lettersIssued++;
    else if (e.type === "issuePermit") next.permitsIssued++;
    else if (e.type === "recordPayment") next.paymentsRecorded++;
  }
  return next;
}

export type ServiceReadiness = {
  slug: string;
  title: LocalizedText;
  declaredLevel: ReadinessLevel;
  reachedLevel: LevelReached;
  /** The level reached is at least the one the manifest declares. */
  meetsDeclared: boolean;
  criteria: CriterionResult[];
};

export const CRITERION_TITLES: Record<CriterionId, LocalizedText> = {
  onlineChannel: { th: "ช่องทางยื่นคำขอทางอิเล็กทรอนิกส์", en: "Online channel" },
  electronicReceipt: { th: "ใบรับคำขออิเล็กทรอนิกส์", en: "Electronic receipt" },
  electronicProcessing: { th: "การพิจารณาทางอิเล็กทรอนิกส์", en: "Electronic processing" },
  electronicResult: { th: "ผลการพิจารณาหรือใบอนุญาตทางอิเล็กทรอนิกส์", en: "Electronic result or permit" },
  publicRegistry: { th: "การเผยแพร่ใบอนุญาตต่อสาธารณะ", en: "Public registry" },
  electronicPayment: { th: "การชำระค่าธรรมเนียมทางอิเล็กทรอนิกส์", en: "Electronic payment" },
};

/** The criteria each level needs (where they apply): the initial level takes the request in; the standard level does the whole service electronically. */
export const LEVEL_CRITERIA: Record<ReadinessLevel, readonly CriterionId[]> = {
  initial: ["onlineChannel", "electronicReceipt"],
  standard: CRITERIA,
};

const STAFF = new Set(["officer", "inspector", "approver", "cashier"]);

type Edge = { from: string; event: string; transition: TransitionConfig };

function edgesOf(workflow: WorkflowConfig): Edge[] {
  return Object.entries(workflow.states).flatMap(([from, state]) => transitionsOf(state).map(([event, transition]) => ({ from, event, transition })));
}

const hasAction = (edge: Edge, type: string) => (edge.transition.actions ?? []).some((a) => a.type === type);

/** States reachable from the initial one. */
function reachable(workflow: WorkflowConfig, edges: Edge[]): Set<string> {
  const seen = new Set([workflow.initial]);
  const queue = [workflow.initial];
  while (queue.length > 0) {
    const at = queue.shift()!;
    for (const edge of edges) {
      if (edge.from !== at || seen.has(edge.transition.target)) continue;
      seen.add(edge.transition.target);
      queue.push(edge.transition.target);
    }
  }
  return seen;
}

function formFieldCount(schema: Record<string, unknown>): number {
  const properties = schema.properties;
  return properties && typeof properties === "object" ? Object.keys(properties).length : 0;
}

const count = (n: number, th: string, en: string, enPlural: string): LocalizedText => ({ th: `${th} ${n.toLocaleString("en-US")} รายการ`, en: `${n.toLocaleString("en-US")} ${n === 1 ? en : enPlural}` });
const join = (...parts: LocalizedText[]): LocalizedText => ({ th: parts.map((p) => p.th).join(" · "), en: parts.map((p) => p.en).join(" · ") });
const eventList = (edges: Edge[]) => edges.map((e) => `${e.from} → ${e.event}`).join(", ");

function onlineChannel(definition: ServiceDefinition, use: ServiceUse): CriterionResult {
  const fields = formFieldCount(definition.form.schema);
  const evidence = count(use.filedOnline, "ยื่นทางออนไลน์แล้ว", "application filed online", "applications filed online");
  if (fields === 0) {
    return {
      id: "onlineChannel",
      title: CRITERION_TITLES.onlineChannel,
      status: "notMet",
      why: { th: "แบบฟอร์มคำขอไม่มีช่องให้กรอก จึงยื่นคำขอทางออนไลน์ไม่ได้", en: "The application form has no fields, so nobody can apply online" },
      change: { th: "เพิ่มช่องข้อมูลในแบบฟอร์มคำขอ (สตูดิโอ › แบบฟอร์ม) แล้วเผยแพร่ฉบับใหม่", en: "Add the form's fields (studio › form) and publish a new version" },
      evidence,
    };
  }
  return {
    id: "onlineChannel",
    title: CRITERION_TITLES.onlineChannel,
    status: "met",
    why: {
      th: `เผยแพร่แบบฟอร์มคำขอ (${fields} ส่วน) บนแพลตฟอร์มแล้ว ยื่นคำขอและแนบเอกสารทางออนไลน์หรือผ่าน API ได้`,
      en: `The application form (${fields} section${fields === 1 ? "" : "s"}) is published: apply and attach documents online or through the API`,
    },
    evidence,
  };
}

function electronicReceipt(use: ServiceUse): CriterionResult {
  return {
    id: "electronicReceipt",
    title: CRITERION_TITLES.electronicReceipt,
    status: "met",
    why: {
      th: "แพลตฟอร์มออกใบรับคำขออิเล็กทรอนิกส์ (PDF พร้อมเลขที่คำขอและวันเวลาที่ได้รับ ตามมาตรา 10) ทุกครั้งที่ยื่นคำขอ",
      en: "The platform issues an electronic receipt (a PDF with the tracking number and the time received, s.10) on every filing",
    },
    evidence: count(use.receiptsIssued, "ออกใบรับแล้ว", "receipt issued", "receipts issued"),
  };
}

function electronicProcessing(definition: ServiceDefinition, edges: Edge[]): CriterionResult {
  const { workflow } = definition;
  const staffEdges = edges.filter((e) => e.transition.meta.roles.some((r) => STAFF.has(r)));
  const seen = reachable(workflow, edges);
  const finals = Object.entries(workflow.states).filter(([id, s]) => s.type === "final" && s.meta.outcome !== "withdrawn" && seen.has(id));
  const title = CRITERION_TITLES.electronicProcessing;
  if (staffEdges.length === 0) {
    return {
      id: "electronicProcessing",
      title,
      status: "notMet",
      why: { th: "ขั้นตอนการทำงานไม่มีขั้นตอนที่เจ้าหน้าที่ดำเนินการในระบบ", en: "The workflow has no step that staff take in the system" },
      change: { th: "เพิ่มขั้นตอนของเจ้าหน้าที่ (ตรวจสอบ พิจารณา อนุมัติ) ในขั้นตอนการทำงาน", en: "Add staff steps (check, consider, approve) to the workflow" },
    };
  }
  if (finals.length === 0) {
    return {
      id: "electronicProcessing",
      title,
      status: "notMet",
      why: { th: "ขั้นตอนการทำงานไปไม่ถึงขั้นตอนสุดท้ายที่มีผลการพิจารณา", en: "The workflow never reaches a final step with a decision" },
      change: { th: "เพิ่มทางไปสู่ขั้นตอนสุดท้ายที่ระบุผล (อนุมัติ ไม่อนุมัติ หรือแจ้งผล)", en: "Add a way to a final step with an outcome (approved, rejected or answered)" },
    };
  }
  const steps = Object.values(workflow.states).filter((s) => s.type !== "final").length;
  return {
    id: "electronicProcessing",
    title,
    status: "met",
    why: {
      th: `เจ้าหน้าที่พิจารณาในระบบครบทุกขั้นตอน (${steps} ขั้นตอน ${staffEdges.length} การดำเนินการ) จนถึงผลการพิจารณา โดยมีบันทึกประวัติและกำหนดเวลา`,
      en: `Staff work the case in the system from receipt to decision (${steps} step${steps === 1 ? "" : "s"}, ${staffEdges.length} action${staffEdges.length === 1 ? "" : "s"}), with its history and time limits`,
    },
  };
}

function electronicResult(definition: ServiceDefinition, edges: Edge[], use: ServiceUse): CriterionResult {
  const { manifest, workflow } = definition;
  const title = CRITERION_TITLES.electronicResult;
  const evidence = join(count(use.decided, "พิจารณาแล้ว", "case decided", "cases decided"), count(use.lettersIssued, "หนังสือแจ้งผล", "result letter", "result letters"), count(use.permitsIssued, "ใบอนุญาต", "permit", "permits"));
  if (manifest.issuesPermit) {
    const issuing = edges.filter((e) => hasAction(e, "issuePermit"));
    if (issuing.length === 0) {
      return {
        id: "electronicResult",
        title,
        status: "notMet",
        why: { th: "บริการนี้ออกใบอนุญาต แต่ไม่มีขั้นตอนใดออกใบอนุญาตอิเล็กทรอนิกส์ (issuePermit)", en: "The service issues a permit, but no step issues the electronic permit (issuePermit)" },
        change: { th: "เพิ่มการดำเนินการ “ออกใบอนุญาต” (issuePermit) ในขั้นตอนที่อนุมัติ", en: "Add the action “Issue the permit” (issuePermit) to the approving step" },
        evidence,
      };
    }
    return {
      id: "electronicResult",
      title,
      status: "met",
      why: {
        th: `ออกใบอนุญาตอิเล็กทรอนิกส์ที่ลงลายมือชื่อดิจิทัลและมีคิวอาร์โค้ดตรวจสอบได้ (${eventList(issuing)})`,
        en: `An electronic permit, digitally signed with a QR code to verify it, is issued (${eventList(issuing)})`,
      },
      evidence,
    };
  }
  // Every way to a final state with a decision carries a result letter. A referral (s.10) is not the agency's
  // decision: the applicant gets the competent agency's case or a referral letter instead.
  const decisive = new Set(
    Object.entries(workflow.states)
      .filter(([, s]) => s.type === "final" && s.meta.outcome && s.meta.outcome !== "withdrawn" && s.meta.outcome !== "referred")
      .map(([id]) => id),
  );
  const into = edges.filter((e) => decisive.has(e.transition.target));
  const silent = into.filter((e) => !hasAction(e, "issueResult") && !hasAction(e, "issuePermit"));
  if (into.length === 0 || silent.length > 0) {
    return {
      id: "electronicResult",
      title,
      status: "notMet",
      why:
        into.length === 0
          ? { th: "ไม่มีขั้นตอนที่แจ้งผลการพิจารณา", en: "No step gives a decision" }
          : { th: `ขั้นตอนที่ให้ผลโดยไม่ออกหนังสือแจ้งผลอิเล็กทรอนิกส์: ${eventList(silent)}`, en: `Steps that decide without an electronic result letter: ${eventList(silent)}` },
      change: { th: "เพิ่มการดำเนินการ “ออกหนังสือแจ้งผล” (issueResult) ในทุกขั้นตอนที่ให้ผล", en: "Add the action “Issue the result letter” (issueResult) to every deciding step" },
      evidence,
    };
  }
  return {
    id: "electronicResult",
    title,
    status: "met",
    why: {
      th: `ทุกขั้นตอนที่ให้ผลออกหนังสือแจ้งผลอิเล็กทรอนิกส์ (PDF ลงลายมือชื่อดิจิทัล) ให้ผู้ยื่นทางหน้าคำขอและอีเมล (${into.length} ขั้นตอน)`,
      en: `Every deciding step issues an electronic result letter (a signed PDF) to the applicant's case page and e-mail (${into.length} step${into.length === 1 ? "" : "s"})`,
    },
    evidence,
  };
}

function publicRegistry(definition: ServiceDefinition, edges: Edge[], use: ServiceUse): CriterionResult {
  const { manifest } = definition;
  const title = CRITERION_TITLES.publicRegistry;
  if (!manifest.issuesPermit || !manifest.permit?.displayRequired) {
    return {
      id: "publicRegistry",
      title,
      status: "notApplicable",
      why: manifest.issuesPermit
        ? { th: "ใบอนุญาตของบริการนี้ไม่ต้องแสดงต่อสาธารณะ", en: "This service's permit need not be displayed publicly" }
        : { th: "บริการนี้ไม่ออกใบอนุญาต", en: "This service issues no permit" },
    };
  }
  const evidence = count(use.permitsIssued, "ใบอนุญาตในทะเบียนสาธารณะ", "permit in the public registry", "permits in the public registry");
  if (!edges.some((e) => hasAction(e, "issuePermit"))) {
    return {
      id: "publicRegistry",
      title,
      status: "notMet",
      why: {
        th: "ใบอนุญาตต้องแสดงต่อสาธารณะ (มาตรา 13) แต่ขั้นตอนการทำงานไม่ออกใบอนุญาตในระบบ จึงไม่ปรากฏในทะเบียนสาธารณะ",
        en: "The permit must be displayed (s.13), but the workflow issues no permit in the system, so none reaches the public registry",
      },
      change: { th: "เพิ่มการดำเนินการ “ออกใบอนุญาต” (issuePermit) ในขั้นตอนที่อนุมัติ", en: "Add the action “Issue the permit” (issuePermit) to the approving step" },
      evidence,
    };
  }
  return {
    id: "publicRegistry",
    title,
    status: "met",
    why: {
      th: "ใบอนุญาตที่ออกทุกฉบับเผยแพร่ในทะเบียนสาธารณะพร้อมสถานะปัจจุบัน ค้นหาและตรวจสอบได้โดยไม่เสียค่าใช้จ่าย (มาตรา 13)",
      en: "Every permit issued is published in the public registry with its current status, free to search and verify (s.13)",
    },
    evidence,
  };
}

function electronicPayment(definition: ServiceDefinition, edges: Edge[], use: ServiceUse): CriterionResult {
  const { manifest } = definition;
  const title = CRITERION_TITLES.electronicPayment;
  const charged = manifest.fees.filter((f) => f.amount > 0 || (f.amountMax ?? 0) > 0);
  if (charged.length === 0) {
    return { id: "electronicPayment", title, status: "notApplicable", why: { th: "บริการนี้ไม่มีค่าธรรมเนียม", en: "This service charges no fee" } };
  }
  const asking = edges.filter((e) => hasAction(e, "requestPayment"));
  const paying = edges.filter((e) => hasAction(e, "recordPayment"));
  const evidence = count(use.paymentsRecorded, "บันทึกการชำระแล้ว", "payment recorded", "payments recorded");
  if (paying.length === 0) {
    return {
      id: "electronicPayment",
      title,
      status: "notMet",
      why: {
        th: `บริการนี้มีค่าธรรมเนียม (${charged.length} รายการ) แต่ไม่มีขั้นตอนรับชำระในระบบ ผู้ยื่นต้องไปชำระที่สำนักงาน`,
        en: `The service charges a fee (${charged.length}), but no step takes the payment in the system: the applicant must pay at the office`,
      },
      change: { th: "เพิ่มขั้นตอนรอชำระค่าธรรมเนียมที่มีการดำเนินการ “บันทึกการชำระค่าธรรมเนียม” (recordPayment)", en: "Add a step awaiting the fee with the action “Record the fee payment” (recordPayment)" },
      evidence,
    };
  }
  if (asking.length === 0) {
    return {
      id: "electronicPayment",
      title,
      status: "notMet",
      why: {
        th: "การชำระค่าธรรมเนียมบันทึกด้วยมือเท่านั้น ผู้ยื่นไม่ได้รับคิวอาร์โค้ดพร้อมเพย์หรือใบแจ้งการชำระเงินเพื่อชำระทางอิเล็กทรอนิกส์",
        en: "The fee is only recorded by hand: the applicant gets no PromptPay QR code or pay-in slip to pay electronically",
      },
      change: {
        th: "เพิ่มการดำเนินการ “แจ้งชำระค่าธรรมเนียม” (requestPayment) ในขั้นตอนก่อนรอชำระค่าธรรมเนียม",
        en: "Add the action “Ask for the fee” (requestPayment) to the step before the fee is awaited",
      },
      evidence,
    };
  }
  return {
    id: "electronicPayment",
    title,
    status: "met",
    why: {
      th: `แจ้งชำระด้วยคิวอาร์โค้ดพร้อมเพย์และใบแจ้งการชำระเงิน (${eventList(asking)}) และออกใบเสร็จรับเงินอิเล็กทรอนิกส์เมื่อชำระ (${eventList(paying)})`,
      en: `The fee is asked for with a PromptPay QR code and pay-in slip (${eventList(asking)}) and receipted electronically when paid (${eventList(paying)})`,
    },
    evidence,
  };
}

/** The level a set of results reaches: each level's applicable criteria all met. */
export function levelReached(criteria: readonly CriterionResult[]): LevelReached {
  const ok = (ids: readonly CriterionId[]) => ids.every((id) => criteria.find((c) => c.id === id)?.status !== "notMet");
  if (!ok(LEVEL_CRITERIA.initial)) return "none";
  return ok(LEVEL_CRITERIA.standard) ? "standard" : "initial";
}

const RANK: Record<LevelReached, number> = { none: 0, initial: 1, standard: 2 };

/** The readiness of one service from its published definition and its use. */
export function assessReadiness(slug: string, definition: ServiceDefinition, use: ServiceUse = NO_USE): ServiceReadiness {
  const edges = edgesOf(definition.workflow);
  const criteria = [
    onlineChannel(definition, use),
    electronicReceipt(use),
    electronicProcessing(definition, edges),
    electronicResult(definition, edges, use),
    publicRegistry(definition, edges, use),
    electronicPayment(definition, edges, use),
  ];
  const reachedLevel = levelReached(criteria);
  const declaredLevel = definition.manifest.level;
  return { slug, title: definition.manifest.title, declaredLevel, reachedLevel, meetsDeclared: RANK[reachedLevel] >= RANK[declaredLevel], criteria };
}

export const LEVEL_LABELS: Record<LevelReached, LocalizedText> = {
  none: { th: "ยังไม่ถึงระดับเริ่มต้น", en: "Below the initial level" },
  initial: { th: "ระดับเริ่มต้น", en: "Initial" },
  standard: { th: "ระดับมาตรฐาน", en: "Standard" },
};

export const STATUS_LABELS: Record<CriterionStatus, LocalizedText> = {
  met: { th: "ผ่าน", en: "Met" },
  notMet: { th: "ยังไม่ผ่าน", en: "Not met" },
  notApplicable: { th: "ไม่เกี่ยวข้อง", en: "Not applicable" },
};
