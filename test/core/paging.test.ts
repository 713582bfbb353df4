import { describe, expect, it } from "vitest";
import { pageItems } from "~/core/paging";

describe("pageItems", () => {
  it("shows every page when there are few", () => {
    expect(pageItems(1, 1)).toEqual([1]);
    expect(pageItems(2, 4)).toEqual([1, 2, 3, 4]);
  });
  it("keeps the first, the last and the current page's neighbours, with an ellipsis for the gaps", () => {
    expect(pageItems(5, 20)).toEqual([1, "…", 4, 5, 6, "…", 20]);
    expect(pageItems(1, 20)).toEqual([1, 2, "…", 20]);
    expect(pageItems(20, 20)).toEqual([1, "…", 19, 20]);
  });
  it("shows a single left-out page instead of an ellipsis standing for it", () => {
    expect(pageItems(4, 20)).toEqual([1, 2, 3, 4, 5, "…", 20]);
    expect(pageItems(17, 20)).toEqual([1, "…", 16, 17, 18, 19, 20]);
  });
});
