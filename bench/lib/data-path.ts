// The data a hot-path bench needs: an agency with `n` cases across its own services and steps, 20 other
// agencies with `n` cases between them, `n` citizen accounts, and one citizen with 50 cases. Cases are clones of
// a really filed one (same size and shape), inserted with the driver in batches.
import { Types } from "mongoose";
import type { ServiceDefinition } from "~/core/definitions/types";
import { CaseModel, type CaseDoc } from "~/models/case.server";
import { indexCaseForSearch, type SearchableCase } from "~/models/case-search.server";
import { getServiceVersion, listServices, versionId } from "~/models/service.server";
import { UserModel } from "~/models/user.server";
import { hashPassword } from "~/utils/passwords.server";
import { seededRandom } from "../../scripts/seeded-random";

const BATCH = 1000;
const DAY = 86_400_000;
export const OTHER_AGENCIES = Array.from({ length: 20 }, (_, i) => `bench-agency-${String(i + 1).padStart(2, "0")}`);
export const benchUserEmail = (i: number) => `citizen${i}@bench.borikan.local`;

type Step = { service: string; serviceVersionId: string; state: string; final: boolean; slaDays?: number; pausesSla: boolean };

/** Every step of every published service of `agencyId`, as a case could stand in it. */
export async function stepsOf(agencyId: string): Promise<Step[]> {
  const steps: Step[] = [];
  for (const summary of await listServices({ agencyId, isTemplate: false })) {
    const id = versionId(summary._id, summary.currentVersion);
    const published = await getServiceVersion(id);
    const workflow = (published?.definition as ServiceDefinition | undefined)?.workflow;
    for (const [state, config] of Object.entries(workflow?.states ?? {})) {
      steps.push({ service: summary._id, serviceVersionId: id, state, final: config.type === "final", slaDays: config.meta?.slaDays, pausesSla: Boolean(config.meta?.pausesSla) });
    }
  }
  return steps;
}

export async function insertCases(options: {
  template: CaseDoc;
  n: number;
  agencies: string[];
  steps: Step[];
  /** Applicant of the first `applicantCases` cases (the rest are spread over 20,000 people). */
  applicant?: { id: string; name: string; cases: number };
  prefix: string;
  seed: number;
  onProgress?: (done: number) => void;
}): Promise<void> {
  const { template, n, agencies, steps, applicant, prefix } = options;
  const rnd = seededRandom(options.seed);
  const now = Date.now();
  const { _id: _ignored, ...rest } = template;
  // The workflow restores its state from the persisted snapshot: each clone's must name the clone's step.
  const snapshot = JSON.parse(template.snapshotJson) as Record<string, unknown>;
  const snapshotIn = new Map(steps.map((s) => [s.state, JSON.stringify({ ...snapshot, value: s.state, status: s.final ? "done" : "active" })]));
  for (let offset = 0; offset < n; offset += BATCH) {
    const docs = [];
    for (let i = offset; i < Math.min(n, offset + BATCH); i++) {
      const step = steps[Math.floor(rnd() * steps.length)]!;
      const createdAt = new Date(now - Math.floor(rnd() * 365 * DAY));
      const mine = applicant && i < applicant.cases;
      // Due dates spread from 30 days ago to 60 days ahead; finished cases and steps without a limit have none.
      const due = !step.final && step.slaDays ? { stateDueAt: new Date(now + (Math.floor(rnd() * 90) - 30) * DAY + i) } : {};
      docs.push({
        ...rest,
        _id: new Types.ObjectId(),
        trackingNumber: `${prefix}-${String(i).padStart(7, "0")}`,
        agencyId: agencies[i % agencies.length],
        serviceSlug: step.service,
        serviceVersionId: step.serviceVersionId,
        applicant: mine ? { kind: "citizen", id: applicant.id, name: applicant.name } : { kind: "citizen", id: `66c00000000000000${String(Math.floor(rnd() * 20_000)).padStart(7, "0")}`, name: `ผู้ยื่น ${i}` },
        summary: { ...template.summary, applicantName: mine ? applicant.name : `ผู้ยื่น ${i}` },
        stateValue: step.state,
        snapshotJson: snapshotIn.get(step.state),
        status: step.final ? "done" : "active",
        ...(step.final ? { outcome: step.state, closedAt: createdAt } : {}),
        sla: { ...due, paused: step.pausesSla, pausedAt: step.pausesSla ? createdAt : null, statutoryDueAt: new Date(createdAt.getTime() + 30 * DAY) },
        receipt: { ...template.receipt, number: `${prefix}-R-${i}`, receivedAt: createdAt, countedFrom: createdAt },
        createdAt,
        updatedAt: createdAt,
      });
    }
    await CaseModel.collection.insertMany(docs as never[], { ordered: false });
    // The inbox's search words, as filing writes them.
    await indexCaseForSearch(docs as unknown as SearchableCase[]);
    options.onProgress?.(Math.min(n, offset + BATCH));
  }
}

/** `n` citizen accounts that can sign in with `password`. */
export async function insertUsers(n: number, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  for (let offset = 0; offset < n; offset += BATCH) {
    const docs = [];
    for (let i = offset; i < Math.min(n, offset + BATCH); i++) {
      docs.push({ email: benchUserEmail(i), passwordHash, name: `ประชาชน ${i}`, kind: "citizen", roles: [], active: true, createdAt: new Date() });
    }
    await UserModel.collection.insertMany(docs as never[], { ordered: false });
  }
}
