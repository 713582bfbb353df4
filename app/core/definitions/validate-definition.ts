import Ajv, { type ErrorObject } from "ajv";
import formMeta from "../../../schemas/meta/form.schema.json";
import localizedTextMeta from "../../../schemas/meta/localized-text.schema.json";
import manifestMeta from "../../../schemas/meta/manifest.schema.json";
import uiMeta from "../../../schemas/meta/ui.schema.json";
import workflowMeta from "../../../schemas/meta/workflow.schema.json";
import { schemaAt, toPointer } from "../json-pointer";
import { ACTIONS, GUARDS, isActionName } from "../workflow/catalogue";
import { eventNamesOf, transitionsOf, type WorkflowConfig } from "../workflow/types";
import type { DefinitionIssue, ServiceDefinition } from "./types";

const metaAjv = new Ajv({ allErrors: true, strict: false });
metaAjv.addSchema(localizedTextMeta);
const checkManifest = metaAjv.compile(manifestMeta);
const checkWorkflow = metaAjv.compile(workflowMeta);
const checkForm = metaAjv.compile(formMeta);
const checkUi = metaAjv.compile(uiMeta);
const paramCheckers = new Map<string, ReturnType<typeof metaAjv.compile>>();
function paramsChecker(kind: string, name: string, schema: object) {
  const key = `${kind}:${name}`;
  if (!paramCheckers.has(key)) paramCheckers.set(key, metaAjv.compile(schema));
  return paramCheckers.get(key)!;
}

/** Where each part of a definition came from, for messages ("schemas/services/x.form.json"). */
export type DefinitionFiles = { manifest: string; form: string; ui: string; workflow: string };

function fromAjv(file: string, errors: ErrorObject[] | null | undefined, prefix = ""): DefinitionIssue[] {
  return (errors ?? [])
    .filter((e) => e.keyword !== "if")
    .map((e) => {
      const path = prefix + (e.instancePath || "");
      const extra = e.keyword === "additionalProperties" ? ` '${String(e.params.additionalProperty)}'` : "";
      const allowed = e.keyword === "enum" ? `: ${(e.params.allowedValues as unknown[]).join(", ")}` : "";
      return {
        severity: "error" as const,
        file,
        path: path || "/",
        message: {
          th: `ไม่ถูกต้องตามโครงสร้าง: ${e.message ?? e.keyword}${extra}${allowed}`,
          en: `Does not match the meta-schema: ${e.message ?? e.keyword}${extra}${allowed}`,
        },
      };
    });
}

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Property names must be identifiers: MongoDB/FerretDB refuse `$`/`.` keys and pointers stay simple. */
function checkPropertyNames(file: string, node: unknown, path: (string | number)[], out: DefinitionIssue[]) {
  if (!node || typeof node !== "object") return;
  if (Array.isArray(node)) {
    node.forEach((child, i) => checkPropertyNames(file, child, [...path, i], out));
    return;
  }
  const record = node as Record<string, unknown>;
  if (record.properties && typeof record.properties === "object") {
    for (const name of Object.keys(record.properties)) {
      if (!IDENTIFIER.test(name)) {
        out.push({
          severity: "error",
          file,
          path: toPointer([...path, "properties", name]),
          message: {
            th: `ชื่อช่อง "${name}" ต้องขึ้นต้นด้วยตัวอักษรและมีเฉพาะ A-Z a-z 0-9 _`,
            en: `Field name "${name}" must start with a letter and use only A-Z a-z 0-9 _`,
          },
        });
      }
    }
  }
  for (const [key, child] of Object.entries(record)) checkPropertyNames(file, child, [...path, key], out);
}

