import { describe, expect, it } from "vitest";
import { SHOTS, appInBrowser } from "./support";

const { app, signIn, open } = appInBrowser();

/** A small paper register as an office would export it: Thai headers, BE dates, one row with a Gregorian year. */
function registerCsv(): Buffer {
  const header = "ลำดับ,เลขที่ใบอนุญาต,ชื่อผู้ได้รับอนุญาต,ชื่อสถานประกอบการ,ประเภทกิจการ,ที่ตั้ง,ตำบล/แขวง,อำเภอ/เขต,จังหวัด,รหัสไปรษณีย์,วันที่ออกใบอนุญาต,วันหมดอายุ,สถานะ";
  const rows = [
    "1,SKJ-HH-2561-00101,นางสาวพิมพ์ชนก แสงทอง,ร้านเสริมสวยพิมพ์ชนก,กิจการเสริมสวย ตัดผม แต่งผม,45 ถนนรัตนาธิเบศร์,บางกระสอ,เมืองนนทบุรี,นนทบุรี,11000,08/01/2561,07/01/2562,ใช้ได้",
    "2,SKJ-HH-2561-00102,นายสมศักดิ์ บุญมา,อู่สมศักดิ์การช่าง,การซ่อมเครื่องยนต์,9/1 ถนนติวานนท์,ท่าทราย,เมืองนนทบุรี,นนทบุรี,11000,15/02/2561,14/02/2562,",
    "3,SKJ-HH-2561-00103,บริษัท นนทรีวอเตอร์ จำกัด,น้ำดื่มนนทรี,การผลิตน้ำดื่ม,88 ถนนนนทบุรี 1,บางกระสอ,เมืองนนทบุรี,นนทบุรี,11000,15/03/2018,14/03/2562,ใช้ได้",
    "4,SKJ-HH-2561-00104,นางวันเพ็ญ ศรีสุข,ร้านซักรีดวันเพ็ญ,การประกอบกิจการซักรีด,120 ถนนประชาราษฎร์,สวนใหญ่,เมืองนนทบุรี,นนทบุรี,11000,02/04/2561,01/04/2562,พักใช้",
    "5,SKJ-HH-2561-00105,ห้างหุ้นส่วนจำกัด ทองดีเทรดดิ้ง,ร้านแก๊สทองดี,การเก็บ การจำหน่ายก๊าซหุงต้ม,7 ถนนงามวงศ์วาน,บางกระสอ,เมืองนนทบุรี,นนทบุรี,11000,10/05/2561,09/05/2562,ใช้ได้",
    "6,SKJ-HH-2561-00106,นายวีระ รุ่งเรือง,วีระ ออโต้เซอร์วิส,การซ่อมเครื่องยนต์,300 ถนนรัตนาธิเบศร์,บางกระสอ,เมืองนนทบุรี,นนทบุรี,11000,11/06/2561,10/06/2562,ใช้ได้",
  ];
  return Buffer.from("\uFEFF" + [header, ...rows].join("\r\n") + "\r\n", "utf8");
}

describe("an agency admin imports the paper-era permit register", () => {
  it("uploads a CSV, checks the suggested mapping, runs the import and reads the report with the one bad row", async () => {
    const page = await signIn("admin@sukjai.demo.borikan.local");
    await page.goto(`${app().baseUrl}/admin/permits/import`);
    expect(await page.locator("h1").innerText()).toBe("นำเข้าใบอนุญาตเดิม");

    await page.setInputFiles('input[name="file"]', { name: "ทะเบียนใบอนุญาต-2561.csv", mimeType: "text/csv", buffer: registerCsv() });
    await Promise.all([page.waitForURL(/\?upload=/), page.click('[data-testid="import-upload"]')]);

    // Step 2: the columns are matched from their Thai names, the type from the numbers' format.
    expect(await page.inputValue("#field-number")).toBe("เลขที่ใบอนุญาต");
    expect(await page.inputValue("#field-issuedOn")).toBe("วันที่ออกใบอนุญาต");
    expect(await page.inputValue("#field-district")).toBe("อำเภอ/เขต");
    expect(await page.inputValue("#field-statusReason")).toBe("");
    expect(await page.inputValue('[data-testid="import-type"]')).toBe("HH");
    expect(await page.locator('[data-testid="import-preview"] tbody tr').count()).toBe(5);

    await Promise.all([page.waitForURL(/\?job=/), page.click('[data-testid="import-start"]')]);
    // Step 3 → 4: the page polls the job until it is done.
    await page.locator('[data-testid="import-job"][data-status="done"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-testid="import-progress"]').getAttribute("value")).toBe("100");
    expect(await page.locator('[data-testid="import-progress-text"]').innerText()).toContain("6 จาก 6 แถว (100%)");
    const count = (k: string) => page.locator(`[data-count="${k}"] dd`).innerText();
    expect([await count("total"), await count("imported"), await count("updated"), await count("unchanged"), await count("failed")]).toEqual(["6", "5", "0", "0", "1"]);

    const bad = page.locator('[data-testid="import-errors"] tbody tr');
    expect(await bad.count()).toBe(1);
    const cells = await bad.first().locator("td").allInnerTexts();
    expect(cells.slice(0, 3)).toEqual(["4", "SKJ-HH-2561-00103", "วันที่ออกใบอนุญาต"]);
    expect(cells[3]).toContain("ใช้ปี ค.ศ. — ให้ใช้ปี พ.ศ. เช่น 15/03/2561");

    // The rows to fix, as a CSV download.
    const href = await page.locator('[data-testid="import-errors-csv"]').getAttribute("href");
    const csv = await page.request.get(`${app().baseUrl}${href}`);
    expect(csv.headers()["content-type"]).toContain("text/csv");
    expect(await csv.text()).toContain("SKJ-HH-2561-00103");

    await page.screenshot({ path: `${SHOTS}/permit-import.png`, fullPage: true });

    // The same report in English.
    await page.goto(`${page.url()}&lang=en`);
    await page.locator('[data-testid="import-job"][data-status="done"]').waitFor();
    expect(await page.locator('[data-testid="import-errors"] tbody td').nth(3).innerText()).toContain("has a Gregorian year — use the Buddhist-era year");
    await page.context().close();
  });

  it("is for agency admins only", async () => {
    const officer = await signIn("officer@sukjai.demo.borikan.local");
    const response = await officer.goto(`${app().baseUrl}/admin/permits/import`);
    expect(response?.status()).toBe(403);
    await officer.context().close();
    const anonymous = await open();
    await anonymous.goto(`${app().baseUrl}/admin/permits/import`);
    expect(new URL(anonymous.url()).pathname).toBe("/login");
    await anonymous.context().close();
  });
});
