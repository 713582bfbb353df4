import mongoose from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_API_KEY } from "~/services/seed-demo.server";
import { startApp, type RunningApp } from "../support/app-server";
import { healthHazardApplication, pdfDataUrl } from "../support/factories";
import { HEALTH_HAZARD_SLUG } from "../support/journeys";

const HTML = Buffer.from("<html><body><script>alert(document.cookie)</script></body></html>").toString("base64");
type ErrorBody = { error: { code: string; message: { th: string; en: string }; details: { fields?: { pointer: string }[]; pointer?: string } | null } };
const pointers = (body: ErrorBody) => (body.error.details?.fields ?? []).map((f) => f.pointer).sort();

describe("only declared data is stored — through the API of the built server", () => {
  let app: RunningApp;
  let db: mongoose.Connection;
  const cases = () => db.collection("cases").countDocuments();
  const file = (body: string) =>
    fetch(`${app.baseUrl}/api/v1/services/${HEALTH_HAZARD_SLUG}/applications`, {
      method: "POST",
      headers: { Authorization: `Bearer ${DEMO_API_KEY}`, "Content-Type": "application/json" },
      body,
    });

  beforeAll(async () => {
    app = await startApp();
    db = await mongoose.createConnection(app.mongoUri).asPromise();
  });
  afterAll(async () => {
    await db?.close();
    await app?.stop();
  });

  it("refuses properties the form does not declare with 422 and the pointer of each, storing nothing", async () => {
    const before = await cases();
    const data = await healthHazardApplication({}, 7001);
    const res = await file(JSON.stringify({ data: { ...data, isApproved: true, applicant: { ...data.applicant, role: "approver" }, business: { ...data.business, location: { ...data.business.location, geo: "x" } } } }));
    const body = (await res.json()) as ErrorBody;
    expect({ status: res.status, code: body.error.code }).toEqual({ status: 422, code: "FORM_INVALID" });
    expect(pointers(body)).toEqual(["/applicant/role", "/business/location/geo", "/isApproved"]);
    expect(await cases()).toBe(before);
  });

  it("refuses keys starting with $, containing a dot or naming the prototype at any depth with 400 and the pointer", async () => {
    const data = await healthHazardApplication({}, 7002);
    const text = JSON.stringify({ data });
    const bodies = [
      { raw: text.replace('"consent":true', '"consent":true,"$where":"1"'), pointer: "/data/$where" },
      { raw: text.replace('"fullName":', '"a.b":1,"fullName":'), pointer: "/data/applicant/a.b" },
      { raw: text.replace('"activity":', '"__proto__":{"isAdmin":true},"activity":'), pointer: "/data/business/__proto__" },
      { raw: text.replace('"line":', '"constructor":{"prototype":{}},"line":'), pointer: "/data/applicant/address/constructor" },
      { raw: `{"data":${text.slice(8, -1)},"meta":[{"ok":1},{"deep":{"$gt":""}}]}`, pointer: "/meta/1/deep/$gt" },
    ];
    const before = await cases();
    for (const { raw, pointer } of bodies) {
      const res = await file(raw);
      const body = (await res.json()) as ErrorBody;
      expect({ status: res.status, code: body.error.code, pointer: body.error.details?.pointer }).toEqual({ status: 400, code: "BAD_REQUEST", pointer });
      expect(body.error.message.th).toContain(pointer);
    }
    expect(await cases()).toBe(before);
  });

  it("refuses an HTML data URL in a PDF/JPEG/PNG field, whatever type it claims, with the field's pointer in th/en", async () => {
    const before = await cases();
    for (const value of [`data:text/html;base64,${HTML}`, `data:application/pdf;name=a.pdf;base64,${HTML}`, "data:text/html,<script>alert(1)</script>"]) {
      const res = await file(JSON.stringify({ data: await healthHazardApplication({ documents: { siteMap: value } }, 7003) }));
      const body = (await res.json()) as ErrorBody & { error: { details: { fields: { pointer: string; message: { th: string; en: string } }[] } } };
      expect({ status: res.status, code: body.error.code, pointers: pointers(body) }).toEqual({ status: 422, code: "FORM_INVALID", pointers: ["/documents/siteMap"] });
      expect(body.error.details.fields[0]!.message.th).toBeTruthy();
      expect(body.error.details.fields[0]!.message.en).toBeTruthy();
    }
    expect(await cases()).toBe(before);
  });

  it("accepts a PDF data URL whose bytes are a PDF", async () => {
    const before = await cases();
    const res = await file(JSON.stringify({ data: await healthHazardApplication({ documents: { siteMap: pdfDataUrl("site-map.pdf") } }, 7004) }));
    expect(res.status).toBe(201);
    expect(await cases()).toBe(before + 1);
  });
});

