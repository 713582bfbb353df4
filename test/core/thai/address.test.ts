import { describe, expect, it } from "vitest";
import {
  isValidThaiAddress,
  listDistricts,
  listProvinces,
  listSubdistrictEntries,
  listSubdistricts,
  loadThaiAddressBook,
  postcodeFor,
  postcodesFor,
} from "~/core/thai/address";
import { loader } from "~/routes/api.v1.thai-address";

describe("Thai address dataset", () => {
  it("lists all 77 provinces in Thai order", async () => {
    const provinces = await listProvinces();
    expect(provinces).toHaveLength(77);
    expect(provinces).toContain("กรุงเทพมหานคร");
    expect(provinces).toContain("บึงกาฬ"); // the newest province (2011)
    expect(provinces[0]).toBe("กระบี่");
  });

  it("has เขตบางรัก in กรุงเทพมหานคร, stored without the เขต prefix", async () => {
    const districts = await listDistricts("กรุงเทพมหานคร");
    expect(districts).toHaveLength(50);
    expect(districts).toContain("บางรัก");
    expect(await listSubdistricts("กรุงเทพมหานคร", "บางรัก")).toEqual(["บางรัก", "มหาพฤฒาราม", "สี่พระยา", "สีลม", "สุริยวงศ์"]);
  });

  it("looks up a subdistrict's postcode", async () => {
    expect(await postcodeFor("กรุงเทพมหานคร", "บางรัก", "สีลม")).toBe("10500");
    expect(await postcodeFor("เชียงใหม่", "เมืองเชียงใหม่", "ศรีภูมิ")).toBe("50200");
    expect(await postcodeFor("เชียงใหม่", "เมืองเชียงใหม่", "ไม่มีตำบลนี้")).toBeUndefined();
  });

  it("keeps districts that share a name apart by province", async () => {
    // จอมทอง is a เขต of Bangkok and an อำเภอ of Chiang Mai.
    expect(await listSubdistricts("กรุงเทพมหานคร", "จอมทอง")).toContain("บางขุนเทียน");
    expect(await listSubdistricts("เชียงใหม่", "จอมทอง")).not.toContain("บางขุนเทียน");
  });

  it("knows subdistricts served by two postcodes and accepts either", async () => {
    expect(await postcodesFor("กรุงเทพมหานคร", "คลองเตย", "พระโขนง")).toEqual(["10110", "10260"]);
    expect(await isValidThaiAddress({ province: "กรุงเทพมหานคร", district: "คลองเตย", subdistrict: "พระโขนง", postcode: "10260" })).toBe(true);
    const entries = await listSubdistrictEntries("กรุงเทพมหานคร", "คลองเตย");
    expect(entries.find((e) => e.name === "พระโขนง")?.postcodes).toEqual(["10110", "10260"]);
  });

  it("accepts a consistent address", async () => {
    expect(await isValidThaiAddress({ province: "กรุงเทพมหานคร", district: "บางรัก", subdistrict: "สีลม", postcode: "10500" })).toBe(true);
  });

  it("rejects combinations that do not belong together", async () => {
    // wrong postcode
    expect(await isValidThaiAddress({ province: "กรุงเทพมหานคร", district: "บางรัก", subdistrict: "สีลม", postcode: "10110" })).toBe(false);
    // a real district of another province
    expect(await isValidThaiAddress({ province: "เชียงใหม่", district: "บางรัก", subdistrict: "สีลม", postcode: "10500" })).toBe(false);
    // a real subdistrict of another district
    expect(await isValidThaiAddress({ province: "กรุงเทพมหานคร", district: "ปทุมวัน", subdistrict: "สีลม", postcode: "10500" })).toBe(false);
    // prefixed names are not the stored form
    expect(await isValidThaiAddress({ province: "กรุงเทพมหานคร", district: "เขตบางรัก", subdistrict: "แขวงสีลม", postcode: "10500" })).toBe(false);
  });

  it("rejects missing or non-string parts", async () => {
    expect(await isValidThaiAddress({ province: "กรุงเทพมหานคร", district: "บางรัก", subdistrict: "สีลม" })).toBe(false);
    expect(await isValidThaiAddress({ province: "กรุงเทพมหานคร", district: "บางรัก", subdistrict: "สีลม", postcode: 10500 })).toBe(false);
    expect(await isValidThaiAddress({})).toBe(false);
  });

  it("returns empty lists for unknown names", async () => {
    expect(await listDistricts("แอตแลนติส")).toEqual([]);
    expect(await listSubdistricts("กรุงเทพมหานคร", "แอตแลนติส")).toEqual([]);
  });

  it("loads the dataset once and shares it", async () => {
    expect(await loadThaiAddressBook()).toBe(await loadThaiAddressBook());
  });
});

type Body = {
  provinces?: string[];
  districts?: string[];
  subdistricts?: { name: string; postcodes: string[] }[];
  error?: { code: string };
};

describe("GET /api/v1/thai-address", () => {
  const get = async (query: string) => {
    const response = await loader({ request: new Request(`http://test/api/v1/thai-address${query}`), params: {}, context: {} });
    return { status: response.status, cache: response.headers.get("Cache-Control"), body: (await response.json()) as Body };
  };

  it("lists provinces without parameters, cacheable", async () => {
    const { status, cache, body } = await get("");
    expect(status).toBe(200);
    expect(cache).toContain("max-age");
    expect(body.provinces).toHaveLength(77);
  });

  it("lists a province's districts", async () => {
    const { body } = await get(`?${new URLSearchParams({ province: "กรุงเทพมหานคร" })}`);
    expect(body.districts).toContain("บางรัก");
  });

  it("lists a district's subdistricts with their postcodes", async () => {
    const { body } = await get(`?${new URLSearchParams({ province: "กรุงเทพมหานคร", district: "บางรัก" })}`);
    expect(body.subdistricts).toContainEqual({ name: "สีลม", postcodes: ["10500"] });
  });

  it("answers 404 for an unknown province or a district of another province", async () => {
    expect((await get(`?${new URLSearchParams({ province: "แอตแลนติส" })}`)).status).toBe(404);
    const wrong = await get(`?${new URLSearchParams({ province: "เชียงใหม่", district: "บางรัก" })}`);
    expect(wrong.status).toBe(404);
    expect(wrong.body.error?.code).toBe("NOT_FOUND");
  });
});
