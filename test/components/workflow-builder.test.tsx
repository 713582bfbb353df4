import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { repositoryDefinition } from "../support/definitions";
import { WorkflowBuilder } from "~/components/studio/WorkflowBuilder";
import { WorkflowDiagram } from "~/components/WorkflowDiagram";
import type { WorkflowConfig } from "~/core/workflow/types";

const HEALTH_HAZARD: WorkflowConfig = repositoryDefinition("health-hazard-licence").workflow;

const FIELDS = [
  { pointer: "/business/areaSqm", title: "พื้นที่ประกอบการ (ตร.ม.)" },
  { pointer: "/business/activity", title: "ประเภทกิจการ", options: { salon: "ร้านเสริมสวย", spa: "สปา" } },
];

/** The real workflow with a guarded choice in the decision step, to show the condition editor. */
function withGuard(): WorkflowConfig {
  const wf = structuredClone(HEALTH_HAZARD);
  wf.states.decision.on = {
    ...wf.states.decision.on,
    LARGE_SITE: {
      target: "inspection",
      guard: { type: "fieldGreaterThan", params: { field: "/business/areaSqm", value: 200 } },
      meta: { roles: ["approver"], label: { th: "สถานที่ใหญ่ ตรวจเพิ่ม", en: "Large site — inspect again" } },
    },
    BY_KIND: [
      {
        target: "rejected",
        guard: { type: "fieldIn", params: { field: "/business/activity", values: ["spa"] } },
        meta: { roles: ["approver"], label: { th: "ไม่อนุญาตสปา", en: "No spas" } },
      },
      { target: "awaitingFee", meta: { roles: ["approver"], label: { th: "อื่น ๆ", en: "Others" } } },
    ],
  };
  return wf;
}

const render = (props: Partial<Parameters<typeof WorkflowBuilder>[0]> = {}) =>
  renderToStaticMarkup(
    <WorkflowBuilder
      workflow={HEALTH_HAZARD}
      lang="th"
      staffRoles={["officer", "inspector", "approver"]}
      formFields={FIELDS}
      issuesPermit
      onChange={() => undefined}
      {...props}
    />,
  );

/** The opening tag of the element with a data-testid (first one from `from`). */
function tag(html: string, testId: string): string {
  const at = html.indexOf(`data-testid="${testId}"`);
  expect(at, testId).toBeGreaterThan(-1);
  return html.slice(html.lastIndexOf("<", at), html.indexOf(">", at) + 1);
}

/** The markup of one transition block (up to the next block or the add form). */
function block(html: string, event: string): string {
  const start = html.indexOf(`data-testid="wb-transition-${event}"`);
  expect(start, `block for ${event}`).toBeGreaterThan(-1);
  const rest = html.slice(start);
  const end = rest.indexOf("</article>");
  return rest.slice(0, end);
}

