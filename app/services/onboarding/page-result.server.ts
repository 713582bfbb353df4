import { json } from "@remix-run/node";
import { httpStatusFor, isAppError } from "~/core/errors";
import type { FieldError } from "~/core/forms/form-validation";
import type { LocalizedText } from "~/core/text";

export type PageProblem = { errors: FieldError[]; message: LocalizedText };

/** A refused form on an onboarding page: its field errors and message, with the status from the one table. */
export function pageProblem(error: unknown) {
  if (!isAppError(error) || error.code === "NOT_FOUND" || error.code === "FORBIDDEN" || error.code === "CROSS_ORIGIN") throw error;
  const fields = (error.details as { fields?: FieldError[] } | undefined)?.fields ?? [];
  return json<PageProblem>({ errors: fields, message: error.text }, { status: httpStatusFor(error.code) });
}
