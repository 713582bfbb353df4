/**
 * Pure helpers for the browser side of resumable uploads: sizes, speed, time left, the `accept`
 * attribute, a limits hint, a client-side pre-check and the server's refusal body — all in Thai and
 * English. No React, no DOM, no I/O: the upload widget and its tests share them.
 */
import { toPointer } from "../json-pointer";
import type { Lang, LocalizedText } from "../text";
import { EXTENSIONS } from "./upload-rules";

/** The `x-upload` keyword of a form field that takes a file; both limits may be absent (server defaults). */
export type UploadLimits = { maxBytes?: number; types?: string[] };

/** What the pre-check needs from a File (so tests and the server can pass plain objects). */
export type FileLike = { name: string; size: number; type: string };

const UNITS = ["KB", "MB", "GB", "TB"] as const;

/** One decimal below 100 ("1.5", "12.3"), none from 100 ("200"); a trailing ".0" is dropped. */
function amount(value: number): string {
  const rounded = value < 100 ? Math.round(value * 10) / 10 : Math.round(value);
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
}

/**
 * A human file size in binary units, labelled KB/MB/GB as people (and the x-upload limits:
 * 52428800 = "50 MB") expect: "512 bytes" / "512 ไบต์", "1.5 MB", "200 MB", "2.1 GB".
 */
export function formatBytes(bytes: number, lang: Lang): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "—";
  if (bytes < 1024) return lang === "th" ? `${Math.round(bytes)} ไบต์` : `${Math.round(bytes)} ${Math.round(bytes) === 1 ? "byte" : "bytes"}`;
  let value = bytes / 1024;
  let unit = 0;
  // Move up a unit also when rounding would show "1024 KB".
  while (unit < UNITS.length - 1 && Math.round(value) >= 1024) {
    value /= 1024;
    unit++;
  }
  return `${amount(value)} ${UNITS[unit]}`;
}

/** Upload speed: "12.3 MB/s"; "—" when unknown. */
export function formatSpeed(bytesPerSecond: number | null | undefined, lang: Lang): string {
  if (bytesPerSecond === null || bytesPerSecond === undefined || !Number.isFinite(bytesPerSecond) || bytesPerSecond < 0) return "—";
  if (bytesPerSecond < 1024) return lang === "th" ? `${Math.round(bytesPerSecond)} ไบต์/วินาที` : `${Math.round(bytesPerSecond)} B/s`;
  return `${formatBytes(bytesPerSecond, lang)}/s`;
}

/**
 * Time left, rounded the way people say it: "about 45 s", "about 2 min", "about 1 h 20 min"
 * ("ประมาณ 2 นาที"…); "calculating…" while the speed is unknown.
 */
export function formatTimeLeft(seconds: number | null | undefined, lang: Lang): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) {
    return lang === "th" ? "กำลังคำนวณเวลา…" : "calculating…";
  }
  const about = lang === "th" ? "ประมาณ" : "about";
  if (seconds < 5) return lang === "th" ? "อีกไม่กี่วินาที" : "a few seconds";
  if (seconds < 60) {
    const s = Math.max(5, Math.round(seconds / 5) * 5); // to 5 s: a ticking 43, 42, 41 reads as noise
    return lang === "th" ? `${about} ${s} วินาที` : `${about} ${s} s`;
  }
  if (seconds < 3600) {
    const m = Math.max(1, Math.round(seconds / 60));
    if (m < 60) return lang === "th" ? `${about} ${m} นาที` : `${about} ${m} min`;
  }
  const totalMinutes = Math.round(seconds / 60);
  const h = Math.floor(totalMinutes / 60);
  const m = totalMinutes % 60;
  if (lang === "th") return m === 0 ? `${about} ${h} ชั่วโมง` : `${about} ${h} ชั่วโมง ${m} นาที`;
  return m === 0 ? `${about} ${h} h` : `${about} ${h} h ${m} min`;
}

/** Seconds left at the given speed; null when the speed is unknown or zero. */
export function secondsLeft(bytesSent: number, bytesTotal: number, bytesPerSecond: number | null): number | null {
  if (!bytesPerSecond || bytesPerSecond <= 0) return null;
  return Math.max(0, bytesTotal - bytesSent) / bytesPerSecond;
}

export type SpeedEstimator = {
  /** Feed the cumulative bytes sent so far at a time in ms (e.g. Date.now() or performance.now()). */
  add(bytesSent: number, timeMs: number): void;
  /** Bytes per second over the samples of the last window; null until two samples at least 0.5 s apart. */
  bytesPerSecond(): number | null;
  /** Forget every sample (after a pause or a reconnection, so the dead time does not drag the average). */
  reset(): void;
};

