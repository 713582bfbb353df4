import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { WorkflowDiagram } from "~/components/WorkflowDiagram";
import type { DiagramWorkflowConfig } from "~/core/workflow/diagram-layout";

const workflow: DiagramWorkflowConfig = {
  id: "health-hazard-licence",
  initial: "completenessCheck",
  states: {
    completenessCheck: {
      meta: { label: { th: "ตรวจสอบความครบถ้วน", en: "Completeness check" }, slaDays: 1 },
      on: {
        ACCEPT: { target: "inspection", meta: { roles: ["officer"], label: { th: "รับเรื่อง", en: "Accept" } } },
        REQUEST_MISSING: {
          target: "awaitingApplicant",
          meta: { roles: ["officer"], label: { th: "ขอเอกสารเพิ่ม", en: "Request missing items" } },
        },
      },
    },
    awaitingApplicant: {
      meta: { label: { th: "รอผู้ยื่นแก้ไข", en: "Waiting for applicant" }, pausesSla: true },
      on: {
        RESUBMIT: {
          target: "completenessCheck",
          meta: { roles: ["applicant"], label: { th: "ยื่นแก้ไข", en: "Resubmit" } },
        },
      },
    },
    inspection: {
      meta: { label: { th: "ตรวจสถานประกอบการ", en: "Site inspection" }, slaDays: 10 },
      on: {
        APPROVE: [
          {
            target: "permitIssued",
            guard: { type: "fieldEquals" },
            meta: { roles: ["approver"], label: { th: "อนุมัติ", en: "Approve" } },
          },
          { target: "rejected", meta: { roles: ["approver"], label: { th: "ไม่อนุมัติ", en: "Reject" } } },
        ],
      },
    },
    permitIssued: {
      type: "final",
      meta: { label: { th: "ออกใบอนุญาตแล้ว", en: "Permit issued" }, outcome: "approved" },
    },
    rejected: { type: "final", meta: { label: { th: "ไม่อนุญาต", en: "Rejected" }, outcome: "rejected" } },
  },
};

/** A label line as drawn: all but a group's last line end with a space, so the group reads as separate words. */
const shown = (text: string) => new RegExp(`>${text} ?</text>`);

const render = (props: Partial<Parameters<typeof WorkflowDiagram>[0]> = {}) =>
  renderToStaticMarkup(<WorkflowDiagram config={workflow} lang="th" {...props} />);

describe("WorkflowDiagram", () => {
  it("renders an accessible SVG with every step and action label", () => {
    const html = render({ title: "ใบอนุญาตกิจการที่เป็นอันตรายต่อสุขภาพ" });
    expect(html.startsWith("<svg")).toBe(true);
    expect(html).toContain('role="img"');
    expect(html).toContain("<title>ใบอนุญาตกิจการที่เป็นอันตรายต่อสุขภาพ</title>");
    expect(html).toMatch(/viewBox="0 0 \d+ \d+"/);
    for (const text of ["ตรวจสอบความครบถ้วน", "รอผู้ยื่นแก้ไข", "ตรวจสถานประกอบการ", "ออกใบอนุญาตแล้ว", "ไม่อนุญาต"]) {
      expect(html).toMatch(shown(text));
    }
    for (const text of ["รับเรื่อง", "ขอเอกสารเพิ่ม", "ยื่นแก้ไข", "อนุมัติ", "ไม่อนุมัติ"])
      expect(html).toMatch(shown(text));
    expect(html).toContain("ขอเอกสารเพิ่ม · เจ้าหน้าที่"); // roles by their names, never their ids
    expect(html).toContain(">1 วันทำการ</text>");
    expect(html).toContain('font-family="Sarabun, &quot;Noto Sans Thai&quot;, Laksaman, sans-serif"');
  });

  it("lists the steps in its aria-label", () => {
    const html = render({ currentState: "inspection" });
    const aria = /aria-label="([^"]*)"/.exec(html)?.[1] ?? "";
    expect(aria).toContain("1. ตรวจสอบความครบถ้วน");
    expect(aria).toContain("ออกใบอนุญาตแล้ว");
    expect(aria).toContain("ขั้นตอนปัจจุบัน: ตรวจสถานประกอบการ");
  });

  it("marks the current state and tints the visited ones", () => {
    const html = render({ currentState: "inspection", visitedStates: ["completenessCheck", "awaitingApplicant"] });
    expect(html.match(/data-current="true"/g)).toHaveLength(1);
    expect(html).toMatch(/<g data-state="inspection" data-kind="normal" data-current="true"[^>]*aria-current="step"/);
    expect(html).toContain('data-state="completenessCheck" data-kind="initial" data-visited="true"');
    expect(html).toContain('data-state="awaitingApplicant" data-kind="waiting" data-visited="true"');
    expect(html).not.toContain('data-state="rejected" data-kind="final" data-visited');
  });

  it("draws final states with a double border and guarded transitions dashed", () => {
    const html = render();
    const finalGroup = /<g data-state="permitIssued"[^>]*>(.*?)<\/g>/.exec(html)?.[1] ?? "";
    expect(finalGroup.match(/<rect/g)).toHaveLength(2);
    expect(html).toMatch(/data-edge="inspection:APPROVE:0:permitIssued"[^>]*data-guarded="true"/);
    expect(html).toContain('stroke-dasharray="5 4"');
  });

  it("renders in English", () => {
    const html = render({ lang: "en", currentState: "permitIssued" });
    expect(html).toMatch(shown("Completeness check"));
    expect(html).toContain(">10 working days</text>");
    expect(html).toContain(">1 working day</text>");
    expect(html).toContain("<title>Workflow</title>");
  });

  it("is deterministic, so server and client markup match", () => {
    expect(render({ currentState: "inspection" })).toBe(render({ currentState: "inspection" }));
  });
});
