import type { LocalizedText } from "~/core/text";

/** The admin API's error body: `{ error: { code, message: {th, en}, details } }`. */
export type ApiError = { code: string; message: LocalizedText; details: Record<string, unknown> | null };
export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; status: number; error: ApiError };

const NETWORK_ERROR: ApiError = {
  code: "NETWORK",
  message: { th: "ติดต่อเซิร์ฟเวอร์ไม่ได้ กรุณาตรวจสอบการเชื่อมต่อแล้วลองใหม่", en: "Could not reach the server; check the connection and try again" },
  details: null,
};

/**
 * The studio is a client of the admin API (/api/v1/admin/services/…), signed in by the session cookie.
 * Never throws: a failed call comes back as `{ ok: false, error }` with the server's Thai/English message.
 */
export async function adminFetch<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(`/api/v1/admin/services${path}`, {
      method: init.method ?? "GET",
      credentials: "same-origin",
      headers: init.body === undefined ? { Accept: "application/json" } : { Accept: "application/json", "Content-Type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch {
    return { ok: false, status: 0, error: NETWORK_ERROR };
  }
  const body = (await response.json().catch(() => null)) as (T & { error?: ApiError }) | null;
  if (response.ok && body) return { ok: true, status: response.status, data: body };
  return { ok: false, status: response.status, error: body?.error ?? { ...NETWORK_ERROR, code: `HTTP_${response.status}` } };
}
