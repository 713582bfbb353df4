import { AppError } from "../errors";
import { schemaAt } from "../json-pointer";
import type { LocalizedText } from "../text";

/**
 * The rules of attachments, pure: what a file field allows, how a form value refers to an upload, which file
 * names are acceptable. The tus server, the submit use case and the browser widget all read them from here.
 */

export const ATTACHMENT_FORMAT = "attachment";
/** A form value that refers to a finished upload: `upload:<id>`. */
export const UPLOAD_REF = /^upload:([A-Za-z0-9_-]{16,64})$/;
/** Types a file field accepts when its definition names none: documents and photos. */
export const DEFAULT_TYPES = ["application/pdf", "image/jpeg", "image/png"];
/** The content-type sniffers need this many bytes from the start of a file. */
export const SNIFF_BYTES = 4100;

/** One file of a case, as officers and the applicant see it. */
export type CaseAttachment = {
  pointer: string;
  title: string;
  /** null for a file embedded in the form data (older filings, before resumable uploads). */
  uploadId: string | null;
  name: string;
  size: number;
  type: string;
  sha256: string | null;
};

export type UploadLimits = { maxBytes: number; types: string[] };
export type FieldUploadSpec = { maxBytes?: number; types?: string[] };

export const uploadIdOf = (value: unknown): string | null => (typeof value === "string" ? (UPLOAD_REF.exec(value)?.[1] ?? null) : null);
export const uploadRef = (id: string) => `upload:${id}`;

type Node = { type?: string; format?: string; items?: Node; maxItems?: number; "x-upload"?: FieldUploadSpec; properties?: Record<string, Node> };

/** Is this schema node a file field (an upload reference, or an inline data URL in older definitions)? */
export function isAttachmentNode(node: unknown): boolean {
  const n = node as Node | undefined;
  return n?.type === "string" && (n.format === ATTACHMENT_FORMAT || n.format === "data-url");
}

/**
 * The file field a pointer names in a form: `/documents/siteMap`, or an item of a multi-file field
 * `/documents/plans/0`. Undefined when the form has no file field there.
 */
export function attachmentField(schema: unknown, pointer: string): { spec: FieldUploadSpec; node: Node } | undefined {
  if (!/^(\/[A-Za-z0-9_]+)+$/.test(pointer)) return undefined;
  const node = schemaAt(schema, pointer) as Node | undefined;
  if (!isAttachmentNode(node)) return undefined;
  return { spec: node!["x-upload"] ?? {}, node: node! };
}

/** The limits that apply: the field's own, never above the agency's ceiling. */
export function effectiveLimits(spec: FieldUploadSpec, agencyCeilingBytes: number): UploadLimits {
  const maxBytes = Math.min(spec.maxBytes && spec.maxBytes > 0 ? spec.maxBytes : agencyCeilingBytes, agencyCeilingBytes);
  return { maxBytes, types: spec.types && spec.types.length > 0 ? spec.types : DEFAULT_TYPES };
}

const mb = (bytes: number) => (bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : `${Math.max(1, Math.round(bytes / 1024 ** 2))} MB`);

export function tooLarge(limit: number, what: "field" | "quota" = "field"): AppError {
  return new AppError(
    "PAYLOAD_TOO_LARGE",
    what === "quota"
      ? { th: `เกินพื้นที่ไฟล์แนบที่ยังไม่ได้ยื่นของท่าน (${mb(limit)}) กรุณายื่นคำขอหรือลบไฟล์ที่ไม่ใช้ก่อน`, en: `This would exceed your space for attachments not yet filed (${mb(limit)}); file or remove unused uploads first` }
      : { th: `ไฟล์ใหญ่เกินกำหนด: ไม่เกิน ${mb(limit)}`, en: `The file is too large: at most ${mb(limit)}` },
    { maxBytes: limit },
  );
}

