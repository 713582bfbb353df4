import { getCaseClock, putCaseClock } from "~/models/case-clock.server";
import { forEachCaseBatch } from "~/models/case.server";
import { getServiceVersion } from "~/models/service.server";
import { clockRowOf, type ClockedCase } from "./track-case-clock.server";

/**
 * Data upgrade: a case_clocks row for every case filed before the rows existed. Open cases get their next
 * delay notice as the law has it; cases decided before notices were recorded are left alone by the sweep
 * (whether their decision was notified then is in their history, not for the worker to guess). Idempotent:
 * a case that already has a row keeps it.
 */
export async function fillCaseClocks(now = new Date()): Promise<void> {
  await forEachCaseBatch<ClockedCase & { serviceVersionId: string }>("agencyId receipt sla status closedAt updatedAt serviceVersionId", async (cases) => {
    for (const record of cases) {
      if (await getCaseClock(String(record._id))) continue;
      const service = await getServiceVersion(record.serviceVersionId);
      if (!service) continue;
      const row = clockRowOf(record, service.definition.manifest.statutoryDays, { sent: { count: 0 }, decisionNotifiedAt: null }, now);
      await putCaseClock(row.decided ? { ...row, checkAt: null } : row);
    }
  });
}
