import { connectDb } from "./db.server";
import { json, MaxPartSizeExceededError, unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import { AppError, crossOrigin, headersFor, httpStatusFor, isAppError, methodNotAllowed } from "~/core/errors";
import { assertNoForbiddenKeys, JSON_SCHEMA_KEYWORDS } from "~/core/forbidden-keys";
import { maskPersonalData } from "~/core/personal-data";
import { env } from "./env.server";
import { logError } from "./log.server";
import { FORM_TOKEN_FIELD, formTokenMatches } from "./form-token.server";

/** The API's error body for an AppError. */
function errorBody(error: AppError) {
  // Details may echo input (a mistyped ID, a phone number): masked like the logs (PDPA).
  return { error: { code: error.code, message: maskPersonalData(error.text), details: maskPersonalData(error.details ?? null) } };
}

/** Maps any error to the API's error shape `{ error: { code, message: {th, en}, details } }`. */
export function errorResponse(error: unknown): Response {
  if (error instanceof Response) return error;
  if (isAppError(error)) return json(errorBody(error), { status: httpStatusFor(error.code), headers: headersFor(error) });
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
 * Runs a page's loader or action: an AppError is thrown on as a response with its status from the one table
 * (core/errors) and the JSON error shape, so a document request shows the th/en error page (root ErrorBoundary)
 * and a `?_data=` request gets the JSON. Responses (redirects) pass through; anything else stays a 500.
 */
export async function pageHandler<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isAppError(error)) throw json(errorBody(error), { status: httpStatusFor(error.code), headers: headersFor(error) });
    throw error;
  }
}

/** Refuses any method but the given ones with 405 and an Allow header. */
export function requireMethod(request: Request, ...allowed: string[]) {
  if (!allowed.includes(request.method.toUpperCase())) throw methodNotAllowed(allowed);
}

/** A loader for action-only routes: a GET is answered 405 with the allowed methods. */
export function actionOnly(...allowed: string[]) {
  return () => errorResponse(methodNotAllowed(allowed));
}

function mediaType(request: Request): string {
  return (request.headers.get("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
}

function unsupportedMediaType(expected: string): AppError {
  return new AppError(
    "UNSUPPORTED_MEDIA_TYPE",
    { th: `รูปแบบข้อมูลที่ส่งมาไม่ถูกต้อง ต้องเป็น ${expected}`, en: `The request body must be ${expected}` },
    { expected },
  );
}

function badBody(en: string, th: string): AppError {
  return new AppError("BAD_REQUEST", { th, en });
}

function tooLarge(maxBytes: number) {
  const mb = Math.max(1, Math.round(maxBytes / 1024 / 1024));
  return new AppError("PAYLOAD_TOO_LARGE", { th: `ขนาดข้อมูลเกิน ${mb} MB`, en: `The request body is larger than ${mb} MB` }, { maxBytes });
}

/**
 * The whole body, at most `maxBytes` (declared Content-Length or counted as chunks arrive) → else 413. An
 * oversize body is read on and discarded up to a bound, so the client gets its 413 instead of a reset
 * connection; only a client that keeps sending far beyond the limit is cut off.
 */
async function readBodyBytes(request: Request, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  const reader = request.body?.getReader();
  const drainLimit = maxBytes + Math.min(Math.max(maxBytes, 1024 * 1024), 64 * 1024 * 1024);
  if (declared > maxBytes) {
    if (reader && declared <= drainLimit) await drain(reader, 0, drainLimit);
    else await reader?.cancel();
    throw tooLarge(maxBytes);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await drain(reader, size, drainLimit);
        throw tooLarge(maxBytes);
      }
      chunks.push(value);
    }
  }
  return Buffer.concat(chunks);
}

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, seen: number, limit: number): Promise<void> {
  let size = seen;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    size += value.byteLength;
    if (size > limit) return void (await reader.cancel());
  }
}

function utf8(bytes: Buffer): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw badBody("The request body is not valid UTF-8 text", "ข้อมูลที่ส่งมาไม่ใช่ข้อความ UTF-8 ที่ถูกต้อง");
  }
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(utf8(bytes));
  } catch (error) {
    if (isAppError(error)) throw error;
    throw badBody("The request body is not valid JSON", "เนื้อหาคำขอไม่ใช่ JSON ที่ถูกต้อง");
  }
}