/** MIME type → the extensions people's files carry, first one used as its short label. */
export const EXTENSIONS: Record<string, string[]> = {
  "application/pdf": [".pdf"],
  "image/jpeg": [".jpg", ".jpeg"],
  "image/png": [".png"],
  "image/gif": [".gif"],
  "image/webp": [".webp"],
  "image/tiff": [".tif", ".tiff"],
  "image/heic": [".heic"],
  "image/svg+xml": [".svg"],
  "application/msword": [".doc"],
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": [".docx"],
  "application/vnd.ms-excel": [".xls"],
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": [".xlsx"],
  "application/vnd.ms-powerpoint": [".ppt"],
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": [".pptx"],
  "application/vnd.oasis.opendocument.text": [".odt"],
  "application/vnd.oasis.opendocument.spreadsheet": [".ods"],
  "text/csv": [".csv"],
  "text/plain": [".txt"],
  "application/zip": [".zip"],
  "application/x-zip-compressed": [".zip"],
  // AutoCAD drawings have several MIME names and browsers usually report none ("").
  "image/vnd.dwg": [".dwg"],
  "image/x-dwg": [".dwg"],
  "application/acad": [".dwg"],
  "application/x-acad": [".dwg"],
  "application/x-autocad": [".dwg"],
  "application/dwg": [".dwg"],
  "application/x-dwg": [".dwg"],
  "image/vnd.dxf": [".dxf"],
  "application/dxf": [".dxf"],
  "image/vnd.dgn": [".dgn"],
};

/** A short name for a MIME type, from its usual extension: "PDF", "JPG", "DWG". */
export const typeName = (mime: string) => EXTENSIONS[mime]?.[0]?.slice(1).toUpperCase() ?? mime;

export function wrongType(allowed: string[], found: string | undefined): AppError {
  const list = allowed.map(typeName).join(", ");
  const seen = found ? typeName(found) : undefined;
  return new AppError(
    "UNSUPPORTED_MEDIA_TYPE",
    {
      th: `ชนิดไฟล์ไม่ถูกต้อง${seen ? ` (เนื้อไฟล์เป็น ${seen})` : ""}: ช่องนี้รับเฉพาะ ${list}`,
      en: `Wrong file type${seen ? ` (the content is ${seen})` : ""}: this field accepts ${list} only`,
    },
    { allowed, found: found ?? null },
  );
}

/** Types whose files are zip containers: checked for zip bombs before they are accepted. */
export const ZIP_CONTAINERS = new Set([
  "application/zip",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  "application/vnd.oasis.opendocument.text",
  "application/vnd.oasis.opendocument.spreadsheet",
]);
/** A container that expands beyond this ratio or size is refused as a zip bomb. */
export const ZIP_MAX_RATIO = 100;
export const ZIP_MAX_EXPANDED_BYTES = 2 * 1024 ** 3;

export function zipBomb(): AppError {
  return new AppError("UNSUPPORTED_MEDIA_TYPE", {
    th: "ไฟล์ถูกปฏิเสธ: เป็นไฟล์บีบอัดที่ขยายตัวผิดปกติ (zip bomb)",
    en: "The file was refused: it is a compressed file that expands abnormally (a zip bomb)",
  });
}

export function unreadableArchive(): AppError {
  return new AppError("UNSUPPORTED_MEDIA_TYPE", {
    th: "ไฟล์ถูกปฏิเสธ: ไฟล์เสียหายหรือเปิดอ่านไม่ได้",
    en: "The file was refused: it is damaged or cannot be read",
  });
}

/** Is the type the content shows one the field allows? Text files have no signature: only text/* may lack one. */
export function typeAllowed(allowed: string[], detected: string | undefined, declared: string | undefined, headIsText: boolean): string | undefined {
  if (detected) return allowed.includes(detected) ? detected : undefined;
  if (declared && declared.startsWith("text/") && allowed.includes(declared) && headIsText) return declared;
  return undefined;
}

