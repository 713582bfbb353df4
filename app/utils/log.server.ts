import { maskPersonalData } from "~/core/personal-data";

/** console.error with national IDs and phone numbers masked (PDPA): every server error log goes through here. */
export function logError(...parts: unknown[]): void {
  console.error(...parts.map((part) => maskPersonalData(part)));
}
