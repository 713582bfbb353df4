import { describe, expect, it } from "vitest";
import { AppError } from "~/core/errors";
import { parseRegistryQuery, registryQueryToParams, type RegistryQuery } from "~/core/registry/registry-query";

const parse = (query: string) => parseRegistryQuery(new URLSearchParams(query));

function rejection(query: string): AppError {
  try {
    parse(query);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error(`"${query}" was accepted`);
}

describe("parseRegistryQuery", () => {
  it("has defaults for an empty query and ignores unknown parameters", () => {
    expect(parse("")).toEqual({ q: "", page: 1, pageSize: 20 });
    expect(parse("utm_source=line&sort=whatever")).toEqual({ q: "", page: 1, pageSize: 20 });
  });

  it("treats empty values as not set (a GET form submits empty selects)", () => {
    expect(parse("q=&agency=&type=&province=&district=&status=&page=&pageSize=")).toEqual({ q: "", page: 1, pageSize: 20 });
  });

  it("reads every parameter", () => {
    const query = parse(
      new URLSearchParams({
        q: "  ร้าน   อาหาร ",
        agency: "sukjai",
        type: "hh",
        province: "จังหวัดนนทบุรี",
        district: "อำเภอเมืองนนทบุรี",
        status: "Expired",
        page: "3",
        pageSize: "50",
      }).toString(),
    );
    expect(query).toEqual({
      q: "ร้าน อาหาร",
      agency: "sukjai",
      type: "HH",
      province: "นนทบุรี",
      district: "เมืองนนทบุรี",
      status: "expired",
      page: 3,
      pageSize: 50,
    });
  });

  it.each([
    ["page=0", "page"],
    ["page=-1", "page"],
    ["page=1.5", "page"],
    ["page=abc", "page"],
    ["page=99999999999", "page"],
    ["pageSize=0", "pageSize"],
    ["pageSize=101", "pageSize"],
    ["pageSize=ten", "pageSize"],
    ["status=active", "status"],
    ["type=H-H", "type"],
    ["type=%E0%B8%AD%E0%B8%A0", "type"],
    ["agency=../etc", "agency"],
    [`agency=${"a".repeat(65)}`, "agency"],
    [`q=${"ก".repeat(201)}`, "q"],
    [`province=${"ก".repeat(101)}`, "province"],
    ["district=%E0%B8%81%0A%E0%B8%82", "district"],
  ])("rejects %s as a bad %s", (query, param) => {
    const error = rejection(query);
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.details).toEqual({ param });
    expect(error.text.th.startsWith(`${param} `)).toBe(true);
    expect(error.text.en.startsWith(`${param} `)).toBe(true);
  });

  it("says what a good value looks like, in Thai and English", () => {
    expect(rejection("page=0").text).toEqual({ th: "page ต้องเป็นจำนวนเต็มตั้งแต่ 1 ขึ้นไป", en: "page must be a whole number from 1" });
    expect(rejection("pageSize=500").text.en).toBe("pageSize must be a whole number from 1 to 100");
    expect(rejection("status=x").text.en).toBe("status must be one of valid, expired, suspended, revoked, renewed");
  });

  it("accepts the limits", () => {
    expect(parse(`q=${"ก".repeat(200)}&pageSize=100&page=1000000`)).toMatchObject({ pageSize: 100, page: 1_000_000 });
    expect(parse("pageSize=1").pageSize).toBe(1);
  });
});

describe("registryQueryToParams", () => {
  it("writes only what differs from the defaults, in a fixed order", () => {
    expect(registryQueryToParams({ q: "", page: 1, pageSize: 20 }).toString()).toBe("");
    expect(registryQueryToParams({ q: "สปา", status: "valid", page: 2, pageSize: 20, agency: "sukjai" }).toString()).toBe(
      new URLSearchParams([["q", "สปา"], ["agency", "sukjai"], ["status", "valid"], ["page", "2"]]).toString(),
    );
  });

  it("round-trips through parseRegistryQuery", () => {
    const query: RegistryQuery = {
      q: "SKJ-HH-2569-00012",
      agency: "sukjai",
      type: "HH",
      province: "นนทบุรี",
      district: "เมืองนนทบุรี",
      status: "revoked",
      page: 7,
      pageSize: 100,
    };
    expect(parseRegistryQuery(registryQueryToParams(query))).toEqual(query);
    expect(parseRegistryQuery(registryQueryToParams({ ...query, page: 8 })).page).toBe(8);
  });
});
