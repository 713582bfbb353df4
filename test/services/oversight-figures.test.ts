/**
 * OPDC's figures from cases in the real database: the worker's refresh stores one snapshot per agency and one
 * over all agencies; each agency's figures hold its own cases only; delay notices are counted from
 * `case_notices` (empty or absent: zero); "recompute now" is OPDC's alone and audited.
 */
import mongoose from "mongoose";
import { describe, expect, it } from "vitest";
import type { Actor } from "~/core/actor";
import { loadRepositoryDefinitions } from "~/services/load-repository-definitions.server";
import {
  ensureAgencyFigures,
  loadAgencyFigures,
  loadAgencyFiguresByCode,
  loadAgencyFiguresOf,
  loadAllAgencyFigures,
  refreshAgencyFigures,
} from "~/services/oversight/agency-figures.server";
import { recomputeAgencyFigures } from "~/services/oversight/recompute-agency-figures.server";
import { withTestDatabase } from "../support/db";
import { insertGeneratedCase } from "../support/generated-cases";
import { demoActor } from "../support/journeys";

withTestDatabase();

/** A Bangkok wall-clock time, "YYYY-MM-DDTHH:MM". */
const bkk = (local: string) => new Date(`${local}:00+07:00`);
// Friday 19 June 2026, 10:00 in Bangkok (8–19 June holds no holiday).
const NOW = bkk("2026-06-19T10:00");

/** A case received at `received`, due at `due` (Bangkok times), decided or still open (and maybe waiting on the applicant). */
function generatedCase(agencyId: string, received: string, due: string, more: { decided?: string; movedDue?: string; pausedAt?: string } = {}) {
  return insertGeneratedCase({
    agencyId,
    receivedAt: bkk(received),
    dueAt: bkk(due),
    decidedAt: more.decided ? bkk(more.decided) : undefined,
    movedDueAt: more.movedDue ? bkk(more.movedDue) : undefined,
    pausedAt: more.pausedAt ? bkk(more.pausedAt) : undefined,
  });
}

const opdc = () => demoActor("opdc@demo.borikan.local");

