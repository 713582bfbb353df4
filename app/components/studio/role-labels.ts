import type { LocalizedText } from "~/core/text";
import { resources } from "~/i18n/resources";

/** Role names in both languages, for diagrams that label arrows with who may act. */
export const ROLE_LABELS: Record<string, LocalizedText> = Object.fromEntries(
  Object.keys(resources.th.translation.roles).map((role) => [
    role,
    { th: resources.th.translation.roles[role as keyof typeof resources.th.translation.roles], en: resources.en.translation.roles[role as keyof typeof resources.en.translation.roles] },
  ]),
);
