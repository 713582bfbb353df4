import { describe, expect, it } from "vitest";
import {
  acceptAttribute,
  createSpeedEstimator,
  formatBytes,
  formatSpeed,
  formatTimeLeft,
  guessMimeType,
  isRetryableStatus,
  limitsHint,
  parseUploadError,
  percentOf,
  pointerFromFieldId,
  preCheckFile,
  secondsLeft,
  typeLabels,
  uploadErrorCode,
  uploadIdFromUrl,
  uploadIdOf,
} from "~/core/uploads/upload-format";

const MB = 1024 * 1024;
const GB = 1024 * MB;
const PLAN_LIMITS = { maxBytes: 50 * MB, types: ["application/pdf", "image/jpeg", "image/png"] };

describe("formatBytes", () => {
  it("shows sizes the way people read them, in both languages", () => {
    expect(formatBytes(1.5 * MB, "en")).toBe("1.5 MB");
    expect(formatBytes(200 * MB, "en")).toBe("200 MB");
    expect(formatBytes(2.1 * GB, "en")).toBe("2.1 GB");
    expect(formatBytes(52428800, "th")).toBe("50 MB");
    expect(formatBytes(12.34 * MB, "th")).toBe("12.3 MB");
    expect(formatBytes(2048, "en")).toBe("2 KB");
  });

  it("names bytes in words below a kilobyte", () => {
    expect(formatBytes(512, "en")).toBe("512 bytes");
    expect(formatBytes(1, "en")).toBe("1 byte");
    expect(formatBytes(512, "th")).toBe("512 ไบต์");
  });

  it("moves to the next unit rather than showing 1024 KB", () => {
    expect(formatBytes(1024 * 1024 - 10, "en")).toBe("1 MB");
  });

  it("shows a dash for a size that is not a number", () => {
    expect(formatBytes(NaN, "en")).toBe("—");
    expect(formatBytes(-1, "th")).toBe("—");
  });
});

describe("formatSpeed", () => {
  it("shows bytes per second with one decimal", () => {
    expect(formatSpeed(12.3 * MB, "en")).toBe("12.3 MB/s");
    expect(formatSpeed(12.3 * MB, "th")).toBe("12.3 MB/s");
    expect(formatSpeed(500, "en")).toBe("500 B/s");
    expect(formatSpeed(500, "th")).toBe("500 ไบต์/วินาที");
  });

  it("shows a dash while the speed is unknown", () => {
    expect(formatSpeed(null, "en")).toBe("—");
    expect(formatSpeed(undefined, "th")).toBe("—");
  });
});

describe("formatTimeLeft", () => {
  it("rounds to what people say: seconds, minutes, hours", () => {
    expect(formatTimeLeft(125, "en")).toBe("about 2 min");
    expect(formatTimeLeft(125, "th")).toBe("ประมาณ 2 นาที");
    expect(formatTimeLeft(43, "en")).toBe("about 45 s");
    expect(formatTimeLeft(43, "th")).toBe("ประมาณ 45 วินาที");
    expect(formatTimeLeft(80 * 60, "en")).toBe("about 1 h 20 min");
    expect(formatTimeLeft(80 * 60, "th")).toBe("ประมาณ 1 ชั่วโมง 20 นาที");
    expect(formatTimeLeft(2 * 3600, "en")).toBe("about 2 h");
    expect(formatTimeLeft(2 * 3600, "th")).toBe("ประมาณ 2 ชั่วโมง");
  });

  it("says a few seconds at the very end and 'calculating' without a speed", () => {
    expect(formatTimeLeft(2, "en")).toBe("a few seconds");
    expect(formatTimeLeft(2, "th")).toBe("อีกไม่กี่วินาที");
    expect(formatTimeLeft(null, "en")).toBe("calculating…");
    expect(formatTimeLeft(Infinity, "th")).toBe("กำลังคำนวณเวลา…");
  });

  it("computes the seconds left from the speed", () => {
    expect(secondsLeft(40 * MB, 100 * MB, 10 * MB)).toBe(6);
    expect(secondsLeft(0, 100, null)).toBeNull();
    expect(secondsLeft(0, 100, 0)).toBeNull();
  });
});

describe("createSpeedEstimator", () => {
  it("averages the bytes sent over the last five seconds", () => {
    const speed = createSpeedEstimator();
    expect(speed.bytesPerSecond()).toBeNull();
    // 1 MB/s for 10 s, then 4 MB/s for 5 s: the old, slow part drops out of the window.
    for (let t = 0; t <= 10_000; t += 1000) speed.add((t / 1000) * MB, t);
    expect(speed.bytesPerSecond()).toBeCloseTo(MB, 0);
    for (let t = 11_000; t <= 15_000; t += 1000) speed.add(10 * MB + ((t - 10_000) / 1000) * 4 * MB, t);
    expect(speed.bytesPerSecond()).toBeCloseTo(4 * MB, 0);
  });

  it("waits for half a second of samples and starts over after reset or a step back", () => {
    const speed = createSpeedEstimator(5000);
    speed.add(0, 0);
    speed.add(1000, 100);
    expect(speed.bytesPerSecond()).toBeNull();
    speed.add(MB, 1000);
    expect(speed.bytesPerSecond()).toBeCloseTo(MB, 0);
    speed.reset();
    expect(speed.bytesPerSecond()).toBeNull();
    speed.add(10 * MB, 2000);
    speed.add(5 * MB, 2500); // a resumed upload restarting at the server's offset
    speed.add(6 * MB, 3500);
    expect(speed.bytesPerSecond()).toBeCloseTo(MB, 0);
  });
});

