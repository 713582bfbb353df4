import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { applyAccountPrefill } from "~/core/forms/account-prefill";
import { listAnswers } from "~/core/forms/answers";

const petition = JSON.parse(readFileSync("schemas/services/general-petition.form.json", "utf8")) as unknown;
const account = { name: "สมชาย ใจดี", email: "somchai@example.test" };

describe("the signed-in account fills e-mail and name", () => {
  it("fills the empty fields marked x-prefill email and name", () => {
    const { data, filled } = applyAccountPrefill(petition, {}, account);
    expect(data).toEqual({ complainant: { fullName: "สมชาย ใจดี", email: "somchai@example.test" } });
    expect(filled).toEqual(["/complainant/fullName", "/complainant/email"]);
  });

  it("keeps what is there already (a draft, a verified claim)", () => {
    const { data, filled } = applyAccountPrefill(petition, { complainant: { fullName: "นางสาวมาลี ศรีสุข", email: "" } }, account);
    expect(data).toEqual({ complainant: { fullName: "นางสาวมาลี ศรีสุข", email: "somchai@example.test" } });
    expect(filled).toEqual(["/complainant/email"]);
  });

  it("leaves a form without such fields alone", () => {
    expect(applyAccountPrefill({ type: "object", properties: { email: { type: "string" } } }, {}, account)).toEqual({ data: {}, filled: [] });
  });
});

describe("check your answers lists answered fields in words", () => {
  const data = {
    complainant: { anonymous: false, fullName: "สมชาย ใจดี", mobile: "0812345678", address: { line: "99/1", subdistrict: "บางกระสอ", district: "เมืองนนทบุรี", province: "นนทบุรี", postcode: "11000" } },
    complaint: { subject: "ไฟดับ", category: "light", details: "ไฟดับทั้งซอย", incidentDate: "2026-12-01" },
    attachments: { file1: "upload:0123456789abcdef0123456789abcdef" },
    consent: true,
  };

  it("shows choices by label, dates in the Thai form, addresses on one line and files as files", () => {
    const answers = Object.fromEntries(listAnswers(petition, data, "th").map((a) => [a.pointer, a]));
    expect(answers["/complaint/category"].lines).toEqual(["ไฟฟ้าสาธารณะ/ไฟส่องสว่างดับหรือชำรุด"]);
    expect(answers["/complaint/incidentDate"].lines).toEqual(["1 ธันวาคม 2569"]);
    expect(answers["/complainant/mobile"].lines).toEqual(["081-234-5678"]);
    expect(answers["/complainant/address"].lines).toEqual(["99/1 บางกระสอ เมืองนนทบุรี นนทบุรี 11000"]);
    expect(answers["/attachments/file1"].files).toEqual(["upload:0123456789abcdef0123456789abcdef"]);
    expect(answers["/consent"].lines).toEqual(["ยืนยันแล้ว"]);
    expect(answers["/complainant/email"]).toBeUndefined();
  });

  it("speaks English in English", () => {
    const answers = Object.fromEntries(listAnswers(petition, data, "en").map((a) => [a.pointer, a]));
    expect(answers["/complaint/category"]).toMatchObject({ title: "Type of matter", lines: ["Street lights out or damaged"] });
    expect(answers["/complainant/anonymous"].lines).toEqual(["No"]);
  });
});