describe("WorkflowBuilder", () => {
  it("starts on the starting step, with a clickable diagram and the step's fields", () => {
    const html = render();
    expect(html).toContain('data-testid="wb-diagram"');
    expect(html).toMatch(/<g data-state="completenessCheck" data-kind="initial" data-selected="true"[^>]*role="button"[^>]*tabindex="0"/);
    expect(html).toMatch(/<g data-state="inspection"[^>]*role="button"[^>]*tabindex="0"/);
    expect(tag(html, "wb-state-label-th")).toContain('value="ตรวจสอบความครบถ้วนของคำขอและเอกสาร"');
    expect(tag(html, "wb-state-label-en")).toContain('value="Completeness check"');
    expect(tag(html, "wb-state-sla")).toMatch(/<input type="number".*value="1"/);
    expect(html).toMatch(/<select[^>]*data-testid="wb-state-select"/);
    expect(html).toContain('<option value="completenessCheck" selected="">');
    for (const id of ["wb-state-final", "wb-state-outcome", "wb-state-remove", "wb-add-state-label-th", "wb-add-state-label-en", "wb-add-state-sla", "wb-add-state-submit", "wb-add-tr-label-th", "wb-add-tr-label-en", "wb-add-tr-target", "wb-add-tr-role-officer", "wb-add-tr-submit"]) {
      expect(html, id).toContain(`data-testid="${id}"`);
    }
    // Roles offered: the applicant and the agency's staff roles, nothing else.
    expect(html).toContain('data-testid="wb-add-tr-role-applicant"');
    expect(html).not.toContain('data-testid="wb-add-tr-role-cashier"');
    expect(html).not.toContain('role="alert"');
  });

  it("lists the selected step's outgoing transitions with catalogue labels in Thai", () => {
    const html = render();
    const accept = block(html, "ACCEPT");
    expect(accept).toContain("คำขอครบถ้วน ส่งตรวจสถานที่");
    expect(accept).toContain("ตรวจสถานประกอบกิจการ"); // the target step's name
    expect(accept).toContain("เจ้าหน้าที่");
    expect(accept).toContain("<span>แจ้งผู้ยื่นคำขอ</span>");
    expect(accept).toContain('value="คำขอของท่านครบถ้วนและอยู่ระหว่างนัดตรวจสถานที่"');
    expect(accept).toContain('data-testid="wb-insert-step"');
    expect(accept).toContain('<option value="inspection" selected="">');
    const missing = block(html, "REQUEST_MISSING");
    expect(missing).toContain("<span>ขอเอกสาร/ข้อมูลเพิ่มเติม</span>");
    expect(tag(missing, "wb-tr-comment")).toContain('checked=""');
    expect(tag(accept, "wb-tr-comment")).not.toContain("checked");
    expect(html).not.toContain('data-testid="wb-transition-APPROVE"');
    // Catalogue names are offered by their labels, not their ids.
    expect(html).toContain(">ค่าในช่องมากกว่า</option>");
    expect(html).toContain(">ออกหนังสือแจ้งผล</option>");
    expect(html).not.toMatch(/>fieldGreaterThan</);
    expect(html).not.toMatch(/>notifyApplicant</);
  });

  it("lists the other actions as four-eyes checkboxes, ticked where the rule names them", () => {
    const approve = block(render({ initialSelection: "decision" }), "APPROVE");
    expect(approve).toContain("ต้องทำโดยผู้อื่นที่ไม่ใช่ผู้ที่…");
    expect(tag(approve, "wb-tr-four-eyes-RECORD_INSPECTION")).toContain('checked=""');
    expect(tag(approve, "wb-tr-four-eyes-ACCEPT")).toContain('checked=""');
    expect(tag(approve, "wb-tr-four-eyes-FEE_PAID")).not.toContain("checked");
    expect(approve).toContain("บันทึกผลการตรวจ เสนอพิจารณา");
    expect(approve).not.toContain('data-testid="wb-tr-four-eyes-APPROVE"');
    const reject = block(render({ lang: "en", initialSelection: "decision" }), "REJECT");
    expect(reject).toContain("Must be done by someone other than whoever did…");
    expect(tag(reject, "wb-tr-four-eyes-RECORD_INSPECTION")).not.toContain("checked");
  });

  it("shows another step's transitions, guards and actions in English", () => {
    const html = render({ lang: "en", workflow: withGuard(), initialSelection: "decision" });
    expect(html).toContain('<option value="decision" selected="">');
    const approve = block(html, "APPROVE");
    expect(approve).toContain("Approve — ask for the fee");
    expect(approve).toContain("<span>Issue the result letter</span>");
    expect(approve).toContain('<option value="approval" selected="">Approval</option>');
    expect(approve).toContain("<span>Notify the applicant</span>");
    expect(approve).toContain("Approver");
    const large = block(html, "LARGE_SITE");
    expect(large).toContain('<option value="fieldGreaterThan" selected="">Field greater than</option>');
    expect(large).toContain('<option value="/business/areaSqm" selected="">พื้นที่ประกอบการ (ตร.ม.)</option>');
    expect(tag(large, "wb-tr-guard-value")).toMatch(/<input type="number".*value="200"/);
    // Guarded alternatives of one event are separate blocks; option fields get a checkbox list.
    const spa = block(html, "BY_KIND");
    expect(spa).toContain('<option value="fieldIn" selected="">Field is one of</option>');
    expect(spa).toMatch(/<input type="checkbox" checked=""\/>สปา/);
    expect(spa).toMatch(/<input type="checkbox"\/>ร้านเสริมสวย/);
    expect(spa).toContain("Branch 1");
    expect(block(html, "BY_KIND-1")).toContain("Branch 2");
    // The permit action is offered because the service issues permits.
    expect(html).toContain(">Issue the permit</option>");
  });

  it("does not offer issuing a permit when the service issues none", () => {
    const html = render({ lang: "en", issuesPermit: false, initialSelection: "decision" });
    expect(html).not.toContain(">Issue the permit</option>");
    expect(html).toContain(">Record the fee payment</option>");
  });

  it("offers asking for the fee only when the service has fee lines", () => {
    const label = { th: "ค่าธรรมเนียม", en: "Fee" };
    // The decision's APPROVE already runs requestPayment, so look at the list of actions one may add elsewhere.
    const offered = (html: string) => html.includes(">Ask for the fee</option>");
    expect(offered(render({ lang: "en", initialSelection: "inspection", fees: [] }))).toBe(false);
    expect(offered(render({ lang: "en", initialSelection: "inspection", fees: [{ label, amount: 100 }] }))).toBe(true);
  });

  it("shows a final step with its outcome and without the add-transition form", () => {
    const html = render({ lang: "en", initialSelection: "permitIssued" });
    expect(tag(html, "wb-state-final")).toContain('checked=""');
    expect(tag(html, "wb-state-outcome")).not.toContain("disabled");
    expect(html).toContain('<option value="approved" selected="">Approved</option>');
    expect(html).toContain("A final step has no further actions");
    expect(html).not.toContain('data-testid="wb-add-tr-submit"');
  });

  it("renders the same markup every time (server and first client render agree)", () => {
    expect(render({ initialSelection: "decision" })).toBe(render({ initialSelection: "decision" }));
  });

  it("draws the diagram's selection outline without making it interactive when no handler is given", () => {
    const html = renderToStaticMarkup(<WorkflowDiagram config={HEALTH_HAZARD} lang="en" selectedState="decision" />);
    expect(html).toContain('role="img"');
    expect(html).toMatch(/<g data-state="decision" data-kind="normal" data-selected="true"><rect data-selection="true"/);
    expect(html).not.toContain('role="button"');
    expect(html).not.toContain("tabindex");
  });
});