/** A moving-average speed over the last `windowMs` (default 5 s) of samples. */
export function createSpeedEstimator(windowMs = 5000): SpeedEstimator {
  let samples: { bytes: number; time: number }[] = [];
  return {
    add(bytes, time) {
      const last = samples[samples.length - 1];
      // A resumed upload restarts from the server's offset: a step back starts a new series.
      if (last && (bytes < last.bytes || time < last.time)) samples = [];
      samples.push({ bytes, time });
      // Keep one sample older than the window so the average spans the whole window.
      while (samples.length > 2 && samples[1].time <= time - windowMs) samples.shift();
    },
    bytesPerSecond() {
      if (samples.length < 2) return null;
      const first = samples[0];
      const last = samples[samples.length - 1];
      const span = last.time - first.time;
      if (span < 500) return null;
      return ((last.bytes - first.bytes) * 1000) / span;
    },
    reset() {
      samples = [];
    },
  };
}


const extensionOf = (name: string) => {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot).toLowerCase() : "";
};

/** A MIME type for a file the browser gave none ("" for .dwg): from its extension, else octet-stream. */
export function guessMimeType(file: { name: string; type?: string }): string {
  if (file.type) return file.type;
  const ext = extensionOf(file.name);
  const found = Object.entries(EXTENSIONS).find(([, exts]) => ext !== "" && exts.includes(ext));
  return found ? found[0] : "application/octet-stream";
}

/** The value of `<input type=file accept>` for the allowed types: each MIME type plus its extensions. */
export function acceptAttribute(types: readonly string[] | undefined): string | undefined {
  if (!types || types.length === 0) return undefined;
  const out: string[] = [];
  for (const type of types) {
    const mime = type.toLowerCase();
    for (const item of [mime, ...(EXTENSIONS[mime] ?? [])]) if (!out.includes(item)) out.push(item);
  }
  return out.join(",");
}

/** A short label for a MIME type: "PDF", "JPG", "DWG", "images" for image/*. */
function typeLabel(type: string, lang: Lang): string {
  const mime = type.toLowerCase();
  if (mime.endsWith("/*")) {
    const group = mime.slice(0, -2);
    const names: Record<string, LocalizedText> = {
      image: { th: "รูปภาพ", en: "images" },
      audio: { th: "ไฟล์เสียง", en: "audio" },
      video: { th: "วิดีโอ", en: "video" },
      text: { th: "ไฟล์ข้อความ", en: "text" },
    };
    return names[group]?.[lang] ?? mime;
  }
  const ext = EXTENSIONS[mime]?.[0];
  if (ext) return ext.slice(1).toUpperCase();
  const sub = mime.split("/")[1] ?? mime;
  return sub.toUpperCase();
}

/** The allowed types as labels, each once: ["PDF", "JPG", "PNG"]. */
export function typeLabels(types: readonly string[] | undefined, lang: Lang): string[] {
  const out: string[] = [];
  for (const type of types ?? []) {
    const label = typeLabel(type, lang);
    if (!out.includes(label)) out.push(label);
  }
  return out;
}

/** One line under the field: "PDF, JPG, PNG · up to 50 MB" / "PDF, JPG, PNG · ไม่เกิน 50 MB"; "" without limits. */
export function limitsHint(limits: UploadLimits | undefined, lang: Lang): string {
  const labels = typeLabels(limits?.types, lang);
  const parts: string[] = [];
  if (labels.length > 0) parts.push(labels.join(", "));
  if (limits?.maxBytes && limits.maxBytes > 0) {
    const size = formatBytes(limits.maxBytes, lang);
    parts.push(lang === "th" ? `ไม่เกิน ${size}` : parts.length > 0 ? `up to ${size}` : `Up to ${size}`);
  }
  return parts.join(" · ");
}

function typeAllowed(file: FileLike, types: readonly string[]): boolean {
  const mime = (file.type || "").toLowerCase();
  const ext = extensionOf(file.name);
  return types.some((allowed) => {
    const a = allowed.toLowerCase();
    if (a.endsWith("/*")) return mime.startsWith(a.slice(0, -1));
    if (mime === a) return true;
    // Browsers often report "" or a generic type (e.g. for .dwg): the extension decides then.
    return ext !== "" && (EXTENSIONS[a] ?? []).includes(ext);
  });
}

export type PreCheckError = { code: "FILE_EMPTY" | "FILE_TOO_LARGE" | "FILE_TYPE_NOT_ALLOWED"; message: LocalizedText };

