import { PERMIT_STATUSES, type StoredPermit } from "~/core/permits/types";
import type { RegistryQuery } from "~/core/registry/registry-query";
import { seededRandom } from "../../scripts/seeded-random";

export type RegistryQueryKind = { name: string; queries: RegistryQuery[] };
type Sampled = Pick<StoredPermit, "number" | "holderName" | "agencyId">;

/**
 * The six kinds of registry query every registry bench times, `perKind` of each, drawn from sampled permits with
 * a fixed seed (so two runs, or two versions of the index, get the same queries).
 */
export function registryQueryKinds<T extends Sampled>(samples: T[], provinceOf: (sample: T) => string | undefined, perKind: number): RegistryQueryKind[] {
  const random = seededRandom(42);
  const pick = <V>(items: readonly V[]): V => items[Math.floor(random() * items.length)]!;
  const people = samples.filter((p) => /^(นาย|นาง)/.test(p.holderName));
  const firstName = (p: T) => p.holderName.split(" ")[0]!.replace(/^(นางสาว|นาง|นาย)/, "");
  const q = (fields: Partial<RegistryQuery>): RegistryQuery => ({ q: "", page: 1, pageSize: 20, ...fields });
  const many = (make: () => RegistryQuery) => Array.from({ length: perKind }, make);
  const activityWords = ["สปา", "ซักรีด", "เสริมสวย", "อาหาร", "ตลาด", "ซ่อม", "น้ำมัน", "สัตว์เลี้ยง", "ก๊าซ", "ห้องเย็น"];
  const statuses = PERMIT_STATUSES.filter((s) => s !== "renewed");
  return [
    { name: "Thai word from a holder's name (surname)", queries: many(() => q({ q: pick(people).holderName.split(" ")[1] })) },
    { name: "permit number (exact)", queries: many(() => q({ q: pick(samples).number })) },
    { name: "holder name prefix (first 3 characters)", queries: many(() => q({ q: firstName(pick(people)).slice(0, 3) })) },
    { name: "filter only: agency + status", queries: many(() => q({ agency: pick(samples).agencyId, status: pick(statuses) })) },
    { name: "Thai word + province filter", queries: many(() => q({ q: pick(activityWords), province: provinceOf(pick(samples)) })) },
    { name: "page 50-100 of a common word (ร้าน)", queries: many(() => q({ q: "ร้าน", page: 50 + Math.floor(random() * 51) })) },
  ];
}
