import { applyCaseUpdate, getCase } from "~/models/case.server";

/**
 * Advances the case one revision at a time (a guarded update from the revision just read, as a transition does)
 * until it reaches `until`; returns the revisions this caller's updates were told they wrote.
 */
export async function advanceCaseRevisions(caseId: string, until: number): Promise<number[]> {
  const won: number[] = [];
  for (;;) {
    const record = await getCase(caseId);
    if (!record || record.rev >= until) return won;
    const wrote = await applyCaseUpdate(record._id, record.rev, {
      set: {},
      history: { at: new Date(), actor: { kind: "staff", id: "race", name: "race" }, role: "officer", event: "NOTE", from: record.stateValue, to: record.stateValue },
      effects: [],
    });
    if (wrote) won.push(record.rev + 1);
  }
}
