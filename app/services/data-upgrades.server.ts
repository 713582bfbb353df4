import { claim, claimedAt } from "~/models/claim.server";
import { forEachCaseBatch, upgradeCaseQueryData, upgradeInboxStepIndex } from "~/models/case.server";
import { indexCaseForSearch, type SearchableCase } from "~/models/case-search.server";
import { upgradeUploadQueryData } from "~/models/upload.server";
import { fillCaseClocks } from "./cases/fill-case-clocks.server";

/**
 * One-time changes to stored data, each run once per database (recorded as a claim when done). Each is
 * idempotent, so a run cut short is simply run again at the next start. `npm run seed` (and so `npm start`)
 * runs them before the web process starts.
 */
const UPGRADES: { name: string; run: () => Promise<void> }[] = [
  { name: "2026-12-case-query-indexes", run: upgradeCaseQueryData },
  { name: "2026-12-upload-query-indexes", run: upgradeUploadQueryData },
  { name: "2026-12-inbox-step-per-service", run: upgradeInboxStepIndex },
  { name: "2026-12-case-search-terms", run: () => forEachCaseBatch<SearchableCase>("agencyId trackingNumber summary", indexCaseForSearch) },
  { name: "2026-12-case-clocks", run: () => fillCaseClocks() },
];

export async function runDataUpgrades(log: (message: string) => void = console.log): Promise<string[]> {
  const ran: string[] = [];
  for (const upgrade of UPGRADES) {
    const key = `data-upgrade:${upgrade.name}`;
    if (await claimedAt(key)) continue;
    log(`Upgrading stored data: ${upgrade.name}`);
    await upgrade.run();
    await claim(key);
    ran.push(upgrade.name);
  }
  return ran;
}