function checkWorkflowSemantics(def: ServiceDefinition, files: DefinitionFiles, out: DefinitionIssue[]) {
  const wf: WorkflowConfig = def.workflow;
  const file = files.workflow;
  const err = (path: string, th: string, en: string) => out.push({ severity: "error", file, path, message: { th, en } });
  if (!wf.states[wf.initial]) err("/initial", `ไม่มีขั้นตอนเริ่มต้น "${wf.initial}"`, `Initial state "${wf.initial}" does not exist`);
  const usedRoles = new Set<string>();
  const events = eventNamesOf(wf);
  for (const [stateName, state] of Object.entries(wf.states)) {
    if (state.type === "final" && state.on && Object.keys(state.on).length > 0) {
      err(`/states/${stateName}/on`, "ขั้นตอนสุดท้ายต้องไม่มีการดำเนินการต่อ", "A final state cannot have transitions");
    }
    for (const [eventType, transition] of Object.entries(state.on ?? {})) {
      const list = Array.isArray(transition) ? transition : [transition];
      list.forEach((t, index) => {
        const base = `/states/${stateName}/on/${eventType}${Array.isArray(transition) ? `/${index}` : ""}`;
        if (!wf.states[t.target]) {
          err(`${base}/target`, `ไม่มีขั้นตอนปลายทาง "${t.target}"`, `Target state "${t.target}" does not exist`);
        }
        for (const role of t.meta.roles) {
          usedRoles.add(role);
          if (role !== "applicant" && !def.manifest.roles.includes(role)) {
            err(
              `${base}/meta/roles`,
              `บทบาท "${role}" ไม่ได้ประกาศไว้ใน roles ของบริการ`,
              `Role "${role}" is not declared in the service's roles`,
            );
          }
        }
        (t.meta.differentActorFrom ?? []).forEach((other, i) => {
          if (events.includes(other)) return;
          err(
            `${base}/meta/differentActorFrom/${i}`,
            `ผู้ดำเนินการต้องต่างจากผู้ที่ทำ "${other}" แต่ขั้นตอนงานไม่มีการดำเนินการชื่อนี้ (มี: ${events.join(", ")})`,
            `Must differ from whoever did "${other}", but the workflow has no action of that name (it has: ${events.join(", ")})`,
          );
        });
        if (t.guard) {
          const guard = GUARDS[t.guard.type];
          if (!guard) {
            err(`${base}/guard/type`, `ไม่รู้จักเงื่อนไข "${t.guard.type}"`, `Unknown guard "${t.guard.type}" (catalogue: ${Object.keys(GUARDS).join(", ")})`);
          } else {
            const check = paramsChecker("guard", t.guard.type, guard.params);
            if (!check(t.guard.params ?? {})) out.push(...fromAjv(file, check.errors, `${base}/guard/params`));
            else {
              for (const field of guard.fieldsRead(t.guard.params ?? {})) {
                if (!schemaAt(def.form.schema, field)) {
                  err(`${base}/guard/params/field`, `เงื่อนไขอ่านช่อง "${field}" ที่ไม่มีในแบบฟอร์ม`, `Guard reads field "${field}" that the form does not have`);
                }
              }
            }
          }
        }
        (t.actions ?? []).forEach((action, ai) => {
          if (!isActionName(action.type)) {
            err(`${base}/actions/${ai}/type`, `ไม่รู้จักการกระทำ "${action.type}"`, `Unknown action "${action.type}" (catalogue: ${Object.keys(ACTIONS).join(", ")})`);
            return;
          }
          const check = paramsChecker("action", action.type, ACTIONS[action.type].params);
          if (!check(action.params ?? {})) out.push(...fromAjv(file, check.errors, `${base}/actions/${ai}/params`));
          if (action.type === "issuePermit" && !def.manifest.issuesPermit) {
            err(`${base}/actions/${ai}`, "บริการนี้ไม่ได้ออกใบอนุญาต (issuesPermit = false)", "This service does not issue permits (issuesPermit is false)");
          }
        });
      });
    }
  }
  def.manifest.roles.forEach((role, i) => {
    if (!usedRoles.has(role)) {
      out.push({
        severity: "error",
        file: files.manifest,
        path: `/roles/${i}`,
        message: {
          th: `บทบาท "${role}" ไม่มีการดำเนินการใดในขั้นตอนงานที่ใช้ได้`,
          en: `Role "${role}" cannot use any transition of the workflow`,
        },
      });
    }
  });
  if (def.manifest.issuesPermit) {
    const issues = Object.values(wf.states).some((s) => transitionsOf(s).some(([, t]) => t.actions?.some((a) => a.type === "issuePermit")));
    if (!issues) err("/states", "บริการออกใบอนุญาตแต่ไม่มีขั้นตอนใดออกใบอนุญาต (issuePermit)", "The service issues permits but no transition runs issuePermit");
  }
}

