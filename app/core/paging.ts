/**
 * The page numbers a pagination shows (GOV.UK pattern): the first and last, the current one and its
 * neighbours, and an ellipsis wherever numbers are left out. `[1, "…", 4, 5, 6, "…", 20]` for page 5 of 20.
 */
export function pageItems(current: number, pages: number): (number | "…")[] {
  if (pages <= 1) return [1];
  const shown = new Set([1, pages, current - 1, current, current + 1].filter((p) => p >= 1 && p <= pages));
  const sorted = [...shown].sort((a, b) => a - b);
  const items: (number | "…")[] = [];
  for (const page of sorted) {
    const previous = items[items.length - 1];
    // A gap of one page shows that page rather than an ellipsis standing for it.
    if (typeof previous === "number" && page - previous === 2) items.push(previous + 1);
    else if (typeof previous === "number" && page - previous > 2) items.push("…");
    items.push(page);
  }
  return items;
}
