import { readFileSync } from "node:fs";
import path from "node:path";

import { loadWorkingCalendar, type WorkingCalendar } from "./working-days";

let cached: { file: string; calendar: WorkingCalendar } | undefined;

/** The holidays file in use: $BORIKAN_HOLIDAYS_FILE if set, else config/holidays.json under the working directory. */
export function workingCalendarFile(): string {
  const setting = process.env.BORIKAN_HOLIDAYS_FILE;
  const cwd = process.cwd();
  // Asked several times per filing: the path is resolved again only when the setting or the directory changed.
  if (!resolved || resolved.setting !== setting || resolved.cwd !== cwd) {
    resolved = { setting, cwd, file: path.resolve(setting || path.join(cwd, "config", "holidays.json")) };
  }
  return resolved.file;
}
let resolved: { setting: string | undefined; cwd: string; file: string } | undefined;

/**
 * The national working calendar, read and validated once per process (a bad file fails loudly on
 * first use, naming the field). Agencies layer their own days on top with mergeHolidays().
 */
export function getWorkingCalendar(): WorkingCalendar {
  const file = workingCalendarFile();
  if (cached?.file === file) return cached.calendar;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`Cannot read the working calendar ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    cached = { file, calendar: loadWorkingCalendar(json) };
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`, { cause: error });
  }
  return cached.calendar;
}

/** For tests that point BORIKAN_HOLIDAYS_FILE at another file. */
export function forgetWorkingCalendar(): void {
  cached = undefined;
}
