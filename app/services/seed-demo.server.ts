import type { ServiceDefinition } from "~/core/definitions/types";
import type { Role, StaffRole } from "~/core/workflow/types";
import { AgencyModel, upsertAgency, type Agency } from "~/models/agency.server";
import { MAX_KEY_LIFETIME_DAYS } from "~/core/api-keys";
import { ApiClientModel, createApiClient, ensureApiKeyHash, findApiClientByKeyHash, updateApiClient, type ApiClient } from "~/models/api-client.server";
import { getServiceSummary, getServiceVersion, publishServiceVersion, versionId } from "~/models/service.server";
import { createUser, findUserByEmail, type UserKind } from "~/models/user.server";
import { hashApiKey, hashPassword } from "~/utils/passwords.server";
import { loadRepositoryDefinitions } from "./load-repository-definitions.server";
import { importDemoLegacyPermits } from "./permit-import/demo-legacy-permits.server";

export const DEMO_PASSWORD = "borikan-demo";
export const DEMO_API_KEY = "bk_demo_sukjai_0123456789abcdef0123456789";
export const OTHER_AGENCY_API_KEY = "bk_demo_thungthong_0123456789abcdef012345";

export const DEMO_AGENCIES: Agency[] = [
  { _id: "opdc", code: "OPDC", kind: "opdc", name: { th: "สำนักงานคณะกรรมการพัฒนาระบบราชการ (ก.พ.ร.)", en: "Office of the Public Sector Development Commission (OPDC)" } },
  {
    _id: "sukjai",
    code: "SKJ",
    kind: "municipality",
    province: "นนทบุรี",
    name: { th: "เทศบาลเมืองสุขใจ", en: "Sukjai Town Municipality" },
    // Its tax ID and the suffix its bank gave for fees (PromptPay bill payment).
    billerId: "099400016543901",
  },
  { _id: "thungthong", code: "TTG", kind: "sao", province: "นครราชสีมา", name: { th: "องค์การบริหารส่วนตำบลทุ่งทอง", en: "Thung Thong Subdistrict Administrative Organization" } },
];

type DemoUser = { email: string; name: string; kind: UserKind; agencyId?: string; roles: StaffRole[] };
export const DEMO_USERS: DemoUser[] = [
  { email: "citizen@demo.borikan.local", name: "สมชาย ใจดี", kind: "citizen", roles: [] },
  { email: "officer@sukjai.demo.borikan.local", name: "สมหญิง ตั้งใจ", kind: "staff", agencyId: "sukjai", roles: ["officer", "inspector"] },
  { email: "approver@sukjai.demo.borikan.local", name: "ประเสริฐ มั่นคง", kind: "staff", agencyId: "sukjai", roles: ["approver"] },
  { email: "cashier@sukjai.demo.borikan.local", name: "บุญมี เก็บเงิน", kind: "staff", agencyId: "sukjai", roles: ["cashier"] },
  { email: "admin@sukjai.demo.borikan.local", name: "วิไล รักงาน", kind: "agencyAdmin", agencyId: "sukjai", roles: [] },
  { email: "opdc@demo.borikan.local", name: "เจ้าหน้าที่ ก.พ.ร.", kind: "opdcAdmin", roles: [] },
  { email: "officer@thungthong.demo.borikan.local", name: "มานะ ขยัน", kind: "staff", agencyId: "thungthong", roles: ["officer", "inspector", "approver"] },
];

/**
 * The demo API clients are intake systems: they file applications and receive them (completeness check,
 * requests for missing items). Inspection and decisions stay with people; the four-eyes rules apply to keys too.
 */
export const DEMO_API_KEY_ROLES: Role[] = ["officer"];

/** The slug an agency's clone of a template gets: `<agency>-<template>`. */
export function cloneSlug(agencyId: string, templateId: string) {
  return `${agencyId}-${templateId}`;
}

/** An agency's copy of a template, as the studio's clone makes it: its own id, and where it came from. */
function cloneDefinition(def: ServiceDefinition, slug: string, templateVersion: number): ServiceDefinition {
  return { ...def, manifest: { ...def.manifest, id: slug, sourceTemplate: { id: def.manifest.id, version: templateVersion } } };
}

