import { describe, expect, it } from "vitest";
import { checkCorrections, unchangedCorrections } from "~/core/cases/case-rules";

const stored = { business: { name: "ร้านเดิม", area: 40 }, documents: { siteMap: "data:application/pdf;base64,AAA" } };
const titleOf = (pointer: string) => ({ th: `ช่อง ${pointer}`, en: `field ${pointer}` });

describe("corrections asked for by an officer", () => {
  it("finds the requested items left exactly as they were", () => {
    const corrected = { ...stored, business: { ...stored.business, area: 45 } };
    expect(unchangedCorrections(stored, corrected, ["/business/area", "/documents/siteMap"])).toEqual(["/documents/siteMap"]);
    // A field that was empty and stays empty is unchanged too.
    expect(unchangedCorrections({}, { note: undefined }, ["/note"])).toEqual(["/note"]);
  });

  it("refuses an unchanged item without a reason, naming it in Thai and English", () => {
    const { errors, kept } = checkCorrections(stored, stored, ["/documents/siteMap"], {}, titleOf);
    expect(kept).toEqual([]);
    expect(errors).toEqual([
      {
        pointer: "/documents/siteMap",
        message: {
          th: expect.stringContaining("ยังไม่ได้แก้ไข “ช่อง /documents/siteMap”"),
          en: expect.stringContaining("You have not changed “field /documents/siteMap”"),
        },
      },
    ]);
    // A reason of a character or two is no reason.
    expect(checkCorrections(stored, stored, ["/documents/siteMap"], { "/documents/siteMap": " ok " }, titleOf).errors).toHaveLength(1);
  });

  it("accepts an unchanged item with the applicant's reason, and ignores reasons for changed items", () => {
    const corrected = { ...stored, business: { ...stored.business, name: "ร้านใหม่" } };
    const { errors, kept } = checkCorrections(
      stored,
      corrected,
      ["/business/name", "/documents/siteMap"],
      { "/documents/siteMap": "  แผนที่ถูกต้องแล้ว ดูหน้า 2  ", "/business/name": "ไม่เกี่ยว" },
      titleOf,
    );
    expect(errors).toEqual([]);
    expect(kept).toEqual([{ pointer: "/documents/siteMap", reason: "แผนที่ถูกต้องแล้ว ดูหน้า 2" }]);
  });
});
