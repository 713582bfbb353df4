/**
 * How heavy the studio's in-browser checks are: the verifier the Verify tab counts live as the admin edits
 * (meta-schemas + xstate/graph on the real machine), and the form builder's field listing — on the largest
 * OPDC template and on a synthetic service with many steps and fields. Pure code, no database.
 *
 *   npx tsx bench/studio.ts      → prints a table and writes bench/results/studio.md
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ServiceDefinition } from "~/core/definitions/types";
import { verifyServiceDefinition } from "~/core/definitions/verify-definition";
import { addField, listBuilderFields } from "~/core/studio/form-builder";
import { insertStateBetween } from "~/core/studio/workflow-builder";
import { repositoryDefinition } from "../test/support/definitions";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ROLES = ["officer", "inspector", "approver", "cashier"];

function timeIt(run: () => void, budgetMs = 3000): { runs: number; p50: number; p95: number } {
  const samples: number[] = [];
  const end = performance.now() + budgetMs;
  while (performance.now() < end || samples.length < 5) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { runs: samples.length, p50: at(0.5), p95: at(0.95) };
}

/** The health-hazard template grown by `extraSteps` inserted steps and `extraFields` text fields. */
function grown(extraSteps: number, extraFields: number): ServiceDefinition {
  const def = repositoryDefinition("health-hazard-licence");
  let workflow = def.workflow;
  for (let i = 0; i < extraSteps; i++) {
    workflow = insertStateBetween(workflow, "inspection", "RECORD_INSPECTION", { label: { th: `ตรวจ ${i}`, en: `Check ${i}` }, slaDays: 0 }, { label: { th: `ผ่าน ${i}`, en: `Pass ${i}` }, roles: ["inspector"] });
  }
  let form = def.form as { schema: Record<string, unknown>; uiSchema: Record<string, unknown> };
  for (let i = 0; i < extraFields; i++) form = addField(form, "/business", "text", { label: { th: `ช่อง ${i}`, en: `Field ${i}` } }).form;
  return { ...def, workflow, form: form as ServiceDefinition["form"] };
}

const describe = (def: ServiceDefinition) => `${Object.keys(def.workflow.states).length} steps, ${listBuilderFields(def.form as never).length} fields`;
const cases: [string, ServiceDefinition][] = [
  ["health-hazard template", repositoryDefinition("health-hazard-licence")],
  ["grown", grown(20, 100)],
  ["grown", grown(60, 300)],
].map(([name, def]) => [`${name as string} (${describe(def as ServiceDefinition)})`, def as ServiceDefinition]);

const rows: string[] = [];
for (const [name, def] of cases) {
  const verify = timeIt(() => verifyServiceDefinition(def, { agencyRoles: ROLES }));
  const fields = timeIt(() => listBuilderFields(def.form as never));
  rows.push(`| ${name} | ${verify.p50.toFixed(1)} / ${verify.p95.toFixed(1)} ms | ${fields.p50.toFixed(2)} / ${fields.p95.toFixed(2)} ms |`);
}
const table = [
  `Studio checks (Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; p50 / p95)`,
  "",
  "| definition | verify (meta-schemas + xstate/graph) | form builder field list |",
  "|---|---|---|",
  ...rows,
  "",
].join("\n");
console.log(table);
writeFileSync(path.join(ROOT, "bench/results/studio.md"), table);
