import { describe, expect, it } from "vitest";
import {
  estimateTextWidth,
  layoutWorkflow,
  wrapText,
  type DiagramNode,
  type DiagramWorkflowConfig,
} from "~/core/workflow/diagram-layout";

const label = (th: string, en: string) => ({ th, en });

/** A realistic licence workflow: a loop back to the applicant, a guarded choice, two ends. */
const licenceWorkflow: DiagramWorkflowConfig = {
  id: "health-hazard-licence",
  initial: "completenessCheck",
  states: {
    completenessCheck: {
      meta: { label: label("ตรวจสอบความครบถ้วน", "Completeness check"), slaDays: 1 },
      on: {
        ACCEPT: { target: "inspection", meta: { roles: ["officer"], label: label("รับเรื่อง", "Accept") } },
        REQUEST_MISSING: {
          target: "awaitingApplicant",
          actions: [{ type: "requestMissingItems" }],
          meta: { roles: ["officer"], label: label("ขอเอกสารเพิ่ม", "Request missing items"), commentRequired: true },
        },
        ADD_NOTE: { actions: [{ type: "addNote" }], meta: { roles: ["officer"], label: label("บันทึก", "Note") } },
      },
    },
    awaitingApplicant: {
      meta: { label: label("รอผู้ยื่นแก้ไข", "Waiting for applicant"), pausesSla: true },
      on: {
        RESUBMIT: {
          target: "completenessCheck",
          meta: { roles: ["applicant"], label: label("ยื่นแก้ไข", "Resubmit") },
        },
      },
    },
    inspection: {
      meta: { label: label("ตรวจสถานประกอบการ", "Site inspection"), slaDays: 10 },
      on: { INSPECTED: "decision" },
    },
    decision: {
      meta: { label: label("พิจารณาอนุญาต", "Decision"), slaDays: 5 },
      on: {
        APPROVE: [
          {
            target: "awaitingFee",
            guard: { type: "fieldEquals", params: { field: "/feeRequired", value: true } },
            meta: { roles: ["approver"], label: label("อนุมัติ (มีค่าธรรมเนียม)", "Approve (fee due)") },
          },
          {
            target: "permitIssued",
            meta: { roles: ["approver"], label: label("อนุมัติ (ไม่มีค่าธรรมเนียม)", "Approve (no fee)") },
          },
        ],
        REJECT: { target: "rejected", meta: { roles: ["approver"], label: label("ไม่อนุมัติ", "Reject") } },
      },
    },
    awaitingFee: {
      meta: { label: label("รอชำระค่าธรรมเนียม", "Awaiting fee"), pausesSla: true },
      on: { FEE_PAID: { target: "permitIssued", meta: { roles: ["officer"], label: label("ชำระแล้ว", "Fee paid") } } },
    },
    permitIssued: { type: "final", meta: { label: label("ออกใบอนุญาตแล้ว", "Permit issued"), outcome: "approved" } },
    rejected: { type: "final", meta: { label: label("ไม่อนุญาต", "Rejected"), outcome: "rejected" } },
  },
};

function overlaps(a: DiagramNode, b: DiagramNode): boolean {
  return Math.abs(a.x - b.x) * 2 < a.width + b.width && Math.abs(a.y - b.y) * 2 < a.height + b.height;
}