/**
 * Checks a chosen file against the field's `x-upload` before anything is sent. It only spares the
 * citizen a doomed upload: the server checks again (and reads the file's first bytes for its type).
 */
export function preCheckFile(file: FileLike, limits: UploadLimits | undefined): PreCheckError | null {
  if (file.size === 0) {
    return { code: "FILE_EMPTY", message: { th: `ไฟล์ "${file.name}" ว่างเปล่า กรุณาเลือกไฟล์อื่น`, en: `"${file.name}" is empty. Please choose another file.` } };
  }
  if (limits?.maxBytes && limits.maxBytes > 0 && file.size > limits.maxBytes) {
    const th = { size: formatBytes(file.size, "th"), max: formatBytes(limits.maxBytes, "th") };
    const en = { size: formatBytes(file.size, "en"), max: formatBytes(limits.maxBytes, "en") };
    return {
      code: "FILE_TOO_LARGE",
      message: {
        th: `ไฟล์ "${file.name}" มีขนาด ${th.size} เกินกว่าที่กำหนด (ไม่เกิน ${th.max})`,
        en: `"${file.name}" is ${en.size}, larger than the ${en.max} allowed.`,
      },
    };
  }
  if (limits?.types && limits.types.length > 0 && !typeAllowed(file, limits.types)) {
    return {
      code: "FILE_TYPE_NOT_ALLOWED",
      message: {
        th: `ไม่รับไฟล์ประเภทนี้ ("${file.name}") รับเฉพาะ ${typeLabels(limits.types, "th").join(", ")}`,
        en: `"${file.name}" is not an accepted type. Accepted: ${typeLabels(limits.types, "en").join(", ")}.`,
      },
    };
  }
  return null;
}

/** Generic words per status when the server's body says nothing we can show. */
function genericMessage(status: number | undefined): LocalizedText {
  const code = status ? ` (HTTP ${status})` : "";
  switch (status) {
    case undefined:
    case 0:
      return { th: "เชื่อมต่อเซิร์ฟเวอร์ไม่ได้ กรุณาตรวจสอบอินเทอร์เน็ตแล้วลองใหม่", en: "Could not reach the server. Check your connection and try again." };
    case 401:
      return { th: `กรุณาเข้าสู่ระบบอีกครั้งแล้วลองใหม่${code}`, en: `Please sign in again and retry${code}.` };
    case 403:
      return { th: `คุณไม่มีสิทธิ์อัปโหลดไฟล์นี้${code}`, en: `You are not allowed to upload this file${code}.` };
    case 404:
    case 410:
      return { th: `ไม่พบการอัปโหลดนี้ (อาจหมดอายุแล้ว) กรุณาเลือกไฟล์ใหม่${code}`, en: `This upload no longer exists (it may have expired). Please choose the file again${code}.` };
    case 413:
      return { th: `ไฟล์มีขนาดใหญ่เกินกำหนด${code}`, en: `The file is too large${code}.` };
    case 415:
      return { th: `ไม่รับไฟล์ประเภทนี้${code}`, en: `This type of file is not accepted${code}.` };
    default:
      return { th: `อัปโหลดไม่สำเร็จ${code}`, en: `The upload failed${code}.` };
  }
}

/**
 * The message of a refusal from the upload server, whose body is
 * `{ "error": { "code", "message": { "th", "en" }, "details" } }`; a generic message naming the
 * HTTP status when the body is not that (a proxy's HTML page, an empty body, a network error).
 */
export function parseUploadError(status: number | undefined, body: string | null | undefined): LocalizedText {
  const fallback = genericMessage(status);
  if (!body) return fallback;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return fallback;
  }
  const message = (parsed as { error?: { message?: unknown } } | null)?.error?.message;
  if (typeof message === "string" && message.trim() !== "") return { th: message, en: message };
  if (message && typeof message === "object") {
    const { th, en } = message as { th?: unknown; en?: unknown };
    const thText = typeof th === "string" && th.trim() !== "" ? th : undefined;
    const enText = typeof en === "string" && en.trim() !== "" ? en : undefined;
    if (thText || enText) return { th: thText ?? enText!, en: enText ?? thText! };
  }
  return fallback;
}

/** The stable code of a refusal (e.g. "UPLOAD_TOO_LARGE"), or null. */
export function uploadErrorCode(body: string | null | undefined): string | null {
  if (!body) return null;
  try {
    const code = (JSON.parse(body) as { error?: { code?: unknown } } | null)?.error?.code;
    return typeof code === "string" ? code : null;
  } catch {
    return null;
  }
}