describe("acceptAttribute", () => {
  it("lists each MIME type with its usual extensions", () => {
    expect(acceptAttribute(PLAN_LIMITS.types)).toBe("application/pdf,.pdf,image/jpeg,.jpg,.jpeg,image/png,.png");
    expect(acceptAttribute(["application/vnd.openxmlformats-officedocument.wordprocessingml.document", "image/vnd.dwg"])).toBe(
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document,.docx,image/vnd.dwg,.dwg",
    );
    expect(acceptAttribute(["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"])).toContain(".xlsx");
  });

  it("passes wildcards and unknown types through and is absent without types", () => {
    expect(acceptAttribute(["image/*", "application/x-thing"])).toBe("image/*,application/x-thing");
    expect(acceptAttribute(undefined)).toBeUndefined();
    expect(acceptAttribute([])).toBeUndefined();
  });
});

describe("limitsHint", () => {
  it("names the types and the size limit in one line", () => {
    expect(limitsHint(PLAN_LIMITS, "en")).toBe("PDF, JPG, PNG · up to 50 MB");
    expect(limitsHint(PLAN_LIMITS, "th")).toBe("PDF, JPG, PNG · ไม่เกิน 50 MB");
  });

  it("shows what is known when a limit is absent", () => {
    expect(limitsHint({ maxBytes: 2 * GB }, "en")).toBe("Up to 2 GB");
    expect(limitsHint({ maxBytes: 2 * GB }, "th")).toBe("ไม่เกิน 2 GB");
    expect(limitsHint({ types: ["application/pdf", "image/*"] }, "en")).toBe("PDF, images");
    expect(limitsHint({ types: ["image/*"] }, "th")).toBe("รูปภาพ");
    expect(limitsHint(undefined, "en")).toBe("");
  });

  it("labels each type once", () => {
    expect(typeLabels(["image/vnd.dwg", "application/acad", "application/pdf"], "en")).toEqual(["DWG", "PDF"]);
  });
});

