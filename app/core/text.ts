/** Every user-facing string in Borikan exists in Thai and English. */
export type Lang = "th" | "en";
export const LANGS: readonly Lang[] = ["th", "en"];
export type LocalizedText = { th: string; en: string };

export function pick(text: LocalizedText | undefined, lang: Lang): string {
  if (!text) return "";
  return text[lang] || text.th || text.en;
}