/**
 * Reads a JSON body (API routes, Bearer or session) with a size limit: malformed → 400, too large → 413, a key
 * that starts with `$`, contains `.` or is `__proto__`/`constructor`/`prototype` anywhere → 400 with its pointer.
 */
export async function readJsonBody(request: Request, maxBytes = env().MAX_BODY_BYTES): Promise<unknown> {
  const body = parseJson(await readBodyBytes(request, maxBytes));
  assertNoForbiddenKeys(body);
  return body;
}

/** A service definition body (studio admin API): as readJsonBody, except JSON Schema's own `$schema`/`$ref`… keywords. */
export async function readDefinitionJsonBody(request: Request, maxBytes = env().MAX_BODY_BYTES): Promise<unknown> {
  const body = parseJson(await readBodyBytes(request, maxBytes));
  assertNoForbiddenKeys(body, JSON_SCHEMA_KEYWORDS);
  return body;
}

/**
 * Reads a page action's JSON body (sent by `useSubmit(…, { encType: "application/json" })`): it must be a JSON
 * object of at most MAX_FORM_BYTES carrying the session's form token in `_csrf`. The token is removed.
 */
export async function readPageJson(request: Request, maxBytes = env().MAX_FORM_BYTES): Promise<Record<string, unknown>> {
  if (mediaType(request) !== "application/json") throw unsupportedMediaType("application/json");
  const body = parseJson(await readBodyBytes(request, maxBytes));
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw badBody("The request body must be a JSON object", "เนื้อหาคำขอต้องเป็นออบเจ็กต์ JSON");
  assertNoForbiddenKeys(body);
  const { [FORM_TOKEN_FIELD]: token, ...rest } = body as Record<string, unknown>;
  if (!formTokenMatches(request, token)) throw crossOrigin();
  return rest;
}

/**
 * Reads a page action's form (urlencoded or multipart, else 415) with a size limit (413), broken bodies → 400,
 * and the session's form token checked (403 CROSS_ORIGIN). With `uploadHandler`, multipart files stream to it
 * instead of memory (its part limit answers 413 too).
 */
export async function readForm(request: Request, options: { maxBytes?: number; uploadHandler?: UploadHandler } = {}): Promise<FormData> {
  const maxBytes = options.maxBytes ?? env().MAX_FORM_BYTES;
  const type = mediaType(request);
  const multipart = type === "multipart/form-data";
  if (type !== "application/x-www-form-urlencoded" && !multipart) throw unsupportedMediaType("application/x-www-form-urlencoded / multipart/form-data");
  let form: FormData;
  if (multipart && options.uploadHandler) {
    if (Number(request.headers.get("Content-Length") ?? "0") > maxBytes) throw tooLarge(maxBytes);
    form = await parseMultipart(() => unstable_parseMultipartFormData(request, options.uploadHandler!), maxBytes);
  } else {
    const bytes = await readBodyBytes(request, maxBytes);
    if (multipart) {
      const copy = new Request("http://local/", { method: "POST", headers: { "Content-Type": request.headers.get("Content-Type") ?? "" }, body: new Uint8Array(bytes) });
      form = await parseMultipart(() => copy.formData(), maxBytes);
    } else {
      form = new FormData();
      for (const [key, value] of new URLSearchParams(utf8(bytes))) form.append(key, value);
    }
  }
  if (!formTokenMatches(request, form.get(FORM_TOKEN_FIELD))) throw crossOrigin();
  form.delete(FORM_TOKEN_FIELD);
  return form;
}

async function parseMultipart(parse: () => Promise<FormData>, maxBytes: number): Promise<FormData> {
  try {
    return await parse();
  } catch (error) {
    if (isAppError(error)) throw error;
    if (error instanceof MaxPartSizeExceededError) throw tooLarge(maxBytes);
    throw badBody("The form data is broken (malformed multipart body)", "ข้อมูลแบบฟอร์มที่ส่งมาเสียหาย กรุณาลองส่งใหม่");
  }
}
