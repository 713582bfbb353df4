import { AppError } from "~/core/errors";
import type { LocalizedText } from "~/core/text";
import { loadThaiAddressBook } from "~/core/thai/address";
import { listAgencies } from "~/models/agency.server";
import { getServiceVersion, listServices, versionId } from "~/models/service.server";
import type { RegistryQuery } from "~/core/registry/registry-query";
import { parseRegistryQuery } from "~/core/registry/registry-query";
import { publicPermitView, type PublicPermitView } from "~/core/permits/public-view";
import { todayInBangkok } from "~/core/thai/buddhist-date";
import { exportRegistry, searchRegistry, warmRegistryIndex } from "./registry.server";

export type RegistryPage = { items: PublicPermitView[]; total: number; page: number; pageSize: number; query: RegistryQuery };

/** One page of the public registry for URL parameters; a malformed parameter is a BAD_REQUEST naming it. */
export async function registryPage(params: URLSearchParams, now = new Date()): Promise<RegistryPage> {
  const query = parseRegistryQuery(params);
  const result = await searchRegistry(query, now);
  const today = todayInBangkok(now);
  return { items: result.items.map((entry) => publicPermitView(entry, today)), total: result.total, page: result.page, pageSize: result.pageSize, query };
}

/** Every match of a query, ranked once, for the open-data CSV (no pagination parameters apply). */
export async function* registryExport(params: URLSearchParams, now = new Date()): AsyncGenerator<PublicPermitView> {
  const query = parseRegistryQuery(params);
  const today = todayInBangkok(now);
  for await (const entry of exportRegistry(query, now)) yield publicPermitView(entry, today);
}

/** Waits until this process's registry index is ready; UNAVAILABLE while the first snapshot is being prepared. */
export async function ensureRegistryReady(): Promise<void> {
  await warmRegistryIndex();
}

export function isRegistryPreparing(error: unknown): error is AppError {
  return error instanceof AppError && error.code === "UNAVAILABLE";
}

export function isBadQuery(error: unknown): error is AppError {
  return error instanceof AppError && error.code === "BAD_REQUEST";
}

/** The open-data CSV's columns: the printed fields, never anything else. */
export const REGISTRY_CSV_COLUMNS: { header: string; value: (p: PublicPermitView) => string }[] = [
  { header: "number", value: (p) => p.number },
  { header: "agency", value: (p) => p.agencyId },
  { header: "agency_name", value: (p) => p.agencyName.th },
  { header: "type", value: (p) => p.typeCode },
  { header: "type_name", value: (p) => p.typeName.th },
  { header: "holder", value: (p) => p.holderName },
  { header: "holder_juristic_id_declared", value: (p) => p.holderEntity?.juristicId ?? "" },
  { header: "business", value: (p) => p.businessName },
  { header: "activity", value: (p) => p.activity },
  { header: "address", value: (p) => p.address.text },
  { header: "province", value: (p) => p.address.province ?? "" },
  { header: "district", value: (p) => p.address.district ?? "" },
  { header: "issued_on", value: (p) => p.issuedOn },
  { header: "valid_until", value: (p) => p.validUntil },
  { header: "status", value: (p) => p.status },
  { header: "status_reason", value: (p) => p.statusReason ?? "" },
];

export type RegistryFacets = {
  agencies: { id: string; name: LocalizedText }[];
  types: { code: string; name: LocalizedText }[];
  provinces: string[];
  districts: string[];
};

/** Choices for the registry's filters: agencies that issue permits, their permit types, and places. */
export async function registryFacets(province?: string): Promise<RegistryFacets> {
  const [agencies, services, book] = await Promise.all([listAgencies(), listServices({ isTemplate: false }), loadThaiAddressBook()]);
  const types = new Map<string, LocalizedText>();
  for (const summary of services) {
    const published = await getServiceVersion(versionId(summary._id, summary.currentVersion));
    const permit = published?.definition.manifest.permit;
    if (permit && !types.has(permit.code)) types.set(permit.code, permit.type);
  }
  return {
    agencies: agencies.filter((a) => a.kind !== "opdc").map((a) => ({ id: a._id, name: a.name })),
    types: [...types].map(([code, name]) => ({ code, name })),
    provinces: book.provinces(),
    districts: province ? book.districts(province) : [],
  };
}
