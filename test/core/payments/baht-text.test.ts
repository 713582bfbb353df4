import { describe, expect, it } from "vitest";
import { bahtText, thaiNumberText } from "~/core/payments/baht-text";

describe("amounts in Thai words", () => {
  it("reads whole baht with ถ้วน and satang after บาท", () => {
    expect(bahtText(2100)).toBe("ยี่สิบเอ็ดบาทถ้วน");
    expect(bahtText(123_450)).toBe("หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์");
    expect(bahtText(0)).toBe("ศูนย์บาทถ้วน");
    expect(bahtText(50)).toBe("ห้าสิบสตางค์");
    expect(bahtText(101)).toBe("หนึ่งบาทหนึ่งสตางค์");
  });

  it("says สิบ, ยี่สิบ and เอ็ด where Thai does", () => {
    expect(thaiNumberText(1)).toBe("หนึ่ง");
    expect(thaiNumberText(10)).toBe("สิบ");
    expect(thaiNumberText(11)).toBe("สิบเอ็ด");
    expect(thaiNumberText(20)).toBe("ยี่สิบ");
    expect(thaiNumberText(101)).toBe("หนึ่งร้อยเอ็ด");
    expect(thaiNumberText(2_000)).toBe("สองพัน");
    expect(thaiNumberText(15_000)).toBe("หนึ่งหมื่นห้าพัน");
    expect(thaiNumberText(250_000)).toBe("สองแสนห้าหมื่น");
  });

  it("repeats ล้าน for millions", () => {
    expect(thaiNumberText(1_000_000)).toBe("หนึ่งล้าน");
    expect(thaiNumberText(1_000_001)).toBe("หนึ่งล้านเอ็ด");
    expect(thaiNumberText(21_000_000)).toBe("ยี่สิบเอ็ดล้าน");
    expect(thaiNumberText(1_000_000_000_000)).toBe("หนึ่งล้านล้าน");
    expect(bahtText(1_234_567_89)).toBe("หนึ่งล้านสองแสนสามหมื่นสี่พันห้าร้อยหกสิบเจ็ดบาทแปดสิบเก้าสตางค์");
  });

  it("refuses fractions of a satang", () => {
    expect(() => bahtText(1.5)).toThrow(RangeError);
  });
});
