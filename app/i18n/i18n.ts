import i18next, { type i18n } from "i18next";
import type { Lang } from "~/core/text";
import { auditResources } from "./audit-resources";
import { permitResources } from "./permit-resources";
import { resources as coreResources } from "./resources";
import { studioResources } from "./studio-resources";

/** Merges feature string tables into the core one, one level deep (so `nav.registry` joins `nav`). */
function merge(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const existing = out[key];
    out[key] = existing && typeof existing === "object" && typeof value === "object" ? { ...existing, ...value } : value;
  }
  return out;
}

const resources = {
  th: { translation: merge(merge(merge(coreResources.th.translation, permitResources.th), studioResources.th), auditResources.th) },
  en: { translation: merge(merge(merge(coreResources.en.translation, permitResources.en), studioResources.en), auditResources.en) },
};

const instances = new Map<Lang, i18n>();

/** One initialised i18next instance per language, shared by server render and hydration. */
export function i18nFor(lang: Lang): i18n {
  let instance = instances.get(lang);
  if (!instance) {
    instance = i18next.createInstance();
    // showSupportNotice: no advertisement in the server log (and the browser console) of a government service.
    void instance.init({ resources, lng: lang, fallbackLng: "th", initAsync: false, interpolation: { escapeValue: false }, showSupportNotice: false });
    instances.set(lang, instance);
  }
  return instance;
}

export function parseLang(value: string | null | undefined): Lang {
  return value === "en" ? "en" : "th";
}