function checkManifestPointers(def: ServiceDefinition, files: DefinitionFiles, out: DefinitionIssue[]) {
  const pointers: [string, string][] = [];
  for (const [key, pointer] of Object.entries(def.manifest.summary)) if (pointer) pointers.push([`/summary/${key}`, pointer]);
  def.manifest.documents.forEach((d, i) => d.field && pointers.push([`/documents/${i}/field`, d.field]));
  for (const [key, pointer] of Object.entries(def.manifest.permit?.fields ?? {})) pointers.push([`/permit/fields/${key}`, pointer]);
  if (def.manifest.permit?.renewalOf) pointers.push(["/permit/renewalOf", def.manifest.permit.renewalOf]);
  for (const [path, pointer] of pointers) {
    if (!schemaAt(def.form.schema, pointer)) {
      out.push({
        severity: "error",
        file: files.manifest,
        path,
        message: { th: `อ้างถึงช่อง "${pointer}" ที่ไม่มีในแบบฟอร์ม`, en: `Refers to field "${pointer}" that the form does not have` },
      });
    }
  }
}

/** Whether an amount in baht has at most two decimals (whole satang): 12.5 and 12.50 do, 12.345 and 0.1 + 0.2 do not. */
export function hasWholeSatang(amount: number): boolean {
  return Number.isFinite(amount) && /^\d+(\.\d{1,2})?$/.test(String(amount));
}

/**
 * The fee table: each line's conditions name a guard of the catalogue with valid params and read fields the form
 * has (as a transition's guard is checked); amounts are whole satang; a range's maximum is not below its amount.
 */