describe("layoutWorkflow", () => {
  it("turns every state into a node and every targeted transition into an edge", () => {
    // given a workflow with eight states and nine transitions that have a target
    // when it is laid out
    const layout = layoutWorkflow(licenceWorkflow, "th");
    // then
    expect(layout.nodes.map((n) => n.id).sort()).toEqual(Object.keys(licenceWorkflow.states).sort());
    expect(layout.edges.map((e) => `${e.from}->${e.to}`).sort()).toEqual(
      [
        "completenessCheck->inspection",
        "completenessCheck->awaitingApplicant",
        "awaitingApplicant->completenessCheck",
        "inspection->decision",
        "decision->awaitingFee",
        "decision->permitIssued",
        "decision->rejected",
        "awaitingFee->permitIssued",
      ].sort()
    );
    expect(new Set(layout.edges.map((e) => e.id)).size).toBe(layout.edges.length);
    for (const e of layout.edges) expect(e.points.length).toBeGreaterThanOrEqual(2);
  });

  it("skips a transition without a target (it only runs actions)", () => {
    const layout = layoutWorkflow(licenceWorkflow, "en");
    expect(layout.edges.some((e) => e.event === "ADD_NOTE")).toBe(false);
  });

  it("labels nodes and edges in the chosen language, with roles, kinds and SLA", () => {
    const layout = layoutWorkflow(licenceWorkflow, "en");
    const node = (id: string) => layout.nodes.find((n) => n.id === id)!;
    expect(node("completenessCheck")).toMatchObject({ label: "Completeness check", kind: "initial", slaDays: 1 });
    expect(node("awaitingApplicant")).toMatchObject({ kind: "waiting" });
    expect(node("permitIssued")).toMatchObject({ kind: "final", outcome: "approved" });
    expect(node("inspection")).toMatchObject({ kind: "normal", slaDays: 10 });
    const request = layout.edges.find((e) => e.event === "REQUEST_MISSING")!;
    expect(request).toMatchObject({ label: "Request missing items", roles: ["officer"], guarded: false });
    // a bare target string still gets an edge, labelled with its event
    expect(layout.edges.find((e) => e.from === "inspection")).toMatchObject({ label: "INSPECTED", roles: [] });
  });

  it("places no two nodes on top of each other, and keeps everything inside the canvas", () => {
    const layout = layoutWorkflow(licenceWorkflow, "th");
    for (const [i, a] of layout.nodes.entries()) {
      for (const b of layout.nodes.slice(i + 1)) expect(overlaps(a, b), `${a.id} overlaps ${b.id}`).toBe(false);
      expect(a.x - a.width / 2).toBeGreaterThanOrEqual(0);
      expect(a.y - a.height / 2).toBeGreaterThanOrEqual(0);
      expect(a.x + a.width / 2).toBeLessThanOrEqual(layout.width);
      expect(a.y + a.height / 2).toBeLessThanOrEqual(layout.height);
    }
  });

  it("gives edge labels their own place, clear of the boxes and of each other", () => {
    const layout = layoutWorkflow(licenceWorkflow, "th");
    const boxes = layout.edges.map((e) => ({
      id: e.id,
      x: e.labelX,
      y: e.labelY,
      width: e.labelWidth,
      height: e.labelHeight,
    }));
    for (const [i, a] of boxes.entries()) {
      for (const n of layout.nodes) expect(overlaps(a as DiagramNode, n), `${a.id} label on ${n.id}`).toBe(false);
      for (const b of boxes.slice(i + 1))
        expect(overlaps(a as DiagramNode, b as DiagramNode), `${a.id} label on ${b.id}`).toBe(false);
    }
  });

  it("draws both alternatives of a guarded transition, marking the guarded one", () => {
    const layout = layoutWorkflow(licenceWorkflow, "en");
    const approve = layout.edges.filter((e) => e.event === "APPROVE");
    expect(approve.map((e) => [e.to, e.guarded])).toEqual([
      ["awaitingFee", true],
      ["permitIssued", false],
    ]);
    expect(approve[0].guardType).toBe("fieldEquals");
  });

  it("starts at the initial state: the start dot is above it", () => {
    const layout = layoutWorkflow(licenceWorkflow, "th");
    const initial = layout.nodes.find((n) => n.kind === "initial")!;
    expect(layout.start).toBeDefined();
    expect(layout.start!.y).toBeLessThan(initial.y - initial.height / 2);
    expect(layout.nodes[0].id).toBe("completenessCheck");
  });

  it("gives the same layout for the same definition", () => {
    expect(layoutWorkflow(licenceWorkflow, "th")).toEqual(layoutWorkflow(structuredClone(licenceWorkflow), "th"));
  });

  it("copes with self-transitions, '#id.state' targets, eventless and delayed transitions, and unknown targets", () => {
    const layout = layoutWorkflow(
      {
        id: "m",
        initial: "a",
        states: {
          a: { on: { PING: "a", GO: "#m.b", LOST: "nowhere" }, always: [{ target: "b", guard: "isUrgent" }] },
          b: { after: { P14D: { target: "c" } } },
          c: { type: "final" },
        },
      },
      "th"
    );
    expect(layout.edges.map((e) => `${e.from}-${e.event}->${e.to}`)).toEqual([
      "a-PING->a",
      "a-GO->b",
      "a-always->b",
      "b-after P14D->c",
    ]);
    expect(layout.edges.find((e) => e.event === "always")).toMatchObject({
      guarded: true,
      guardType: "isUrgent",
      label: "",
    });
    for (const e of layout.edges)
      for (const p of e.points) expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
    expect(layout.nodes.find((n) => n.id === "a")!.label).toBe("a");
  });
});