/** Versions are immutable: a definition that changed in the repository is published as the next version. */
async function publishIfChanged(slug: string, agencyId: string, isTemplate: boolean, definition: ServiceDefinition) {
  const summary = await getServiceSummary(slug);
  if (summary) {
    const current = await getServiceVersion(versionId(slug, summary.currentVersion));
    const same = (a: ServiceDefinition, b: ServiceDefinition) =>
      JSON.stringify([a.manifest, a.form.schema, a.form.uiSchema, a.workflow]) === JSON.stringify([b.manifest, b.form.schema, b.form.uiSchema, b.workflow]);
    if (current && same(current.definition, definition)) return { version: summary.currentVersion, changed: false };
  }
  const published = await publishServiceVersion({ slug, agencyId, isTemplate, definition });
  return { version: published.version, changed: true };
}

/**
 * Publishes the OPDC templates from the repository and, outside production, the demo agencies, services,
 * accounts and API clients. Safe to run twice: what exists is left alone.
 */
export async function seedDemo({ production = false, log = console.log } = {}): Promise<void> {
  const { definitions } = loadRepositoryDefinitions();
  await upsertAgency(DEMO_AGENCIES[0]);
  const templateVersions = new Map<string, number>();
  for (const { definition } of definitions) {
    const published = await publishIfChanged(definition.manifest.id, "opdc", true, definition);
    templateVersions.set(definition.manifest.id, published.version);
    if (published.changed) log(`published OPDC template ${definition.manifest.id} v${published.version}`);
  }
  if (production) return;

  for (const agency of DEMO_AGENCIES.slice(1)) await upsertAgency(agency);
  for (const agencyId of ["sukjai", "thungthong"]) {
    for (const { definition } of definitions) {
      const slug = cloneSlug(agencyId, definition.manifest.id);
      await publishIfChanged(slug, agencyId, false, cloneDefinition(definition, slug, templateVersions.get(definition.manifest.id) ?? 1));
    }
  }
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const user of DEMO_USERS) {
    if (!(await findUserByEmail(user.email))) await createUser({ ...user, passwordHash });
  }
  for (const [agencyId, key] of [["sukjai", DEMO_API_KEY], ["thungthong", OTHER_AGENCY_API_KEY]] as const) {
    const keyHash = hashApiKey(key);
    // By its hash record (the key may have been rotated since), else as a record from before those existed.
    const existing = (await findApiClientByKeyHash(keyHash)) ?? (await ApiClientModel.findOne({ keyHash }).lean<ApiClient>());
    if (!existing) {
      const expiresAt = new Date(Date.now() + MAX_KEY_LIFETIME_DAYS * 24 * 3600_000);
      await createApiClient({ name: `ระบบงานสารบรรณ ${agencyId} (demo)`, agencyId, keyHash, keyPrefix: key.slice(0, 10), roles: DEMO_API_KEY_ROLES, expiresAt });
    } else {
      // Demo databases seeded before keys were scoped held every staff role: narrow them. Those seeded before
      // look-ups were by `_id` get their hash record, and those seeded before expiry existed an expiry.
      await ensureApiKeyHash(existing);
      const expiresAt = existing.expiresAt ?? new Date(Date.now() + MAX_KEY_LIFETIME_DAYS * 24 * 3600_000);
      await updateApiClient(existing._id, { roles: DEMO_API_KEY_ROLES, expiresAt });
    }
  }
  await importDemoLegacyPermits({ log });
  log("Demo data ready (non-production only):");
  log(`  accounts (password "${DEMO_PASSWORD}"): ${DEMO_USERS.map((u) => u.email).join(", ")}`);
  log(`  API key of เทศบาลเมืองสุขใจ: ${DEMO_API_KEY}`);
}

export async function isDatabaseEmpty(): Promise<boolean> {
  return (await AgencyModel.estimatedDocumentCount()) === 0;
}