describe("OPDC's figures from the cases in the database", () => {
  it("computes nothing at start-up when no snapshot is missing, and zeros with no cases and no notices collection", async () => {
    expect(await loadAllAgencyFigures()).toBeNull();
    expect(await ensureAgencyFigures(NOW)).toBe(true);
    expect(await ensureAgencyFigures(NOW)).toBe(false);
    const sukjai = await loadAgencyFiguresOf("sukjai");
    expect(sukjai).toMatchObject({ agencyCode: "SKJ", filed: 0, decided: 0, onTimeShare: null, delayNoticesSent: 0, computedAt: NOW.toISOString() });
    // OPDC itself is not one of the agencies watched.
    expect((await loadAgencyFigures()).map((f) => f.agencyCode)).toEqual(["SKJ", "TTG"]);
  });

  it("stores each agency's figures from its own cases, and all agencies' together", async () => {
    // Sukjai: four decided (days 3, 5, 4 late, 5 after 3 days waiting), one open past its limit, one not.
    await generatedCase("sukjai", "2026-06-08T09:00", "2026-06-12T16:30", { decided: "2026-06-10T10:00" });
    await generatedCase("sukjai", "2026-06-08T09:00", "2026-06-12T16:30", { decided: "2026-06-12T10:00" });
    await generatedCase("sukjai", "2026-06-08T09:00", "2026-06-09T16:30", { decided: "2026-06-11T10:00" });
    await generatedCase("sukjai", "2026-06-08T09:00", "2026-06-12T16:30", { decided: "2026-06-17T10:00", movedDue: "2026-06-17T16:30" });
    await generatedCase("sukjai", "2026-06-08T09:00", "2026-06-12T16:30");
    await generatedCase("sukjai", "2026-06-15T09:00", "2026-06-26T16:30");
    // Thung Thong: one decided the day it was filed, one open past its limit, one waiting on the applicant since before its due date.
    await generatedCase("thungthong", "2026-06-09T09:00", "2026-06-12T16:30", { decided: "2026-06-09T15:00" });
    await generatedCase("thungthong", "2026-06-08T09:00", "2026-06-10T16:30");
    await generatedCase("thungthong", "2026-06-08T09:00", "2026-06-12T16:30", { pausedAt: "2026-06-11T09:00" });
    // Delay notices, as the notices write them (another kind is not counted).
    const notices = mongoose.connection.collection("case_notices");
    await notices.insertMany([
      { agencyId: "sukjai", kind: "delay", caseId: "x1" },
      { agencyId: "sukjai", kind: "delay", caseId: "x2" },
      { agencyId: "sukjai", kind: "decision", caseId: "x3" },
      { agencyId: "thungthong", kind: "delay", caseId: "x4" },
    ]);

    await refreshAgencyFigures(NOW);

    const levels = loadRepositoryDefinitions().definitions.map((d) => d.definition.manifest.level);
    const online = { initial: levels.filter((l) => l === "initial").length, standard: levels.filter((l) => l === "standard").length };
    const sukjai = await loadAgencyFiguresOf("sukjai");
    expect(sukjai).toMatchObject({
      agencyCode: "SKJ",
      servicesOnline: online,
      filed: 6,
      decided: 4,
      decidedOnTime: 3,
      onTimeShare: 0.75,
      medianDays: 4.5,
      p90Days: 5,
      openCases: 2,
      openPastLimit: 1,
      delayNoticesSent: 2,
    });
    expect(sukjai!.months.at(-1)).toEqual({ month: "2026-06", filed: 6, decided: 4, decidedOnTime: 3 });
    // Another agency's cases do not leak in: every service listed is Sukjai's own.
    expect(sukjai!.services.every((s) => s.slug.startsWith("sukjai-"))).toBe(true);
    const licence = sukjai!.services.find((s) => s.slug === "sukjai-health-hazard-licence");
    expect(licence).toMatchObject({ statutoryDays: 30, filed: 6, decided: 4, decidedOnTime: 3, medianDays: 4.5, p90Days: 5, openPastLimit: 1 });

    const thungthong = await loadAgencyFiguresByCode("ttg");
    expect(thungthong).toMatchObject({ agencyId: "thungthong", filed: 3, decided: 1, decidedOnTime: 1, onTimeShare: 1, medianDays: 1, p90Days: 1, openCases: 2, openPastLimit: 1, delayNoticesSent: 1 });

    const all = await loadAllAgencyFigures();
    expect(all).toMatchObject({
      agencyId: "all",
      servicesOnline: { initial: online.initial * 2, standard: online.standard * 2 },
      filed: 9,
      decided: 5,
      decidedOnTime: 4,
      medianDays: 4,
      p90Days: 5,
      openCases: 4,
      openPastLimit: 2,
      delayNoticesSent: 3,
    });
  });

  it("lets OPDC recompute now, audited; an agency admin is refused", async () => {
    await generatedCase("thungthong", "2026-06-16T09:00", "2026-06-19T16:30", { decided: "2026-06-17T09:00" });
    const later = bkk("2026-06-19T11:00");
    const done = await recomputeAgencyFigures(await opdc(), later);
    expect(done).toEqual({ agencies: 2, computedAt: later.toISOString() });
    expect(await loadAgencyFiguresOf("thungthong")).toMatchObject({ filed: 4, decided: 2, computedAt: later.toISOString() });
    const audited = await mongoose.connection.collection("audit_entries").find({ action: "oversight.recompute" }).toArray();
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ agencyId: "opdc", target: { type: "oversight-figures", id: "all" } });

    const admin: Actor = await demoActor("admin@sukjai.demo.borikan.local");
    await expect(recomputeAgencyFigures(admin, later)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
