import { Link } from "@remix-run/react";
import { pageItems } from "~/core/paging";
import type { Lang } from "~/core/text";

const TEXT = {
  th: { nav: "เลือกหน้า", previous: "ก่อนหน้า", next: "ถัดไป", page: (p: number) => `หน้า ${p}`, current: (p: number, n: number) => `หน้า ${p} จาก ${n}` },
  en: { nav: "Pages", previous: "Previous", next: "Next", page: (p: number) => `Page ${p}`, current: (p: number, n: number) => `Page ${p} of ${n}` },
};

/** Previous, numbered pages and next, as links (GOV.UK pagination); nothing when there is one page. */
export function Pagination({ page, pages, linkTo, lang, testId }: { page: number; pages: number; linkTo: (page: number) => string; lang: Lang; testId?: string }) {
  if (pages <= 1) return null;
  const t = TEXT[lang];
  return (
    <nav className="bk-pagination" aria-label={t.nav} data-testid={testId}>
      {page > 1 ? <Link to={linkTo(page - 1)} rel="prev" data-testid="page-previous">‹ {t.previous}</Link> : null}
      <ul>
        {pageItems(page, pages).map((item, i) =>
          item === "…" ? (
            <li key={`gap-${i}`} aria-hidden="true">…</li>
          ) : (
            <li key={item}>
              {item === page ? (
                <span aria-current="page" aria-label={t.current(item, pages)}>{item}</span>
              ) : (
                <Link to={linkTo(item)} aria-label={t.page(item)}>{item}</Link>
              )}
            </li>
          ),
        )}
      </ul>
      {page < pages ? <Link to={linkTo(page + 1)} rel="next" data-testid="page-next">{t.next} ›</Link> : null}
    </nav>
  );
}