describe("preCheckFile", () => {
  it("accepts a file within the limits", () => {
    expect(preCheckFile({ name: "plan.pdf", size: 10 * MB, type: "application/pdf" }, PLAN_LIMITS)).toBeNull();
    expect(preCheckFile({ name: "huge.dwg", size: 5 * GB, type: "" }, undefined)).toBeNull();
  });

  it("refuses a file over the field's size limit, in Thai and English", () => {
    const error = preCheckFile({ name: "plan.pdf", size: 60 * MB, type: "application/pdf" }, PLAN_LIMITS);
    expect(error?.code).toBe("FILE_TOO_LARGE");
    expect(error?.message.en).toBe('"plan.pdf" is 60 MB, larger than the 50 MB allowed.');
    expect(error?.message.th).toBe('ไฟล์ "plan.pdf" มีขนาด 60 MB เกินกว่าที่กำหนด (ไม่เกิน 50 MB)');
  });

  it("refuses a type that is not allowed, by MIME type and by extension", () => {
    const error = preCheckFile({ name: "notes.docx", size: MB, type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" }, PLAN_LIMITS);
    expect(error?.code).toBe("FILE_TYPE_NOT_ALLOWED");
    expect(error?.message.en).toContain("Accepted: PDF, JPG, PNG");
    expect(error?.message.th).toContain("รับเฉพาะ PDF, JPG, PNG");
    // Browsers give "" for drawings: the extension decides.
    expect(preCheckFile({ name: "site.DWG", size: MB, type: "" }, { types: ["image/vnd.dwg"] })).toBeNull();
    expect(preCheckFile({ name: "photo.JPEG", size: MB, type: "" }, PLAN_LIMITS)).toBeNull();
    expect(preCheckFile({ name: "photo.heic", size: MB, type: "image/heic" }, { types: ["image/*"] })).toBeNull();
    expect(preCheckFile({ name: "virus.exe", size: MB, type: "" }, PLAN_LIMITS)?.code).toBe("FILE_TYPE_NOT_ALLOWED");
  });

  it("refuses an empty file", () => {
    const error = preCheckFile({ name: "empty.pdf", size: 0, type: "application/pdf" }, undefined);
    expect(error?.code).toBe("FILE_EMPTY");
    expect(error?.message.th).toContain("ว่างเปล่า");
    expect(error?.message.en).toContain("is empty");
  });

  it("guesses a MIME type from the extension when the browser gives none", () => {
    expect(guessMimeType({ name: "plan.pdf", type: "application/pdf" })).toBe("application/pdf");
    expect(guessMimeType({ name: "site.dwg", type: "" })).toBe("image/vnd.dwg");
    expect(guessMimeType({ name: "README", type: "" })).toBe("application/octet-stream");
  });
});

describe("parseUploadError", () => {
  it("takes the server's Thai and English message", () => {
    const body = JSON.stringify({ error: { code: "UPLOAD_TOO_LARGE", message: { th: "ไฟล์ใหญ่เกิน 50 MB", en: "The file is over 50 MB" }, details: { maxBytes: 52428800 } } });
    expect(parseUploadError(413, body)).toEqual({ th: "ไฟล์ใหญ่เกิน 50 MB", en: "The file is over 50 MB" });
    expect(uploadErrorCode(body)).toBe("UPLOAD_TOO_LARGE");
  });

  it("uses one language for both when the other is missing", () => {
    expect(parseUploadError(400, JSON.stringify({ error: { message: { th: "ชื่อไฟล์ไม่ถูกต้อง" } } }))).toEqual({ th: "ชื่อไฟล์ไม่ถูกต้อง", en: "ชื่อไฟล์ไม่ถูกต้อง" });
    expect(parseUploadError(400, JSON.stringify({ error: { message: "Bad metadata" } }))).toEqual({ th: "Bad metadata", en: "Bad metadata" });
  });

  it("falls back to a generic message naming the HTTP status", () => {
    expect(parseUploadError(502, "<html>Bad Gateway</html>")).toEqual({ th: "อัปโหลดไม่สำเร็จ (HTTP 502)", en: "The upload failed (HTTP 502)." });
    expect(parseUploadError(415, "")).toEqual({ th: "ไม่รับไฟล์ประเภทนี้ (HTTP 415)", en: "This type of file is not accepted (HTTP 415)." });
    expect(parseUploadError(401, "{}").en).toBe("Please sign in again and retry (HTTP 401).");
    expect(parseUploadError(undefined, undefined).th).toContain("เชื่อมต่อเซิร์ฟเวอร์ไม่ได้");
    expect(uploadErrorCode("not json")).toBeNull();
  });
});

describe("retries and ids", () => {
  it("retries network failures and temporary server states, not refusals", () => {
    for (const status of [undefined, 0, 500, 502, 503, 409, 423, 460]) expect(isRetryableStatus(status)).toBe(true);
    for (const status of [400, 401, 403, 404, 410, 413, 415]) expect(isRetryableStatus(status)).toBe(false);
  });

  it("reads upload ids from values and URLs", () => {
    expect(uploadIdOf("upload:61626331323300000000000000000000")).toBe("61626331323300000000000000000000");
    expect(uploadIdOf("upload:")).toBeNull();
    expect(uploadIdOf("data:application/pdf;base64,AAA")).toBeNull();
    expect(uploadIdOf(undefined)).toBeNull();
    expect(uploadIdFromUrl("http://localhost:3000/uploads/abc123")).toBe("abc123");
    expect(uploadIdFromUrl("/uploads/abc123?x=1")).toBe("abc123");
    expect(uploadIdFromUrl("/uploads/abc123/")).toBe("abc123");
  });

  it("shows 100% only when every byte is sent", () => {
    expect(percentOf(0, 0)).toBe(0);
    expect(percentOf(45, 100)).toBe(45);
    expect(percentOf(999_999, 1_000_000)).toBe(99);
    expect(percentOf(100, 100)).toBe(100);
  });
});

describe("pointerFromFieldId", () => {
  const schema = {
    type: "object",
    properties: {
      documents: {
        type: "object",
        properties: {
          siteMap: { type: "string", format: "attachment" },
          site_plan: { type: "string", format: "attachment" },
          site: { type: "object", properties: { plan: { type: "string" } } },
          plans: { type: "array", items: { type: "string", format: "attachment" } },
        },
      },
      extra: { $ref: "#/definitions/extra" },
    },
    allOf: [{ if: {}, then: { properties: { juristic_docs: { type: "object", properties: { cert: { type: "string" } } } } } }],
    definitions: { extra: { type: "object", properties: { a_b: { type: "string" } } } },
  };

  it("maps RJSF ids back to JSON pointers, underscores in names included", () => {
    expect(pointerFromFieldId("root_documents_siteMap", schema)).toBe("/documents/siteMap");
    expect(pointerFromFieldId("root_documents_plans_0", schema)).toBe("/documents/plans/0");
    expect(pointerFromFieldId("root_documents_site_plan", schema)).toBe("/documents/site_plan");
    expect(pointerFromFieldId("root_juristic_docs_cert", schema)).toBe("/juristic_docs/cert");
    expect(pointerFromFieldId("root_extra_a_b", schema)).toBe("/extra/a_b");
  });

  it("honours a custom prefix and separator, and splits unknown names as a last resort", () => {
    expect(pointerFromFieldId("form.documents.plans.2", schema, "form", ".")).toBe("/documents/plans/2");
    expect(pointerFromFieldId("root_unknown_thing", schema)).toBe("/unknown/thing");
    expect(pointerFromFieldId("root", schema)).toBe("");
  });
});
