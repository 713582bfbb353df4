import { expect } from "vitest";
import { AppError } from "~/core/errors";

/** Runs `fn`, expecting it to throw an AppError with `code`; returns the error for further checks. */
export async function expectAppError(fn: () => Promise<unknown>, code: string): Promise<AppError> {
  const error = await fn().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}
