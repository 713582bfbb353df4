import type { FieldError } from "../forms/form-validation";
import type { LocalizedText } from "../text";
import { formatJuristicId, isValidJuristicId, normalizeJuristicId } from "../thai/juristic-id";

/**
 * An applicant filing for a company: the juristic person they declare. `declared` is always true: nothing here
 * can check the DBD registry, so the name and number are the applicant's own statement.
 */
export type OnBehalfOf = { kind: "juristic"; juristicId: string; name: string; declared: true };

export const ON_BEHALF_OF_LABEL: LocalizedText = { th: "นิติบุคคล (แจ้งเอง)", en: "company (declared)" };

const MAX_NAME = 200;

/**
 * Reads the optional `onBehalfOf` of a filing. Absent, null or `{ kind: "self" }` means for oneself. Returns the
 * declaration or the errors by field (pointers under /onBehalfOf), in Thai and English.
 */
export function readOnBehalfOf(input: unknown): { value: OnBehalfOf | null; errors: FieldError[] } {
  if (input === undefined || input === null) return { value: null, errors: [] };
  if (typeof input !== "object" || Array.isArray(input)) {
    return { value: null, errors: [{ pointer: "/onBehalfOf", message: { th: "ข้อมูลผู้ยื่นในนามต้องเป็นออบเจกต์", en: "onBehalfOf must be an object" } }] };
  }
  const { kind, juristicId, name, ...rest } = input as Record<string, unknown>;
  if (kind === "self") return { value: null, errors: [] };
  const errors: FieldError[] = [];
  if (kind !== "juristic") errors.push({ pointer: "/onBehalfOf/kind", message: { th: 'ประเภทต้องเป็น "self" หรือ "juristic"', en: 'kind must be "self" or "juristic"' } });
  const unknownKey = Object.keys(rest).find((k) => k !== "declared");
  if (unknownKey) errors.push({ pointer: `/onBehalfOf/${unknownKey}`, message: { th: "ไม่รู้จักช่องข้อมูลนี้", en: "Unknown property" } });
  const id = typeof juristicId === "string" ? normalizeJuristicId(juristicId.trim()) : "";
  if (!id) errors.push({ pointer: "/onBehalfOf/juristicId", message: { th: "กรุณากรอกเลขทะเบียนนิติบุคคล 13 หลัก", en: "Enter the 13-digit juristic person registration number" } });
  else if (!/^\d{13}$/.test(id)) errors.push({ pointer: "/onBehalfOf/juristicId", message: { th: "เลขทะเบียนนิติบุคคลต้องเป็นตัวเลข 13 หลัก", en: "The juristic person number must be 13 digits" } });
  else if (!isValidJuristicId(id)) errors.push({ pointer: "/onBehalfOf/juristicId", message: { th: "เลขทะเบียนนิติบุคคลไม่ถูกต้อง (หลักตรวจสอบไม่ตรง)", en: "The juristic person number is not valid (its check digit does not match)" } });
  const cleanName = typeof name === "string" ? name.trim().replace(/\s+/g, " ") : "";
  if (!cleanName) errors.push({ pointer: "/onBehalfOf/name", message: { th: "กรุณากรอกชื่อนิติบุคคลตามที่จดทะเบียน", en: "Enter the company's registered name" } });
  else if (cleanName.length > MAX_NAME) errors.push({ pointer: "/onBehalfOf/name", message: { th: `ชื่อนิติบุคคลยาวได้ไม่เกิน ${MAX_NAME} ตัวอักษร`, en: `The registered name can be at most ${MAX_NAME} characters` } });
  if (errors.length > 0) return { value: null, errors };
  return { value: { kind: "juristic", juristicId: id, name: cleanName, declared: true }, errors: [] };
}

/** "บริษัท ตัวอย่าง จำกัด (0-1055-56012-34-5)" for lists and letters. */
export function describeOnBehalfOf(value: Pick<OnBehalfOf, "juristicId" | "name">): string {
  return `${value.name} (${formatJuristicId(value.juristicId)})`;
}
