import { AppError } from "../errors";
import type { LocalizedText } from "../text";
import { transitionsOf, type Role, type TransitionConfig, type WorkflowConfig } from "./types";

/*
 * Four eyes (separation of duties), decided by the pure core so that the case page's buttons, the API and
 * the simulator agree. Identities are opaque strings: a person's id (citizen or staff) or an API key's id.
 *   1. Whoever filed a case never takes a staff transition on it: on their own case they act as the applicant only.
 *   2. A transition with `meta.differentActorFrom: ["EVENT", …]` may not be taken by anyone who took one of
 *      those events earlier on the same case (e.g. approval ≠ inspection).
 */

/** Who acts now, with which roles on this case, who filed it and who took each earlier event. */
export type ActingParty = {
  roles: readonly Role[];
  actor: string;
  filer: string;
  history: readonly { event: string; actor: string }[];
};

/** The role the party takes a transition in: the filer only ever as the applicant. */
export function roleForTransition(meta: TransitionConfig["meta"], party: ActingParty): Role | undefined {
  if (party.actor === party.filer) return meta.roles.includes("applicant") && party.roles.includes("applicant") ? "applicant" : undefined;
  return meta.roles.find((r) => party.roles.includes(r));
}

/** The label of the first transition that handles an event, for messages; the event name when none does. */
export function eventLabel(config: WorkflowConfig, event: string): LocalizedText {
  for (const state of Object.values(config.states)) {
    for (const [name, t] of transitionsOf(state)) if (name === event) return t.meta.label;
  }
  return { th: event, en: event };
}

/**
 * Why the party may not take this transition under the four-eyes rules, or undefined. Call it only once the
 * party's roles allow the transition: a filer who holds a staff role is refused here, by name of the rule.
 */
export function separationOfDutiesProblem(
  config: WorkflowConfig,
  event: string,
  meta: TransitionConfig["meta"],
  party: ActingParty,
): AppError | undefined {
  if (party.actor === party.filer && !meta.roles.includes("applicant")) {
    return new AppError(
      "SEPARATION_OF_DUTIES",
      {
        th: `ผู้ยื่นคำขอดำเนินการ "${meta.label.th}" ในฐานะเจ้าหน้าที่กับคำขอของตนเองไม่ได้ (หลักการแบ่งแยกหน้าที่: ผู้ยื่นคำขอต้องไม่เป็นผู้พิจารณา)`,
        en: `Whoever filed an application cannot "${meta.label.en}" on it as staff (separation of duties: the filer never acts as staff on their own case)`,
      },
      { rule: "filer", event },
    );
  }
  const earlier = (meta.differentActorFrom ?? []).filter((name) => party.history.some((h) => h.event === name && h.actor === party.actor));
  if (earlier.length === 0) return undefined;
  const labels = earlier.map((name) => eventLabel(config, name));
  return new AppError(
    "SEPARATION_OF_DUTIES",
    {
      th: `"${meta.label.th}" ต้องทำโดยผู้อื่นที่ไม่ใช่ผู้ที่ ${labels.map((l) => `"${l.th}"`).join(", ")} ในคำขอนี้ (หลักการแบ่งแยกหน้าที่)`,
      en: `"${meta.label.en}" must be done by someone other than whoever did ${labels.map((l) => `"${l.en}"`).join(", ")} on this application (separation of duties)`,
    },
    { rule: "differentActorFrom", event, differentActorFrom: earlier },
  );
}