function checkFees(def: ServiceDefinition, files: DefinitionFiles, out: DefinitionIssue[]) {
  const file = files.manifest;
  const err = (path: string, th: string, en: string) => out.push({ severity: "error", file, path, message: { th, en } });
  def.manifest.fees.forEach((fee, i) => {
    const line = { th: `ค่าธรรมเนียมรายการที่ ${i + 1} ("${fee.label.th}")`, en: `Fee line ${i + 1} ("${fee.label.en}")` };
    if (!hasWholeSatang(fee.amount)) {
      err(`/fees/${i}/amount`, `${line.th}: จำนวนเงินมีทศนิยมได้ไม่เกิน 2 ตำแหน่ง (${fee.amount})`, `${line.en}: the amount may have at most two decimals (${fee.amount})`);
    }
    if (fee.amountMax !== undefined) {
      if (!hasWholeSatang(fee.amountMax)) {
        err(`/fees/${i}/amountMax`, `${line.th}: จำนวนเงินสูงสุดมีทศนิยมได้ไม่เกิน 2 ตำแหน่ง (${fee.amountMax})`, `${line.en}: the maximum amount may have at most two decimals (${fee.amountMax})`);
      } else if (fee.amountMax < fee.amount) {
        err(`/fees/${i}/amountMax`, `${line.th}: จำนวนเงินสูงสุด (${fee.amountMax}) น้อยกว่าจำนวนเงิน (${fee.amount})`, `${line.en}: the maximum amount (${fee.amountMax}) is less than the amount (${fee.amount})`);
      }
    }
    (fee.when ?? []).forEach((condition, j) => {
      const base = `/fees/${i}/when/${j}`;
      const which = { th: `${line.th} เงื่อนไขที่ ${j + 1}`, en: `${line.en}, condition ${j + 1}` };
      const guard = Object.hasOwn(GUARDS, condition.type) ? GUARDS[condition.type] : undefined;
      if (!guard) {
        err(`${base}/type`, `${which.th}: ไม่รู้จักเงื่อนไข "${condition.type}"`, `${which.en}: unknown guard "${condition.type}" (catalogue: ${Object.keys(GUARDS).join(", ")})`);
        return;
      }
      const check = paramsChecker("guard", condition.type, guard.params);
      if (!check(condition.params ?? {})) {
        out.push(
          ...fromAjv(file, check.errors, `${base}/params`).map((issue) => ({
            ...issue,
            message: { th: `${which.th}: ${issue.message.th}`, en: `${which.en}: ${issue.message.en}` },
          })),
        );
        return;
      }
      for (const field of guard.fieldsRead(condition.params ?? {})) {
        const node = schemaAt(def.form.schema, field) as { type?: unknown; enum?: unknown[] } | undefined;
        if (!node) {
          err(`${base}/params/field`, `${which.th}: อ่านช่อง "${field}" ที่ไม่มีในแบบฟอร์ม`, `${which.en}: reads field "${field}" that the form does not have`);
          continue;
        }
        // A condition that can never hold charges nothing: a number compared with a field that is not one, or a
        // value the choice field does not offer.
        const p = condition.params ?? {};
        if ((condition.type === "fieldGreaterThan" || condition.type === "fieldAtMost") && typeof node.type === "string" && node.type !== "number" && node.type !== "integer") {
          err(`${base}/params/field`, `${which.th}: เปรียบเทียบตัวเลขกับช่อง "${field}" ที่ไม่ใช่ช่องตัวเลข`, `${which.en}: compares a number with field "${field}", which is not a number field`);
        }
        if (Array.isArray(node.enum)) {
          const choices = node.enum;
          const offered = (v: unknown) => choices.some((c) => Object.is(c, v));
          if ((condition.type === "fieldEquals" || condition.type === "fieldNotEquals") && !offered(p.value)) {
            err(`${base}/params/value`, `${which.th}: ค่า "${String(p.value)}" ไม่ใช่ตัวเลือกของช่อง "${field}" (${choices.join(", ")})`, `${which.en}: "${String(p.value)}" is not a choice of field "${field}" (${choices.join(", ")})`);
          }
          if (condition.type === "fieldIn") {
            (p.values as unknown[]).forEach((v, k) => {
              if (!offered(v)) err(`${base}/params/values/${k}`, `${which.th}: ค่า "${String(v)}" ไม่ใช่ตัวเลือกของช่อง "${field}" (${choices.join(", ")})`, `${which.en}: "${String(v)}" is not a choice of field "${field}" (${choices.join(", ")})`);
            });
          }
        }
      }
    });
  });
}

/** Validates a whole definition against the meta-schemas and the cross-references between its parts. */
export function validateServiceDefinition(def: ServiceDefinition, files: DefinitionFiles): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  if (!checkManifest(def.manifest)) issues.push(...fromAjv(files.manifest, checkManifest.errors));
  if (!checkForm(def.form.schema)) issues.push(...fromAjv(files.form, checkForm.errors));
  if (!checkUi(def.form.uiSchema)) issues.push(...fromAjv(files.ui, checkUi.errors));
  if (!checkWorkflow(def.workflow)) issues.push(...fromAjv(files.workflow, checkWorkflow.errors));
  if (issues.length > 0) return issues; // structure is wrong: cross-checks would only add noise

  try {
    new Ajv({ strict: false, validateFormats: false, logger: false }).compile(def.form.schema);
  } catch (error) {
    issues.push({
      severity: "error",
      file: files.form,
      path: "/",
      message: { th: `JSON Schema ไม่ถูกต้อง: ${(error as Error).message}`, en: `Invalid JSON Schema: ${(error as Error).message}` },
    });
  }
  checkPropertyNames(files.form, def.form.schema, [], issues);
  checkWorkflowSemantics(def, files, issues);
  checkManifestPointers(def, files, issues);
  checkFees(def, files, issues);
  return issues;
}

export function formatIssues(issues: DefinitionIssue[]): string {
  return issues.map((i) => `${i.file} ${i.path}: ${i.message.en} / ${i.message.th}`).join("\n");
}