describe("estimateTextWidth", () => {
  it("gives Thai combining marks no width", () => {
    // given the same consonants with and without vowels above/below and tone marks
    const bare = "ยนแกไข"; // consonants and spacing vowels only
    const marked = "ยื่นแก้ไข"; // + U+0E37 sara uee, U+0E48 mai ek, U+0E49 mai tho
    expect(estimateTextWidth(marked, 14)).toBe(estimateTextWidth(bare, 14));
    for (const mark of ["\u0e31", "\u0e34", "\u0e3a", "\u0e47", "\u0e4e"])
      expect(estimateTextWidth(`ก${mark}`, 14)).toBe(estimateTextWidth("ก", 14));
  });

  it("counts spacing Thai vowels such as sara am and sara aa", () => {
    expect(estimateTextWidth("กำ", 14)).toBeGreaterThan(estimateTextWidth("ก", 14));
    expect(estimateTextWidth("กา", 14)).toBeGreaterThan(estimateTextWidth("ก", 14));
  });

  it("makes a wider box for a longer label", () => {
    const layout = layoutWorkflow(licenceWorkflow, "th");
    const width = (id: string) => layout.nodes.find((n) => n.id === id)!.width;
    expect(width("completenessCheck")).toBeGreaterThan(width("rejected"));
    expect(estimateTextWidth("ตรวจสอบความครบถ้วน", 15)).toBeGreaterThan(estimateTextWidth("ไม่อนุญาต", 15));
  });
});

describe("wrapText", () => {
  it("breaks a long label at spaces only, keeping each line within the width", () => {
    const text = "ยืนยันการชำระค่าธรรมเนียม ออกใบอนุญาต และแจ้งผู้ขออนุญาต";
    const lines = wrapText(text, 12.5, 170);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join(" ")).toBe(text);
    for (const line of lines) expect(estimateTextWidth(line, 12.5)).toBeLessThanOrEqual(170);
  });

  it("keeps a label without spaces on one line, and makes its box taller when a label wraps", () => {
    expect(wrapText("รอผู้ขออนุญาตแก้ไขหรือส่งเอกสารเพิ่มเติมให้ครบถ้วนตามที่ระบุ", 15, 100)).toHaveLength(1);
    const long = "ตรวจสอบความครบถ้วน ของคำขอและเอกสารประกอบ ที่ผู้ขออนุญาตยื่นมาทั้งหมด";
    const layout = layoutWorkflow(
      { initial: "a", states: { a: { meta: { label: long } }, b: { meta: { label: "สั้น" } } } },
      "th"
    );
    const [a, b] = layout.nodes;
    expect(a.labelLines.length).toBeGreaterThan(1);
    expect(a.height).toBeGreaterThan(b.height);
  });
});
