// The inbox's search: words of the tracking number, the applicant's name and the subject, each as a prefix,
// all words required, one agency only, and names forgotten with the personal data.
import { Types } from "mongoose";
import { beforeAll, describe, expect, it } from "vitest";
import { listInboxAmong } from "~/models/case.server";
import { indexCaseForSearch, searchCaseIds, unindexCaseForSearch, type SearchableCase } from "~/models/case-search.server";
import { withTestDatabase } from "../support/db";

withTestDatabase({ seed: false });

const A = "agency-search-a";
const B = "agency-search-b";
const c = (agencyId: string, trackingNumber: string, applicantName: string, subject: string): SearchableCase => ({
  _id: new Types.ObjectId(),
  agencyId,
  trackingNumber,
  summary: { applicantName, subject },
});
const somchaiNoodles = c(A, "SKJ-FD-2569-00001", "นายสมชาย ใจดี", "ร้านก๋วยเตี๋ยวเรือสมชาย");
const somsriCafe = c(A, "SKJ-FD-2569-00002", "นางสมศรี รักไทย", "Somsri Cafe");
const somchaiGarage = c(A, "SKJ-HH-2569-00003", "นายสมชาย ใจดี", "อู่ซ่อมรถสมชาย");
const otherAgency = c(B, "CMI-FD-2569-00001", "นายสมชาย ใจดี", "ร้านก๋วยเตี๋ยว");
const ids = async (agencyId: string, q: string) => (await searchCaseIds(agencyId, q)).ids.sort();
const idOf = (...cases: SearchableCase[]) => cases.map((x) => String(x._id)).sort();

beforeAll(async () => {
  await indexCaseForSearch([somchaiNoodles, somsriCafe, somchaiGarage, otherAgency]);
  // Indexing again (a repeated upgrade) changes nothing and does not fail.
  await indexCaseForSearch([somchaiNoodles]);
});

describe("inbox search", () => {
  it("finds by a whole tracking number, typed in any case", async () => {
    expect(await ids(A, "skj-fd-2569-00002")).toEqual(idOf(somsriCafe));
    expect(await ids(A, "SKJ-HH-2569-00003")).toEqual(idOf(somchaiGarage));
  });
  it("finds a case by its whole tracking number however many newer cases share the number's words", async () => {
    // 20 cases "OLD-…": at a limit of 2, the words "old" and the number's were read only in the newest 8 cases.
    const many = Array.from({ length: 20 }, (_, i) => c(A, `OLD-${String(i).padStart(5, "0")}`, "ผู้ยื่น", ""));
    await indexCaseForSearch(many);
    expect(await searchCaseIds(A, "old-00000", 2)).toEqual({ ids: idOf(many[0]!), capped: false });
    expect(await searchCaseIds(A, "OLD-00003", 2)).toEqual({ ids: idOf(many[3]!), capped: false });
    // Part of a number is still words, each a prefix: "OLD-0001" is OLD-00010 … OLD-00019, capped at 2.
    expect(await searchCaseIds(A, "OLD-0001", 2)).toEqual({ ids: [many[19]!, many[18]!].map((x) => String(x._id)), capped: true });
  });
  it("finds by Thai words of the name or the business, as prefixes, within the agency only", async () => {
    expect(await ids(A, "สมชาย")).toEqual(idOf(somchaiNoodles, somchaiGarage));
    expect(await ids(A, "สม")).toEqual(idOf(somchaiNoodles, somsriCafe, somchaiGarage));
    expect(await ids(A, "ก๋วยเตี๋ยว")).toEqual(idOf(somchaiNoodles));
    expect(await ids(B, "สมชาย")).toEqual(idOf(otherAgency));
  });
  it("requires every word, and matches Latin words whatever their case", async () => {
    expect(await ids(A, "สมชาย อู่")).toEqual(idOf(somchaiGarage));
    expect(await ids(A, "somsri CAFE")).toEqual(idOf(somsriCafe));
    expect(await ids(A, "สมชาย cafe")).toEqual([]);
    expect(await ids(A, "   ")).toEqual([]);
  });
  it("lists only the found cases that pass the inbox's filter", async () => {
    // The search returns ids; cases that do not exist (words written before a failed filing) are left out.
    const { rows, total } = await listInboxAmong(await ids(A, "สมชาย"), { agencyId: A, status: "active" });
    expect({ rows, total }).toEqual({ rows: [], total: 0 });
  });
  it("forgets the name and the subject with the personal data, keeping the tracking number", async () => {
    await unindexCaseForSearch(somsriCafe);
    expect(await ids(A, "somsri")).toEqual([]);
    expect(await ids(A, "SKJ-FD-2569-00002")).toEqual(idOf(somsriCafe));
  });
});
