import type { Lang, LocalizedText } from "../text";
import { transitionsOf, type Role, type WorkflowConfig } from "./types";

/** What each role is called on pages, in the history, in diagrams and in e-mails. */
export const ROLE_LABELS: Record<Role | "system", LocalizedText> = {
  applicant: { th: "ผู้ยื่นคำขอ", en: "Applicant" },
  officer: { th: "เจ้าหน้าที่", en: "Officer" },
  inspector: { th: "เจ้าพนักงานผู้ตรวจ", en: "Inspector" },
  approver: { th: "ผู้อนุญาต", en: "Approver" },
  cashier: { th: "เจ้าหน้าที่การเงิน", en: "Cashier" },
  system: { th: "ระบบ", en: "System" },
};

/** The label of a role id; an unknown id (a definition's own role) is shown as written. */
export function roleText(role: string): LocalizedText {
  return (ROLE_LABELS as Record<string, LocalizedText | undefined>)[role] ?? { th: role, en: role };
}

export const roleLabel = (role: string, lang: Lang): string => roleText(role)[lang];

export function roleLabelsIn(lang: Lang): Record<Role, string> {
  return Object.fromEntries(Object.entries(ROLE_LABELS).map(([role, label]) => [role, label[lang]])) as Record<Role, string>;
}

/** Events the platform records itself, not taken through a workflow transition. */
const PLATFORM_EVENTS: Record<string, LocalizedText> = {
  SUBMIT: { th: "ยื่นคำขอ", en: "Application filed" },
  DELAY_NOTICE: { th: "แจ้งเหตุล่าช้า", en: "Delay notice" },
  DECISION_NOTICE: { th: "แจ้งผลการพิจารณา", en: "Decision notice" },
  // s.10: a referral between agencies; the entry links to the case on the other side.
  REFERRED_TO: { th: "ส่งต่อเรื่องไปยังหน่วยงานที่มีอำนาจแล้ว", en: "Referred to the competent agency" },
  REFERRED_FROM: { th: "รับเรื่องที่ส่งต่อจากหน่วยงานอื่น", en: "Referred from another agency" },
};

/**
 * The label of a history entry's event, from the workflow's own transition (the one from `from` to `to`, else
 * any transition with that event name); never the raw event id unless the workflow no longer knows it.
 */
export function eventLabel(config: WorkflowConfig, entry: { event: string; from: string | null; to: string }): LocalizedText {
  const platform = PLATFORM_EVENTS[entry.event];
  if (platform) return platform;
  const candidates = entry.from ? transitionsOf(config.states[entry.from]) : [];
  const exact = candidates.find(([event, t]) => event === entry.event && t.target === entry.to) ?? candidates.find(([event]) => event === entry.event);
  if (exact) return exact[1].meta.label;
  for (const state of Object.values(config.states)) {
    const any = transitionsOf(state).find(([event]) => event === entry.event);
    if (any) return any[1].meta.label;
  }
  return { th: entry.event, en: entry.event };
}

/** A step's label in this workflow; an id the workflow does not have is shown as written. */
export function stepLabel(config: WorkflowConfig, stateId: string): LocalizedText {
  return config.states[stateId]?.meta.label ?? { th: stateId, en: stateId };
}
