import { describe, expect, it } from "vitest";
import { getCase } from "~/models/case.server";
import * as keysRoute from "~/routes/[.well-known].borikan-keys[.json]";
import * as verifyRoute from "~/routes/api.v1.permits.$number.verify";
import * as csvRoute from "~/routes/api.v1.registry.permits[.csv]";
import * as registryRoute from "~/routes/api.v1.registry.permits";
import * as permitPdfRoute from "~/routes/permits.$number.permit[.pdf]";
import * as permitPageRoute from "~/routes/permits.$number._index";
import * as registryPageRoute from "~/routes/registry";
import { caseDocuments } from "~/services/case-documents.server";
import { settleCaseEffects } from "~/services/effects/effect-runner.server";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { changeStatus } from "~/services/permit-lifecycle.server";
import { withTestDatabase } from "../support/db";
import { approver, caseAwaitingFee, officer } from "../support/journeys";

withTestDatabase();

const get = (path: string) => new Request(`http://localhost${path}`);
const args = (path: string, params: Record<string, string> = {}) => ({ request: get(path), params, context: {} }) as never;

/** The applicant's personal data in this application: none of it may appear in public output. */
const PERSONAL = { nationalId: "", mobile: "", email: "", homeLine: "99/9 หมู่ 3 ซอยรัตนาธิเบศร์ 18" };

async function issuedPermit(n: number, business: string): Promise<string> {
  const id = await caseAwaitingFee(n, { business: { name: business } });
  await fireCaseEvent(await officer(), id, { type: "FEE_PAID" });
  await settleCaseEffects(id);
  const record = (await getCase(id))!;
  const data = JSON.parse(record.dataJson) as { applicant: { nationalId: string; mobile: string; email: string } };
  Object.assign(PERSONAL, { nationalId: data.applicant.nationalId, mobile: data.applicant.mobile, email: data.applicant.email });
  const permit = (await caseDocuments(record)).issued.find((d) => d.kind === "permit");
  return permit?.kind === "permit" ? permit.number : "";
}

function expectNoPersonalData(text: string) {
  expect(PERSONAL.nationalId).toMatch(/^\d{13}$/);
  for (const value of [PERSONAL.nationalId, PERSONAL.mobile, PERSONAL.email, PERSONAL.homeLine]) expect(text).not.toContain(value);
  // the stored record's internals (case link, status history with officers' names, the raw signature) stay inside
  expect(text).not.toMatch(/"(caseId|effectId|serviceSlug|history|jws)"/);
}

describe("public registry and verification API", () => {
  let number = "";

  it("finds an issued permit by a Thai word inside the type name and by a word in the business name", async () => {
    number = await issuedPermit(1, "ร้านเสริมสวยนภัสวรรณ");
    const byType = (await (await registryRoute.loader(args(`/api/v1/registry/permits?q=${encodeURIComponent("อันตราย")}&agency=sukjai&pageSize=100`))).json()) as {
      items: { number: string; typeName: { th: string } }[];
      total: number;
    };
    // "อันตราย" is a word inside "…กิจการที่เป็นอันตรายต่อสุขภาพ", which has no spaces
    expect(byType.items.map((p) => p.number)).toContain(number);
    const byName = (await (await registryRoute.loader(args(`/api/v1/registry/permits?q=${encodeURIComponent("นภัสวรรณ")}`))).json()) as { items: { number: string }[] };
    expect(byName.items.map((p) => p.number)).toEqual([number]);
  });

  it("never puts personal data into public JSON, HTML or CSV", async () => {
    const json = await (await registryRoute.loader(args(`/api/v1/registry/permits?q=${number}`))).text();
    expect(json).toContain(number);
    expectNoPersonalData(json);

    const verify = await (await verifyRoute.loader(args(`/api/v1/permits/${number}/verify`, { number }))).text();
    expect(verify).toContain(number);
    expectNoPersonalData(verify);

    const csv = await (await csvRoute.loader(args(`/api/v1/registry/permits.csv?q=${number}`))).text();
    expect(csv.split("\n")[1]).toContain(number);
    expectNoPersonalData(csv);

    const page = (await (await permitPageRoute.loader(args(`/permits/${number}`, { number }))).json()) as object;
    const pageData = JSON.stringify(page);
    expect(pageData).toContain(number);
    for (const value of [PERSONAL.nationalId, PERSONAL.mobile, PERSONAL.email, PERSONAL.homeLine]) expect(pageData).not.toContain(value);

    const registryHtml = JSON.stringify(await (await registryPageRoute.loader(args(`/registry?q=${number}`))).json());
    for (const value of [PERSONAL.nationalId, PERSONAL.mobile, PERSONAL.email, PERSONAL.homeLine]) expect(registryHtml).not.toContain(value);
  });

  it("answers verify with the live status: valid, then revoked at once; unknown numbers are 404 with valid false", async () => {
    const first = await verifyRoute.loader(args(`/api/v1/permits/${number}/verify`, { number }));
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ valid: true, status: "valid", permit: { number }, signature: { valid: true } });

    await changeStatus(await approver(), number, { to: "revoked", reason: "ฝ่าฝืนเงื่อนไขใบอนุญาตข้อ 2" });
    expect(await (await verifyRoute.loader(args(`/api/v1/permits/${number}/verify`, { number }))).json()).toMatchObject({
      valid: false,
      status: "revoked",
      permit: { statusReason: "ฝ่าฝืนเงื่อนไขใบอนุญาตข้อ 2" },
    });
    const revokedList = (await (await registryRoute.loader(args(`/api/v1/registry/permits?status=revoked&agency=sukjai&pageSize=100`))).json()) as { items: { number: string }[] };
    expect(revokedList.items.map((p) => p.number)).toContain(number);
    const validList = (await (await registryRoute.loader(args(`/api/v1/registry/permits?status=valid&q=${number}`))).json()) as { total: number };
    expect(validList.total).toBe(0);

    const missing = await verifyRoute.loader(args(`/api/v1/permits/SKJ-HH-2500-99999/verify`, { number: "SKJ-HH-2500-99999" }));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ valid: false, status: "unknown", permit: null, error: { code: "NOT_FOUND" } });
  });

  it("rejects malformed query parameters with 400 naming the parameter, in JSON and CSV alike", async () => {
    for (const [query, param] of [
      ["page=0", "page"],
      ["pageSize=1000", "pageSize"],
      ["status=lost", "status"],
      ["page=abc", "page"],
    ] as const) {
      for (const route of [registryRoute, csvRoute]) {
        const response = await route.loader(args(`/api/v1/registry/permits?${query}`));
        expect(response.status, query).toBe(400);
        const body = (await response.json()) as { error: { code: string; message: { th: string; en: string }; details: { param: string } } };
        expect(body.error).toMatchObject({ code: "BAD_REQUEST", details: { param } });
        expect(body.error.message.th).toContain(param);
      }
    }
  });

  it("publishes the agency keys and serves the permit PDF publicly", async () => {
    const keys = (await (await keysRoute.loader()).json()) as { keys: { agency: string; kid: string }[] };
    expect(keys.keys.map((k) => k.agency)).toContain("sukjai");
    const pdf = await permitPdfRoute.loader(args(`/permits/${number}/permit.pdf`, { number }));
    expect(pdf.headers.get("Content-Type")).toBe("application/pdf");
    const missing = await permitPdfRoute.loader(args(`/permits/NOPE-1/permit.pdf`, { number: "NOPE-1" })).catch((r: Response) => r);
    expect((missing as Response).status).toBe(404);
  });
});
