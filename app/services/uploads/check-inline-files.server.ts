import type { FieldError } from "~/core/forms/form-validation";
import { dataUrlsIn, decodeDataUrl, effectiveLimits, INVALID_INLINE_FILE, SNIFF_BYTES, tooLarge, wrongType } from "~/core/uploads/upload-rules";
import { env } from "~/utils/env.server";
import { checkedType } from "./checked-store.server";

/**
 * A file field takes `upload:<id>`, or a data URL only when its decoded bytes pass the same type check as an
 * upload into that field (content sniffed with file-type, the field's accepted types, its size limit). So a
 * `data:text/html,…` in a PDF/JPEG/PNG field is refused with the field's pointer, whatever type it claims.
 */
export async function checkInlineFiles(schema: unknown, data: unknown): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  for (const { pointer, value, spec } of dataUrlsIn(schema, data)) {
    const decoded = decodeDataUrl(value);
    if (!decoded) {
      errors.push({ pointer, message: INVALID_INLINE_FILE });
      continue;
    }
    const limits = effectiveLimits(spec, env().uploads.maxBytes);
    if (decoded.bytes.byteLength > limits.maxBytes) {
      errors.push({ pointer, message: tooLarge(limits.maxBytes).text });
      continue;
    }
    const head = Buffer.from(decoded.bytes.buffer, decoded.bytes.byteOffset, Math.min(decoded.bytes.byteLength, SNIFF_BYTES));
    const result = await checkedType(head, { types: limits.types, declaredType: decoded.declaredType || null });
    if ("refusal" in result) errors.push({ pointer, message: result.refusal.text });
    else if (decoded.declaredType && decoded.declaredType !== result.type) errors.push({ pointer, message: wrongType(limits.types, result.type).text });
  }
  return errors;
}
