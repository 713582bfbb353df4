import { connectDb } from "./db.server";
import { json } from "@remix-run/node";
import { AppError, headersFor, httpStatusFor, isAppError } from "~/core/errors";
import { assertNoForbiddenKeys, JSON_SCHEMA_KEYWORDS } from "~/core/forbidden-keys";
import { env } from "./env.server";
import { logError } from "./log.server";
import { maskPersonalData } from "~/core/personal-data";

/** Maps any error to the API's error shape `{ error: { code, message: {th, en}, details } }`. */
export function errorResponse(error: unknown): Response {
  if (error instanceof Response) return error;
  if (isAppError(error)) {
    // Details may echo input (a mistyped ID, a phone number): masked like the logs (PDPA).
    const details = maskPersonalData(error.details ?? null);
    return json({ error: { code: error.code, message: maskPersonalData(error.text), details } }, { status: httpStatusFor(error.code), headers: headersFor(error) });
  }
  logError(error);
  return json(
    { error: { code: "INTERNAL", message: { th: "เกิดข้อผิดพลาดภายในระบบ", en: "Internal server error" }, details: null } },
    { status: 500 },
  );
}

/** Runs an API handler and turns thrown errors into JSON error responses. */
export async function apiHandler(run: () => Promise<Response>): Promise<Response> {
  try {
    // Public endpoints may be a process's first request: nothing else has connected yet.
    await connectDb();
    return await run();
  } catch (error) {
    return errorResponse(error);
  }
}

/**
 * Reads a JSON body with a size limit: malformed → 400, too large → 413, a key that starts with `$`, contains
 * `.` or is `__proto__`/`constructor`/`prototype` anywhere → 400 with its pointer, before anything is stored.
 */
export async function readJsonBody(request: Request, maxBytes = env().MAX_BODY_BYTES): Promise<unknown> {
  const body = await readJsonText(request, maxBytes);
  assertNoForbiddenKeys(body);
  return body;
}

/** A service definition body (studio admin API): as readJsonBody, except JSON Schema's own `$schema`/`$ref`… keywords. */
export async function readDefinitionJsonBody(request: Request, maxBytes = env().MAX_BODY_BYTES): Promise<unknown> {
  const body = await readJsonText(request, maxBytes);
  assertNoForbiddenKeys(body, JSON_SCHEMA_KEYWORDS);
  return body;
}

async function readJsonText(request: Request, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const reader = request.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw tooLarge(maxBytes);
      }
      chunks.push(value);
    }
  }
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("BAD_REQUEST", { th: "เนื้อหาคำขอไม่ใช่ JSON ที่ถูกต้อง", en: "The request body is not valid JSON" });
  }
}

function tooLarge(maxBytes: number) {
  const mb = Math.round(maxBytes / 1024 / 1024);
  return new AppError("PAYLOAD_TOO_LARGE", { th: `ขนาดข้อมูลเกิน ${mb} MB`, en: `The request body is larger than ${mb} MB` });
}

export function requireMethod(request: Request, method: string) {
  if (request.method !== method) {
    throw new AppError("BAD_REQUEST", { th: `ต้องใช้เมธอด ${method}`, en: `Use ${method}` });
  }
}
