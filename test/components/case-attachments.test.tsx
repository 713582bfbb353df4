import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { CaseAttachments, type CaseAttachment } from "~/components/CaseAttachments";

const SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

const attachments: CaseAttachment[] = [
  { pointer: "/documents/siteMap", title: "แผนที่ตั้ง", uploadId: "up1", name: "site-map.pdf", size: 2.5 * 1024 * 1024, type: "application/pdf", sha256: SHA },
  { pointer: "/documents/plans/0", title: "แบบแปลน", uploadId: "up2", name: "plan.dwg", size: 3 * 1024 * 1024 * 1024, type: "image/vnd.dwg", sha256: null },
  { pointer: "/documents/photo", title: "ภาพถ่าย", uploadId: "up3", name: "front.jpg", size: 800 * 1024, type: "image/jpeg", sha256: SHA },
  { pointer: "/documents/idCard", title: "บัตรประชาชน", uploadId: null, name: "id.pdf", size: 120 * 1024, type: "application/pdf", sha256: null },
];

const render = (lang: "th" | "en", list = attachments, caseId = "case-42") => renderToStaticMarkup(<CaseAttachments caseId={caseId} attachments={list} lang={lang} />);

const rowOf = (html: string, pointer: string) => new RegExp(`<tr[^>]*data-testid="attachment-${pointer}"[^>]*>(.*?)</tr>`).exec(html)?.[1] ?? "";

describe("CaseAttachments", () => {
  it("lists every attachment with its field, name, size and type", () => {
    const html = render("en");
    expect(html).toContain('data-testid="attachments"');
    const siteMap = rowOf(html, "/documents/siteMap");
    expect(siteMap).toContain("แผนที่ตั้ง");
    expect(siteMap).toContain("site-map.pdf");
    expect(siteMap).toContain("2.5 MB");
    expect(siteMap).toMatch(/title="application\/pdf"[^>]*>PDF</);
    expect(rowOf(html, "/documents/plans/0")).toContain("3 GB");
  });

  it("offers download links to /files/<id>?download=1 and previews for PDF and images only", () => {
    const html = render("en");
    const siteMap = rowOf(html, "/documents/siteMap");
    expect(siteMap).toContain('data-testid="attachment-download" href="/files/up1?download=1"');
    expect(siteMap).toContain('data-testid="attachment-preview"');
    expect(rowOf(html, "/documents/photo")).toContain('data-testid="attachment-preview"');
    const plan = rowOf(html, "/documents/plans/0");
    expect(plan).toContain('href="/files/up2?download=1"');
    expect(plan).not.toContain("attachment-preview");
  });

  it("shows the SHA-256 shortened, with the full value in its title and a copy button", () => {
    const siteMap = rowOf(render("th"), "/documents/siteMap");
    expect(siteMap).toContain(`title="${SHA}"`);
    expect(siteMap).toContain("9f86d081…b0f00a08");
    expect(siteMap).toContain("คัดลอก");
    expect(rowOf(render("th"), "/documents/plans/0")).toContain("—");
  });

  it("names each copy button starting with the words it shows (WCAG 2.5.3), in both languages", () => {
    for (const [lang, shown] of [["th", "คัดลอก"], ["en", "Copy"]] as const) {
      const button = /<button[^>]*aria-label="([^"]*)"[^>]*>([^<]*)<\/button>/.exec(rowOf(render(lang), "/documents/siteMap"));
      expect(button?.[2]).toBe(shown);
      // As a whole word: assistive technology (and axe) match words, and Thai runs words together without spaces.
      expect(button?.[1]).toMatch(new RegExp(`^${shown}[\\s:]`));
      expect(button?.[1]).toContain("site-map.pdf");
    }
  });

  it("lists an old embedded file without preview or download", () => {
    const idCard = rowOf(render("th"), "/documents/idCard");
    expect(idCard).toContain("id.pdf");
    expect(idCard).toContain("120 KB");
    expect(idCard).toContain("รูปแบบเดิม");
    expect(idCard).not.toContain("attachment-download");
    expect(idCard).not.toContain("attachment-preview");
  });

  it("links every attachment of the case as one zip", () => {
    expect(render("en")).toContain('data-testid="attachments-zip" href="/cases/case-42/attachments.zip"');
    expect(render("en")).toContain("Download all (ZIP)");
    expect(render("th")).toContain("ดาวน์โหลดทั้งหมด (ZIP)");
    expect(render("en", attachments, "a/b")).toContain('href="/cases/a%2Fb/attachments.zip"');
  });

  it("renders the preview dialog closed and empty on the server", () => {
    const html = render("en");
    expect(html).toMatch(/<dialog[^>]*data-testid="attachment-viewer"/);
    expect(html).not.toMatch(/<dialog[^>]*\sopen/);
    expect(html).not.toContain("<iframe");
  });

  it("says so when there are no attachments", () => {
    const html = render("th", []);
    expect(html).toContain("ไม่มีเอกสารแนบ");
    expect(html).not.toContain("attachments-zip");
  });
});
