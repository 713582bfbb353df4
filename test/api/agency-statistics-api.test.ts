/**
 * An agency's public statistics as open data: the JSON and the CSV carry the same figures as the snapshot, no
 * personal data and nothing of OPDC's internal figures; unknown agencies and tables are refused; the endpoints
 * are rate-limited per address like the registry CSV.
 */
import { describe, expect, it } from "vitest";
import * as csvRoute from "~/routes/api.v1.agencies.$code.statistics[.csv]";
import * as jsonRoute from "~/routes/api.v1.agencies.$code.statistics";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { refreshAgencyFigures } from "~/services/oversight/agency-figures.server";
import { submitApplication } from "~/services/submit-application.server";
import { SOCKET_ADDRESS_HEADER } from "~/utils/client-ip.server";
import { healthHazardApplication } from "../support/factories";
import { withTestDatabase } from "../support/db";
import { citizen, HEALTH_HAZARD_SLUG, officer } from "../support/journeys";

withTestDatabase();

let address = 0;
/** Each call from its own client address unless one is given (the limit counts per address). */
const args = (path: string, code: string, from = `192.0.2.${++address}`) =>
  ({ request: new Request(`http://localhost${path}`, { headers: { [SOCKET_ADDRESS_HEADER]: from } }), params: { code }, context: {} }) as never;

type Statistics = {
  agencyCode: string;
  filed: number;
  decided: number;
  onTimeShare: number | null;
  months: { month: string; filed: number }[];
  services: { slug: string; filed: number; decided: number; decidedOnTime: number }[];
};

describe("an agency's public statistics (open data)", () => {
  let applicantName = "";

  it("answers 503 in the API's error shape while an existing agency's figures are still being prepared", async () => {
    // No snapshot yet in this fresh database: the worker has not computed the figures.
    const response = await jsonRoute.loader(args("/api/v1/agencies/SKJ/statistics", "SKJ"));
    expect(response.status).toBe(503);
    const body = (await response.json()) as { error: { code: string; message: { th: string; en: string } } };
    expect(body.error.code).toBe("UNAVAILABLE");
    expect(body.error.message.en).toMatch(/being prepared/);
    expect(body.error.message.th).toMatch(/กำลังจัดทำ/);
  });

  it("publishes the snapshot's volumes per month and per service, in JSON", async () => {
    const applicant = await citizen();
    const data = await healthHazardApplication({}, 7);
    applicantName = data.applicant.fullName;
    const filed = await submitApplication(applicant, HEALTH_HAZARD_SLUG, data, "web");
    await submitApplication(applicant, HEALTH_HAZARD_SLUG, await healthHazardApplication({}, 8), "web");
    await fireCaseEvent(await officer(), filed.id, { type: "ACCEPT" });
    await refreshAgencyFigures();

    const response = await jsonRoute.loader(args("/api/v1/agencies/SKJ/statistics", "SKJ"));
    expect(response.status).toBe(200);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const body = (await response.json()) as Statistics;
    expect(body).toMatchObject({ agencyCode: "SKJ", filed: 2, decided: 0, onTimeShare: null });
    expect(body.months).toHaveLength(12);
    expect(body.months.reduce((sum, m) => sum + m.filed, 0)).toBe(2);
    expect(body.services.find((s) => s.slug === HEALTH_HAZARD_SLUG)).toMatchObject({ filed: 2, decided: 0 });
    const text = JSON.stringify(body);
    expect(text).not.toContain(applicantName);
    // OPDC's internal figures stay on the dashboard.
    expect(text).not.toMatch(/delayNoticesSent|openPastLimit|p90Days/);
    // A code is matched whatever its case.
    expect(((await (await jsonRoute.loader(args("/api/v1/agencies/skj/statistics", "skj"))).json()) as Statistics).agencyCode).toBe("SKJ");
  });

  it("gives the same figures as CSV, one table at a time, with a BOM for spreadsheets", async () => {
    const services = await csvRoute.loader(args("/api/v1/agencies/SKJ/statistics.csv?table=services", "SKJ"));
    expect(services.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(services.headers.get("Content-Disposition")).toContain("borikan-SKJ-statistics-services.csv");
    const bytes = new Uint8Array(await services.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    const lines = text.trim().split("\n");
    expect(lines[0]).toBe("service,slug,statutory_days,filed,decided,decided_on_time,on_time_share");
    const licence = lines.find((l) => l.includes(`,${HEALTH_HAZARD_SLUG},`))!;
    expect(licence.split(",").slice(-5)).toEqual(["30", "2", "0", "0", ""]);
    expect(text).not.toContain(applicantName);

    const months = await (await csvRoute.loader(args("/api/v1/agencies/SKJ/statistics.csv", "SKJ"))).text();
    const monthLines = months.trim().split("\n");
    expect(monthLines[0]).toBe("month,filed,decided,decided_on_time");
    expect(monthLines).toHaveLength(13);
    expect(monthLines.slice(1).reduce((sum, l) => sum + Number(l.split(",")[1]), 0)).toBe(2);
  });

  it("answers 404 for an unknown agency and 400 for an unknown table, in the API's error shape", async () => {
    for (const route of [jsonRoute, csvRoute]) {
      const response = await route.loader(args("/api/v1/agencies/NOPE/statistics", "NOPE"));
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
    }
    // The figures over all agencies are not an agency.
    expect((await jsonRoute.loader(args("/api/v1/agencies/ALL/statistics", "ALL"))).status).toBe(404);
    const bad = await csvRoute.loader(args("/api/v1/agencies/SKJ/statistics.csv?table=secret", "SKJ"));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string; details: { tables: string[] } } }).error).toMatchObject({ code: "BAD_REQUEST", details: { tables: ["months", "services"] } });
  });

  it("refuses an address over the limit with 429 and Retry-After, JSON and CSV counted together", async () => {
    const from = "198.51.100.9";
    for (let i = 0; i < 10; i++) {
      const route = i % 2 === 0 ? jsonRoute : csvRoute;
      expect((await route.loader(args("/api/v1/agencies/SKJ/statistics", "SKJ", from))).status).toBe(200);
    }
    const refused = await csvRoute.loader(args("/api/v1/agencies/SKJ/statistics.csv", "SKJ", from));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    // Another address is not affected.
    expect((await jsonRoute.loader(args("/api/v1/agencies/SKJ/statistics", "SKJ"))).status).toBe(200);
  });
});
