import { describe, expect, it } from "vitest";
import { AppError } from "~/core/errors";
import { maskPersonalData, maskPersonalText } from "~/core/personal-data";
import { errorResponse } from "~/utils/http.server";
import { thaiMobile, thaiNationalId } from "../support/factories";

const id = thaiNationalId(42);
const mobile = thaiMobile(1234);

describe("national IDs and phone numbers are masked in logs and error details (PDPA)", () => {
  it("masks a national ID to its last four digits, with or without separators, valid checksum or not", () => {
    expect(maskPersonalText(`ID ${id} filed`)).toBe(`ID *********${id.slice(-4)} filed`);
    expect(maskPersonalText("1-2345-67890-12-3")).toBe("*********0123");
    expect(maskPersonalText("bad 1234567890120")).toBe("bad *********0120");
  });

  it("masks Thai mobile and landline numbers, local and international", () => {
    expect(maskPersonalText(`call ${mobile}`)).toBe(`call ******${mobile.slice(-4)}`);
    expect(maskPersonalText("081-234-5678 or +66812345678 or 02-123-4567")).toBe("******5678 or *******5678 or *****4567");
  });

  it("leaves ordinary text and numbers alone", () => {
    for (const text of ["HHL-2569-000123", "2026-12-05T05:11:40Z", "5368709120 bytes", "/applicant/nationalId", "upload:0123456789abcdef0123"]) {
      expect(maskPersonalText(text)).toBe(text);
    }
  });

  it("masks every string inside objects, arrays and errors", () => {
    const masked = maskPersonalData({ fields: [{ pointer: "/applicant/mobile", value: mobile }], note: `ID ${id}`, n: 5, at: new Date(0) });
    expect(masked).toEqual({ fields: [{ pointer: "/applicant/mobile", value: `******${mobile.slice(-4)}` }], note: `ID *********${id.slice(-4)}`, n: 5, at: new Date(0) });
    const error = maskPersonalData(new Error(`no account for ${id}`));
    expect(error.message).toBe(`no account for *********${id.slice(-4)}`);
    expect(error.stack).not.toContain(id);
  });

  it("masks error details that echo input in the API's error shape", async () => {
    const response = errorResponse(new AppError("FORM_INVALID", { th: "ผิด", en: "Wrong" }, { fields: [{ pointer: "/applicant/nationalId", value: id }] }));
    const text = await response.text();
    expect(response.status).toBe(422);
    expect(text).not.toContain(id);
    expect(text).toContain(`*********${id.slice(-4)}`);
  });
});
