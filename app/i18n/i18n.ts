import i18next, { type i18n } from "i18next";
import type { Lang } from "~/core/text";
import { resources } from "./resources";

const instances = new Map<Lang, i18n>();

/** One initialised i18next instance per language, shared by server render and hydration. */
export function i18nFor(lang: Lang): i18n {
  let instance = instances.get(lang);
  if (!instance) {
    instance = i18next.createInstance();
    void instance.init({ resources, lng: lang, fallbackLng: "th", initAsync: false, interpolation: { escapeValue: false } });
    instances.set(lang, instance);
  }
  return instance;
}

export function parseLang(value: string | null | undefined): Lang {
  return value === "en" ? "en" : "th";
}