// Control characters (0x00–0x1f, 0x7f) and the characters Windows reserves in file names.
// eslint-disable-next-line no-control-regex
const RESERVED = /[<>:"|?*\u0000-\u001f\u007f]/g;

/**
 * A file name fit to store and show: no directories (a name with `/`, `\` or `..` parts is refused, since a
 * browser never sends one), no control or reserved characters, no leading dots or trailing spaces, at most
 * 180 characters (Thai kept as it is).
 */
export function sanitizeFileName(raw: string | null | undefined): string {
  const name = (raw ?? "").normalize("NFC").trim();
  if (!name) throw badName({ th: "ต้องระบุชื่อไฟล์", en: "The file name is missing" });
  if (/[\\/]/.test(name) || name.split(/[\\/]/).some((part) => part === "..") || name === "." || name === "..") {
    throw badName({ th: `ชื่อไฟล์ "${name.slice(0, 80)}" มีส่วนของเส้นทาง (/ \\ ..) ซึ่งไม่อนุญาต`, en: `The file name "${name.slice(0, 80)}" contains path parts (/ \\ ..), which are not allowed` });
  }
  let clean = name.replace(RESERVED, "_").replace(/^\.+/, "").replace(/[ .]+$/, "");
  if (clean.length > 180) {
    const dot = clean.lastIndexOf(".");
    const ext = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : "";
    clean = clean.slice(0, 180 - ext.length) + ext;
  }
  if (!clean) throw badName({ th: "ชื่อไฟล์ใช้ไม่ได้", en: "The file name is not usable" });
  return clean;
}

function badName(text: LocalizedText): AppError {
  return new AppError("BAD_REQUEST", text, { param: "filename" });
}

/** Every upload reference in form data, with the pointer of the field it sits in. */
export function uploadRefsIn(schema: unknown, data: unknown): { pointer: string; id: string }[] {
  const out: { pointer: string; id: string }[] = [];
  const walk = (value: unknown, path: string) => {
    const id = uploadIdOf(value);
    if (id) {
      if (attachmentField(schema, path)) out.push({ pointer: path, id });
      return;
    }
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}/${i}`));
    else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, `${path}/${k}`);
  };
  walk(data, "");
  return out;
}

/** An inline file in form data: `data:<type>[;name=…];base64,<bytes>`, decoded; null when it is not a base64 data URL. */
export function decodeDataUrl(value: string): { declaredType: string; bytes: Uint8Array } | null {
  const match = /^data:([^,]*?);base64,([A-Za-z0-9+/]*={0,2})$/.exec(value);
  if (!match || match[2].length % 4 === 1) return null;
  const declaredType = (match[1].split(";")[0] ?? "").trim().toLowerCase();
  let binary: string;
  try {
    binary = atob(match[2]);
  } catch {
    return null;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return { declaredType, bytes };
}

/** Every data-URL-looking value (`data:…`) in a file field of the form, with its field's pointer and upload spec. */
export function dataUrlsIn(schema: unknown, data: unknown): { pointer: string; value: string; spec: FieldUploadSpec }[] {
  const out: { pointer: string; value: string; spec: FieldUploadSpec }[] = [];
  const walk = (value: unknown, path: string) => {
    if (typeof value === "string") {
      const field = value.startsWith("data:") ? attachmentField(schema, path) : undefined;
      if (field) out.push({ pointer: path, value, spec: field.spec });
      return;
    }
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}/${i}`));
    else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, `${path}/${k}`);
  };
  walk(data, "");
  return out;
}

export const INVALID_INLINE_FILE: LocalizedText = {
  th: "ไฟล์แนบไม่ถูกต้อง: ต้องเป็นไฟล์ที่อัปโหลดแล้ว หรือไฟล์แบบ data URL (base64) ที่อ่านได้",
  en: "Invalid attachment: it must be an uploaded file or a readable base64 data URL",
};
