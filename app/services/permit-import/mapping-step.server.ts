/** The column-mapping step of the browser import: what the page shows, and starting the job from its form. */
import { AppError } from "~/core/errors";
import { columnsByField, mappingFromChoices, sequenceOfNumber, suggestMapping, TARGET_FIELDS, type TargetField } from "~/core/permits/permit-import";
import type { LocalizedText } from "~/core/text";
import { getAgency } from "~/models/agency.server";
import { startImportJob } from "./import-jobs.server";
import { agencyPermitTypes } from "./permit-types.server";
import { previewTable } from "./read-table.server";
import { getUpload } from "./uploads.server";

export const PREVIEW_ROWS = 5;

export type MappingStep = {
  upload: { id: string; fileName: string; size: number };
  headers: string[];
  preview: { rowNumber: number; values: Record<string, string> }[];
  /** field → suggested column */
  suggested: Partial<Record<TargetField, string>>;
  permitTypes: { code: string; name: LocalizedText }[];
  /** The type whose number format the preview's numbers follow, if one does. */
  guessedType: string | null;
};

export async function mappingStep(uploadId: string, actor: { agencyId: string }): Promise<MappingStep> {
  const upload = await getUpload(uploadId, actor);
  const { headers, rows } = await previewTable(upload.filePath, upload.kind, PREVIEW_ROWS);
  const suggested = columnsByField(suggestMapping(headers));
  const types = Object.values(await agencyPermitTypes(actor.agencyId));
  const agency = await getAgency(actor.agencyId);
  const numbers = suggested.number ? rows.map((r) => r.values[suggested.number!] ?? "") : [];
  const guessed = agency
    ? types.find((t) => numbers.some((n) => sequenceOfNumber(n.trim(), t.numberFormat, { agency: agency.code, type: t.code })))
    : undefined;
  return {
    upload: { id: upload.id, fileName: upload.fileName, size: upload.size },
    headers,
    preview: rows,
    suggested,
    permitTypes: types.map((t) => ({ code: t.code, name: t.typeName })),
    guessedType: guessed?.code ?? (types.length === 1 ? types[0].code : null),
  };
}

/** The mapping form's choices (`field.<name>` = column, `typeCode` = type of the whole file). */
export function choicesOf(form: FormData): { choices: Partial<Record<TargetField, string>>; defaultTypeCode?: string } {
  const choices: Partial<Record<TargetField, string>> = {};
  for (const field of TARGET_FIELDS) {
    const value = form.get(`field.${field}`);
    if (typeof value === "string" && value) choices[field] = value;
  }
  const type = form.get("typeCode");
  return { choices, ...(typeof type === "string" && type ? { defaultTypeCode: type } : {}) };
}

/** Checks the choices and starts the import in the background; returns the job id. */
export async function startImportFromForm(uploadId: string, form: FormData, actor: { id: string; agencyId: string; name?: string }): Promise<string> {
  const upload = await getUpload(uploadId, actor);
  const { headers } = await previewTable(upload.filePath, upload.kind, 0);
  const { choices, defaultTypeCode } = choicesOf(form);
  const { mapping, errors } = mappingFromChoices(headers, choices);
  if (errors.length > 0) {
    throw new AppError("BAD_REQUEST", { th: errors.map((e) => e.th).join("; "), en: errors.map((e) => e.en).join("; ") });
  }
  return startImportJob({ actor, upload, mapping, defaultTypeCode });
}