/** Statuses worth retrying: none (network), 5xx, 409 (offset conflict), 423 (locked), 460 (checksum mismatch). */
export function isRetryableStatus(status: number | undefined | null): boolean {
  if (!status) return true;
  return status >= 500 || status === 409 || status === 423 || status === 460;
}

export { uploadIdOf } from "./upload-rules";

/** The upload id of a tus upload URL: its last path segment ("/uploads/abc?x" → "abc"). */
export function uploadIdFromUrl(url: string): string {
  const path = url.split(/[?#]/)[0].replace(/\/+$/, "");
  return decodeURIComponent(path.slice(path.lastIndexOf("/") + 1));
}

/** Percent for the progress text: whole numbers, 99 until really done. */
export function percentOf(bytesSent: number, bytesTotal: number): number {
  if (bytesTotal <= 0) return 0;
  if (bytesSent >= bytesTotal) return 100;
  return Math.min(99, Math.floor((bytesSent / bytesTotal) * 100));
}

type SchemaNode = {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode | SchemaNode[];
  allOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  then?: SchemaNode;
  else?: SchemaNode;
  dependencies?: Record<string, unknown>;
  definitions?: Record<string, SchemaNode>;
  $defs?: Record<string, SchemaNode>;
  $ref?: string;
};

/**
 * The JSON pointer of the field an RJSF 6 widget renders. Widgets get only the id RJSF builds as
 * `[idPrefix, ...path].join(idSeparator)` ("root_documents_plans_0"), not the path, and property
 * names may contain the separator ("site_map"); so the id is matched against the schema's property
 * names (through conditionals and $refs), longest name first, with array indexes as digits. Segments
 * the schema does not know are split at the separator as a last resort.
 */
export function pointerFromFieldId(id: string, rootSchema: unknown, idPrefix = "root", idSeparator = "_"): string {
  const head = idPrefix + idSeparator;
  if (id === idPrefix) return "";
  const rest = id.startsWith(head) ? id.slice(head.length) : id;
  const root = rootSchema as SchemaNode;

  const resolve = (node: SchemaNode | undefined, seen = 0): SchemaNode | undefined => {
    if (!node || typeof node !== "object" || !node.$ref || seen > 20) return node;
    const m = /^#\/(definitions|\$defs)\/(.+)$/.exec(node.$ref);
    if (!m) return node;
    const defs = m[1] === "definitions" ? root?.definitions : root?.$defs;
    return resolve(defs?.[m[2].replace(/~1/g, "/").replace(/~0/g, "~")], seen + 1);
  };
  // Every sub-schema that can hold the children of a node: itself, its conditionals and combinators.
  const variants = (node: SchemaNode | undefined): SchemaNode[] => {
    const out: SchemaNode[] = [];
    const visit = (n: SchemaNode | undefined) => {
      const r = resolve(n);
      if (!r || typeof r !== "object" || out.includes(r) || out.length > 200) return;
      out.push(r);
      for (const sub of [...(r.allOf ?? []), ...(r.oneOf ?? []), ...(r.anyOf ?? []), r.then, r.else]) visit(sub);
      for (const dep of Object.values(r.dependencies ?? {})) {
        if (dep && typeof dep === "object" && !Array.isArray(dep)) visit(dep as SchemaNode);
      }
    };
    visit(node);
    return out;
  };

  const match = (text: string, node: SchemaNode | undefined, depth: number): (string | number)[] | null => {
    if (text === "") return [];
    if (depth > 64) return null;
    const options = variants(node);
    const candidates: { key: string | number; child: SchemaNode | undefined }[] = [];
    const index = /^\d+/.exec(text)?.[0];
    for (const n of options) {
      for (const [key, child] of Object.entries(n.properties ?? {})) candidates.push({ key, child });
      if (index !== undefined && n.items) {
        const items = Array.isArray(n.items) ? n.items[Number(index)] : n.items;
        candidates.push({ key: Number(index), child: items });
      }
    }
    candidates.sort((a, b) => String(b.key).length - String(a.key).length);
    for (const { key, child } of candidates) {
      const k = String(key);
      if (text === k) return [key];
      if (text.startsWith(k + idSeparator)) {
        const tail = match(text.slice(k.length + idSeparator.length), child, depth + 1);
        if (tail) return [key, ...tail];
      }
    }
    return null;
  };

  const path = match(rest, root, 0) ?? rest.split(idSeparator).map((part) => (/^\d+$/.test(part) ? Number(part) : part));
  return toPointer(path);
}
