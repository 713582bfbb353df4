/**
 * The form builder's model: pure operations over a service form `{ schema, uiSchema }` that the studio UI
 * calls, so an agency admin never edits JSON. Every operation returns a NEW form and leaves its input alone.
 *
 * Fields are addressed by pointers over the form's structure: "/business/name" for a field in a section, and
 * "/members/items/name" for a field inside a repeating group's items ("items" is the group's item schema).
 *
 * Conditional fields ("show F when X equals V") live in one root `allOf` entry each:
 *   { if: { properties: { a: { properties: { x: { const: V } }, required: ["x"] } }, required: ["a"] },
 *     then: { properties: { sec: { properties: { F: <F> }, required: ["F"] } } } }
 * F stays out of its section's base `properties` (hidden and not validated unless the condition holds) but keeps
 * its place in the section's ui:order and its ui entry. Anything else found in a form (a legacy root if/then,
 * oneOf, unknown field shapes) is listed where possible and left untouched.
 */
import { AppError, notFound } from "../errors";
import { parsePointer, toPointer } from "../json-pointer";
import type { LocalizedText } from "../text";
import { PREFILL_CLAIMS, type PrefillClaim } from "../identity/oidc-providers";
import { isPrefillClaim } from "../identity/verified-claims";
import { guessMimeType } from "../uploads/upload-format";
import { ATTACHMENT_FORMAT, DEFAULT_TYPES, isAttachmentNode, typeName } from "../uploads/upload-rules";

export type BuilderForm = { schema: Record<string, unknown>; uiSchema: Record<string, unknown> };

type Node = Record<string, unknown>;

export type FieldKind =
  | "text"
  | "longText"
  | "number"
  | "date"
  | "choice"
  | "multiChoice"
  | "yesNo"
  | "nationalId"
  | "mobile"
  | "email"
  | "address"
  | "file"
  | "files"
  | "section"
  | "group";

export type DetectedKind = FieldKind | "unknown";

export type FieldKindSpec = {
  label: LocalizedText;
  /** Whether fields can be added inside it. */
  container: boolean;
  /** The schema node and UI schema entry of a new field of this kind. */
  create: (label: LocalizedText) => { schema: Node; ui: Node };
};

export type OptionValue = string | number | boolean;
export type FieldOption = { value: OptionValue; label: LocalizedText };

export type RuleKey = "minimum" | "maximum" | "minLength" | "maxLength" | "pattern" | "minItems" | "maxItems";
export type FieldRules = {
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  /** Shown instead of the validator's words when one of the rules fails (`x-message` on the node). */
  message?: LocalizedText;
};

export type FieldCondition = { when: string; equals: OptionValue };

export type BuilderField = {
  pointer: string;
  key: string;
  /** Pointer of the object holding the field: "" (root), "/section" or "/group/items". */
  parent: string;
  depth: number;
  /** Position among the fields of the same parent, in display order. */
  index: number;
  siblings: number;
  kind: DetectedKind;
  label: LocalizedText;
  help: LocalizedText;
  required: boolean;
  rules: FieldRules;
  /** Choice values with labels (choice, multiChoice, yesNo). */
  options: FieldOption[];
  /**
   * File kinds ("file", and the items of "files"): the upload limits of `x-upload`. An absent limit means the
   * server's default (DEFAULT_TYPES; the agency's ceiling for the size).
   */
  upload?: UploadSpec;
  /** Choice kinds: how the options are shown. */
  widget?: "radio" | "select";
  /** The verified identity claim (ThaID …) that fills this field, read-only (`x-prefill`). */
  prefill?: PrefillClaim;
  /** The condition that shows this field, when it is the field's own. */
  condition: FieldCondition | null;
  /** The field lives in a conditional branch (its own condition, a conditional section's, or a custom rule). */
  conditional: boolean;
  /** The field is inside a repeating group (conditions are not available there). */
  inGroup: boolean;
};

export type FieldPatch = {
  label?: Partial<LocalizedText>;
  help?: Partial<LocalizedText>;
  required?: boolean;
  /** A number/string sets a rule, null removes it; `message` null removes the friendly message. */
  rules?: { [K in RuleKey]?: (K extends "pattern" ? string : number) | null } & { message?: Partial<LocalizedText> | null };
  options?: FieldOption[];
  /** File kinds: sets the given limits, keeps the others. A legacy data-url field is converted to an attachment. */
  upload?: UploadSpec;
  widget?: "radio" | "select";
  /** Fill from a verified identity claim (`x-prefill`); null removes it. Only kinds that can hold the claim. */
  prefill?: PrefillClaim | null;
};

/** Which field kinds each identity claim can fill. */
export const PREFILL_KINDS: Record<PrefillClaim, DetectedKind[]> = {
  pid: ["nationalId", "text"],
  name: ["text"],
  birthdate: ["date"],
  address: ["address"],
};

/** The claims a field of this kind could be prefilled from. */
export function prefillChoices(kind: DetectedKind): PrefillClaim[] {
  return PREFILL_CLAIMS.filter((claim) => PREFILL_KINDS[claim].includes(kind));
}

/** The limits an admin sets on a file field (`x-upload`): bytes, and MIME types from UPLOAD_TYPE_CHOICES. */
export type UploadSpec = { maxBytes?: number; types?: string[] };

export const FIELD_KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;

// ---------------------------------------------------------------------------------------------------------
// Field kinds

function titled(label: LocalizedText, rest: Node, en: Node = {}): Node {
  const th = label.th.trim() || label.en.trim();
  const enOverlay = { ...(label.en.trim() ? { title: label.en.trim() } : {}), ...en };
  return { ...rest, ...(th ? { title: th } : {}), ...(Object.keys(enOverlay).length ? { "x-en": enOverlay } : {}) };
}

const DEFAULT_OPTIONS: FieldOption[] = [
  { value: "option1", label: { th: "ตัวเลือกที่ 1", en: "Option 1" } },
  { value: "option2", label: { th: "ตัวเลือกที่ 2", en: "Option 2" } },
];

const ADDRESS_PARTS: [string, string, string, Node][] = [
  ["line", "บ้านเลขที่ หมู่ ซอย ถนน", "House no., moo, soi, road", { minLength: 1, maxLength: 200 }],
  ["province", "จังหวัด", "Province", {}],
  ["district", "อำเภอ/เขต", "District", {}],
  ["subdistrict", "ตำบล/แขวง", "Subdistrict", {}],
  ["postcode", "รหัสไปรษณีย์", "Postcode", { pattern: "^[1-9][0-9]{4}$" }],
];

/** A new file field takes documents and photos up to 50 MB until the admin says otherwise. */
const DEFAULT_FILE_BYTES = 50 * 1024 * 1024;
/** A new several-files field takes up to this many files. */
const DEFAULT_MAX_FILES = 5;

/** The file types an admin can allow on a file field, in the order the studio shows them. */
export const UPLOAD_TYPE_CHOICES: readonly { type: string; name: string }[] = [
  "application/pdf",
  "image/jpeg",
  "image/png",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "image/vnd.dwg",
  "application/zip",
].map((type) => ({ type, name: typeName(type) }));

function attachmentSchema(extra: Node = {}): Node {
  return { type: "string", format: ATTACHMENT_FORMAT, ...extra, "x-upload": { maxBytes: DEFAULT_FILE_BYTES, types: [...DEFAULT_TYPES] } };
}

export const FIELD_KINDS: Record<FieldKind, FieldKindSpec> = {
  text: {
    label: { th: "ข้อความสั้น", en: "Short text" },
    container: false,
    create: (label) => ({ schema: titled(label, { type: "string", maxLength: 200 }), ui: {} }),
  },
  longText: {
    label: { th: "ข้อความยาว", en: "Long text" },
    container: false,
    create: (label) => ({ schema: titled(label, { type: "string", maxLength: 2000 }), ui: { "ui:widget": "textarea" } }),
  },
  number: {
    label: { th: "ตัวเลข", en: "Number" },
    container: false,
    create: (label) => ({ schema: titled(label, { type: "number" }), ui: {} }),
  },
  date: {
    label: { th: "วันที่ (พ.ศ.)", en: "Date (Buddhist era)" },
    container: false,
    create: (label) => ({ schema: titled(label, { type: "string", format: "date" }), ui: { "ui:widget": "buddhistDate" } }),
  },
  choice: {
    label: { th: "เลือกหนึ่งข้อ", en: "Single choice" },
    container: false,
    create: (label) => ({
      schema: titled(
        label,
        { type: "string", enum: DEFAULT_OPTIONS.map((o) => o.value), enumNames: DEFAULT_OPTIONS.map((o) => o.label.th) },
        { enumNames: DEFAULT_OPTIONS.map((o) => o.label.en) },
      ),
      ui: { "ui:widget": "radio" },
    }),
  },
  multiChoice: {
    label: { th: "เลือกได้หลายข้อ", en: "Multiple choice" },
    container: false,
    create: (label) => ({
      schema: titled(label, {
        type: "array",
        uniqueItems: true,
        items: {
          type: "string",
          enum: DEFAULT_OPTIONS.map((o) => o.value),
          enumNames: DEFAULT_OPTIONS.map((o) => o.label.th),
          "x-en": { enumNames: DEFAULT_OPTIONS.map((o) => o.label.en) },
        },
      }),
      ui: { "ui:widget": "checkboxes" },
    }),
  },
  yesNo: {
    label: { th: "ใช่ / ไม่ใช่", en: "Yes / No" },
    container: false,
    create: (label) => ({
      schema: titled(label, { type: "boolean", enumNames: ["ใช่", "ไม่ใช่"] }, { enumNames: ["Yes", "No"] }),
      ui: { "ui:widget": "radio" },
    }),
  },
  nationalId: {
    label: { th: "เลขประจำตัวประชาชน", en: "National ID" },
    container: false,
    create: (label) => ({ schema: titled(label, { type: "string", format: "thai-national-id" }), ui: { "ui:widget": "nationalId" } }),
  },
  mobile: {
    label: { th: "เบอร์โทรศัพท์มือถือ", en: "Mobile number" },
    container: false,
    create: (label) => ({ schema: titled(label, { type: "string", format: "thai-mobile" }), ui: { "ui:widget": "thaiMobile" } }),
  },
  email: {
    label: { th: "อีเมล", en: "E-mail" },
    container: false,
    create: (label) => ({ schema: titled(label, { type: "string", format: "email", maxLength: 200 }), ui: {} }),
  },
  address: {
    label: { th: "ที่อยู่ (จังหวัด อำเภอ ตำบล)", en: "Thai address" },
    container: false,
    create: (label) => ({
      schema: titled(label, {
        type: "object",
        format: "thai-address",
        required: ADDRESS_PARTS.map(([key]) => key),
        properties: Object.fromEntries(
          ADDRESS_PARTS.map(([key, th, en, rules]) => [key, { type: "string", title: th, "x-en": { title: en }, ...rules }]),
        ),
      }),
      ui: { "ui:field": "thaiAddress" },
    }),
  },
  file: {
    label: { th: "ไฟล์แนบ", en: "File attachment" },
    container: false,
    create: (label) => ({
      schema: titled(label, attachmentSchema()),
      ui: { "ui:widget": "upload" },
    }),
  },
  files: {
    label: { th: "ไฟล์แนบหลายไฟล์", en: "Several files" },
    container: false,
    create: (label) => ({
      schema: titled(label, { type: "array", maxItems: DEFAULT_MAX_FILES, items: attachmentSchema(titled({ th: "ไฟล์", en: "File" }, {})) }),
      // The upload widget on the array itself lists the files and offers one more slot, up to maxItems.
      ui: { "ui:widget": "upload" },
    }),
  },
  section: {
    label: { th: "หัวข้อ (กลุ่มช่อง)", en: "Section" },
    container: true,
    create: (label) => ({ schema: titled(label, { type: "object", properties: {} }), ui: { "ui:order": [] } }),
  },
  group: {
    label: { th: "ชุดข้อมูลที่เพิ่มได้หลายชุด", en: "Repeating group" },
    container: true,
    create: (label) => ({
      schema: titled(label, { type: "array", items: { type: "object", properties: {} } }),
      ui: { "ui:options": { orderable: true, addable: true, removable: true }, items: { "ui:order": [] } },
    }),
  },
};

export function isFieldKind(kind: string): kind is FieldKind {
  return Object.prototype.hasOwnProperty.call(FIELD_KINDS, kind);
}

/** The rules an admin may set on a field of this kind. */
export function applicableRules(kind: DetectedKind): RuleKey[] {
  switch (kind) {
    case "number":
      return ["minimum", "maximum"];
    case "text":
    case "longText":
    case "email":
      return ["minLength", "maxLength", "pattern"];
    case "multiChoice":
    case "group":
      return ["minItems", "maxItems"];
    case "files":
      // minItems follows `required` (at least one file); see setRequired.
      return ["maxItems"];
    default:
      return [];
  }
}

/** Kinds whose value can drive a condition ("show … when this equals …"). */
const CONDITION_SOURCE_KINDS: ReadonlySet<DetectedKind> = new Set([
  "text",
  "longText",
  "number",
  "date",
  "choice",
  "yesNo",
  "nationalId",
  "mobile",
  "email",
]);

export function canDriveCondition(field: Pick<BuilderField, "kind" | "inGroup">): boolean {
  return CONDITION_SOURCE_KINDS.has(field.kind) && !field.inGroup;
}

/** Recognises the kind of an existing schema node (with its UI entry); "unknown" shapes are left intact. */
export function detectKind(node: Node, ui: Node | undefined): DetectedKind {
  const widget = ui?.["ui:widget"];
  if (node.type === "object") {
    if (node.format === "thai-address" || ui?.["ui:field"] === "thaiAddress") return "address";
    return node.properties === undefined || isObj(node.properties) ? "section" : "unknown";
  }
  if (node.type === "array") {
    if (!isObj(node.items)) return "unknown";
    if (isAttachmentNode(node.items)) return "files";
    if (node.items.type === "object") return "group";
    return Array.isArray(node.items.enum) ? "multiChoice" : "unknown";
  }
  if (node.type === "boolean") return "yesNo";
  if (node.type === "number" || node.type === "integer") return Array.isArray(node.enum) ? "unknown" : "number";
  if (node.type !== "string") return "unknown";
  if (Array.isArray(node.enum)) return "choice";
  switch (node.format) {
    case undefined:
      return widget === "textarea" ? "longText" : "text";
    case "thai-national-id":
      return "nationalId";
    case "thai-mobile":
      return "mobile";
    case "email":
      return "email";
    case "date":
      return "date";
    case "data-url":
    case "attachment":
      return "file";
    default:
      return "unknown";
  }
}

// ---------------------------------------------------------------------------------------------------------
// Small helpers over the schema tree

const isObj = (value: unknown): value is Node => typeof value === "object" && value !== null && !Array.isArray(value);

function fail(th: string, en: string): never {
  throw new AppError("BAD_REQUEST", { th, en });
}

function clone(form: BuilderForm): BuilderForm {
  return { schema: structuredClone(form.schema ?? {}), uiSchema: structuredClone(form.uiSchema ?? {}) };
}

function segsOf(pointer: string): string[] {
  try {
    return parsePointer(pointer);
  } catch {
    return fail(`ตำแหน่งช่อง "${pointer}" ไม่ถูกต้อง`, `"${pointer}" is not a valid field pointer`);
  }
}

/** A node that describes a field (rather than a partial path inside a `then`, or a tweak such as `required`). */
function isFieldLike(node: unknown): node is Node {
  return isObj(node) && ["type", "title", "enum", "const", "format", "$ref", "oneOf", "anyOf"].some((k) => k in node);
}

function propsOf(node: Node): Node {
  return node.type !== "array" && isObj(node.properties) ? node.properties : {};
}

function requiredOf(node: Node): string[] {
  return Array.isArray(node.required) ? (node.required as string[]) : [];
}

function addRequired(node: Node, key: string) {
  if (!requiredOf(node).includes(key)) node.required = [...requiredOf(node), key];
}

function dropRequired(node: Node, key: string) {
  if (!Array.isArray(node.required)) return;
  const rest = requiredOf(node).filter((k) => k !== key);
  if (rest.length > 0) node.required = rest;
  else delete node.required;
}

function child(node: Node, seg: string): Node | undefined {
  if (node.type === "array") return seg === "items" && isObj(node.items) ? node.items : undefined;
  const value = propsOf(node)[seg];
  return isObj(value) ? value : undefined;
}

/** The nodes along segs from root (root excluded); undefined when the path does not exist there. */
function chainOf(root: Node, segs: string[]): Node[] | undefined {
  const chain: Node[] = [];
  let node = root;
  for (const seg of segs) {
    const next = child(node, seg);
    if (!next) return undefined;
    chain.push(next);
    node = next;
  }
  return chain;
}

function walk(root: Node, segs: string[]): Node | undefined {
  if (segs.length === 0) return root;
  return chainOf(root, segs)?.at(-1);
}

/** Where fields can live: the base schema, each root allOf entry's `then`, and a legacy root `then`. */
type Branch = { root: Node; entry: number | "then" | null };

function branchesOf(schema: Node): Branch[] {
  const out: Branch[] = [{ root: schema, entry: null }];
  if (Array.isArray(schema.allOf)) {
    schema.allOf.forEach((entry, i) => {
      if (isObj(entry) && isObj(entry.then)) out.push({ root: entry.then, entry: i });
    });
  }
  if (isObj(schema.then)) out.push({ root: schema.then, entry: "then" });
  return out;
}

function ifOf(schema: Node, branch: Branch): unknown {
  if (branch.entry === null) return undefined;
  if (branch.entry === "then") return schema.if;
  const entry = (schema.allOf as unknown[])[branch.entry];
  return isObj(entry) ? entry.if : undefined;
}

/** An allOf entry the builder wrote (or could have): only `if` + `then`, and an `if` it can read. */
function isOwnEntry(entry: unknown): entry is { if: Node; then: Node } {
  return isObj(entry) && isObj(entry.then) && Object.keys(entry).every((k) => k === "if" || k === "then") && parseIf(entry.if) !== null;
}

function parseIf(node: unknown, segs: string[] = []): FieldCondition | null {
  if (!isObj(node) || !isObj(node.properties)) return null;
  const keys = Object.keys(node.properties);
  if (keys.length !== 1 || !requiredOf(node).includes(keys[0])) return null;
  const sub = node.properties[keys[0]];
  if (!isObj(sub)) return null;
  if ("const" in sub) {
    const value = sub.const;
    return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? { when: toPointer([...segs, keys[0]]), equals: value } : null;
  }
  return parseIf(sub, [...segs, keys[0]]);
}

function buildIf(segs: string[], value: OptionValue): Node {
  const [head, ...rest] = segs;
  return { properties: { [head]: rest.length > 0 ? buildIf(rest, value) : { const: value } }, required: [head] };
}

function buildThen(parentSegs: string[], key: string, node: Node, required: boolean): Node {
  if (parentSegs.length === 0) return { properties: { [key]: node }, ...(required ? { required: [key] } : {}) };
  const [head, ...rest] = parentSegs;
  return { properties: { [head]: buildThen(rest, key, node, required) } };
}

/** The fields a `then` adds (path nodes descended), with the node holding each one's `required`. */
function leavesOf(node: Node, segs: string[] = []): { segs: string[]; node: Node; required: boolean }[] {
  const out: { segs: string[]; node: Node; required: boolean }[] = [];
  for (const [key, sub] of Object.entries(propsOf(node))) {
    if (isFieldLike(sub)) out.push({ segs: [...segs, key], node: sub, required: requiredOf(node).includes(key) });
    else if (isObj(sub)) out.push(...leavesOf(sub, [...segs, key]));
  }
  return out;
}

type Located = {
  segs: string[];
  key: string;
  node: Node;
  /** The object holding the field in its branch (a partial path node inside a `then`). */
  parent: Node;
  branch: Branch;
  /** Index in segs of the outermost field of the branch: the one its condition shows. -1 in the base. */
  owner: number;
  inGroup: boolean;
};

function locate(schema: Node, segs: string[]): Located | undefined {
  if (segs.length === 0) return undefined;
  for (const branch of branchesOf(schema)) {
    const chain = chainOf(branch.root, segs);
    if (!chain) continue;
    const node = chain[chain.length - 1];
    if (branch.entry !== null && !isFieldLike(node)) continue;
    const parent = chain.length > 1 ? chain[chain.length - 2] : branch.root;
    const owner = branch.entry === null ? -1 : chain.findIndex(isFieldLike);
    const inGroup = chain.slice(0, -1).some((n) => n.type === "array");
    return { segs, key: segs[segs.length - 1], node, parent, branch, owner, inGroup };
  }
  return undefined;
}

function mustLocate(schema: Node, pointer: string): Located {
  const found = locate(schema, segsOf(pointer));
  if (!found) throw notFound({ th: `ช่อง "${pointer}"`, en: `Field "${pointer}"` });
  return found;
}

/** The condition that shows a located field, when the field is the one its branch shows. */
function ownCondition(schema: Node, loc: Located): FieldCondition | null {
  if (loc.branch.entry === null || loc.owner !== loc.segs.length - 1) return null;
  return parseIf(ifOf(schema, loc.branch));
}

/** The condition that decides whether a located field is shown at all (its own or its section's). */
function effectiveCondition(schema: Node, loc: Located): FieldCondition | null {
  if (loc.branch.entry === null || loc.owner < 0) return null;
  return parseIf(ifOf(schema, loc.branch));
}

/** The keys of a parent's fields in every branch: base order first, then conditional ones. */
function childKeys(schema: Node, parentSegs: string[]): string[] {
  const keys: string[] = [];
  for (const branch of branchesOf(schema)) {
    const node = walk(branch.root, parentSegs);
    if (!node) continue;
    for (const [key, sub] of Object.entries(propsOf(node))) {
      if (keys.includes(key)) continue;
      if (branch.entry === null || isFieldLike(sub)) keys.push(key);
    }
  }
  return keys;
}

function uiAt(ui: Node, segs: string[]): Node | undefined {
  let node: unknown = ui;
  for (const seg of segs) {
    if (!isObj(node)) return undefined;
    node = node[seg];
  }
  return isObj(node) ? node : undefined;
}

function ensureUi(ui: Node, segs: string[]): Node {
  let node = ui;
  for (const seg of segs) {
    if (!isObj(node[seg])) node[seg] = {};
    node = node[seg] as Node;
  }
  return node;
}

function orderOf(ui: Node, parentSegs: string[]): string[] | undefined {
  const order = uiAt(ui, parentSegs)?.["ui:order"];
  return Array.isArray(order) ? order.filter((k): k is string => typeof k === "string") : undefined;
}

/** The display order of a parent's fields, as RJSF computes it from ui:order ("*" = the rest). */
function orderedKeys(form: BuilderForm, parentSegs: string[]): string[] {
  const keys = childKeys(form.schema, parentSegs);
  const order = orderOf(form.uiSchema, parentSegs);
  if (!order) return keys;
  const listed = order.filter((k) => k === "*" || keys.includes(k));
  const rest = keys.filter((k) => !listed.includes(k));
  const star = listed.indexOf("*");
  if (star === -1) return [...listed, ...rest];
  return [...listed.slice(0, star), ...rest, ...listed.slice(star + 1)].filter((k) => k !== "*");
}

/** Writes ui:order as the given keys, keeping names we do not know (a custom construct may show them) and "*". */
function writeOrder(form: BuilderForm, parentSegs: string[], keys: string[]) {
  const known = childKeys(form.schema, parentSegs);
  const old = orderOf(form.uiSchema, parentSegs) ?? [];
  const foreign = old.filter((k) => k !== "*" && !known.includes(k) && !keys.includes(k));
  ensureUi(form.uiSchema, parentSegs)["ui:order"] = [...keys, ...foreign, ...(old.includes("*") ? ["*"] : [])];
}

// ---------------------------------------------------------------------------------------------------------
// Reading

function textOf(node: Node, key: "title" | "description"): LocalizedText {
  const en = isObj(node["x-en"]) ? node["x-en"][key] : undefined;
  return { th: typeof node[key] === "string" ? (node[key] as string) : "", en: typeof en === "string" ? en : "" };
}

function optionsOf(node: Node, kind: DetectedKind): FieldOption[] {
  const holder = kind === "multiChoice" && isObj(node.items) ? node.items : node;
  const th = Array.isArray(holder.enumNames) ? (holder.enumNames as unknown[]) : [];
  const en = isObj(holder["x-en"]) && Array.isArray(holder["x-en"].enumNames) ? (holder["x-en"].enumNames as unknown[]) : [];
  const label = (i: number, fallbackTh: string, fallbackEn: string): LocalizedText => ({
    th: typeof th[i] === "string" ? (th[i] as string) : fallbackTh,
    en: typeof en[i] === "string" ? (en[i] as string) : fallbackEn,
  });
  if (kind === "yesNo") return [true, false].map((value, i) => ({ value, label: label(i, value ? "ใช่" : "ไม่ใช่", value ? "Yes" : "No") }));
  if (!Array.isArray(holder.enum)) return [];
  return (holder.enum as unknown[])
    .filter((v): v is OptionValue => typeof v === "string" || typeof v === "number" || typeof v === "boolean")
    .map((value, i) => ({ value, label: label(i, "", "") }));
}

function rulesOf(node: Node): FieldRules {
  const rules: FieldRules = {};
  for (const key of ["minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems"] as const) {
    if (typeof node[key] === "number") rules[key] = node[key] as number;
  }
  if (typeof node.pattern === "string") rules.pattern = node.pattern;
  const message = node["x-message"];
  if (isObj(message)) rules.message = { th: String(message.th ?? ""), en: String(message.en ?? "") };
  return rules;
}

/** The form's fields as a flat, display-ordered tree (sections and groups followed by their fields). */
export function listBuilderFields(form: BuilderForm): BuilderField[] {
  const out: BuilderField[] = [];
  const visit = (parentSegs: string[], depth: number) => {
    const keys = orderedKeys(form, parentSegs).filter((key) => locate(form.schema, [...parentSegs, key]));
    keys.forEach((key, index) => {
      const segs = [...parentSegs, key];
      const loc = locate(form.schema, segs)!;
      const ui = uiAt(form.uiSchema, segs);
      const kind = detectKind(loc.node, ui);
      const holder = uploadHolder(loc.node, kind);
      out.push({
        pointer: toPointer(segs),
        key,
        parent: toPointer(parentSegs),
        depth,
        index,
        siblings: keys.length,
        kind,
        label: textOf(loc.node, "title"),
        help: textOf(loc.node, "description"),
        required: requiredOf(loc.parent).includes(key),
        rules: rulesOf(loc.node),
        options: optionsOf(loc.node, kind),
        ...(holder ? { upload: uploadOf(holder, ui) } : {}),
        ...(isPrefillClaim(loc.node["x-prefill"]) ? { prefill: loc.node["x-prefill"] } : {}),
        ...(kind === "choice" ? { widget: ui?.["ui:widget"] === "select" ? ("select" as const) : ("radio" as const) } : {}),
        condition: ownCondition(form.schema, loc),
        conditional: loc.branch.entry !== null,
        inGroup: loc.inGroup,
      });
      if (kind === "section") visit(segs, depth + 1);
      if (kind === "group") visit([...segs, "items"], depth + 1);
    });
  };
  visit([], 0);
  return out;
}

/** One field as listBuilderFields describes it; undefined when absent. */
export function findBuilderField(form: BuilderForm, pointer: string): BuilderField | undefined {
  return listBuilderFields(form).find((f) => f.pointer === pointer);
}

/** Places fields can be added to: the root, every section and every repeating group's items. */
export function listContainers(form: BuilderForm): { pointer: string; label: LocalizedText; depth: number }[] {
  const out: { pointer: string; label: LocalizedText; depth: number }[] = [{ pointer: "", label: { th: "", en: "" }, depth: 0 }];
  for (const field of listBuilderFields(form)) {
    if (field.kind === "section") out.push({ pointer: field.pointer, label: field.label, depth: field.depth + 1 });
    if (field.kind === "group") out.push({ pointer: `${field.pointer}/items`, label: field.label, depth: field.depth + 1 });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Keys

export function isValidFieldKey(key: string): boolean {
  return FIELD_KEY_PATTERN.test(key);
}

/** "Business name" → "businessName"; falls back to `fallback` when the label has no usable letters. */
export function keyFromLabel(label: string, fallback = "field"): string {
  const words = label
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9]+/g, " ")
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  let key = words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1).toLowerCase())).join("");
  if (!key) key = fallback;
  if (!/^[A-Za-z]/.test(key)) key = `${fallback}${key}`;
  return key.slice(0, 40);
}

function takenKeys(form: BuilderForm, parentSegs: string[]): Set<string> {
  return new Set([...childKeys(form.schema, parentSegs), ...(orderOf(form.uiSchema, parentSegs) ?? [])]);
}

/** A key for a new field under parent, derived from its English label and unique there. */
export function suggestKey(form: BuilderForm, parentPointer: string, labelEn: string, fallback = "field"): string {
  const parentSegs = containerSegs(form, parentPointer);
  const taken = takenKeys(form, parentSegs);
  const base = keyFromLabel(labelEn, fallback);
  if (!taken.has(base)) return base;
  let n = 2;
  while (taken.has(`${base}${n}`)) n++;
  return `${base}${n}`;
}

function checkKey(key: string) {
  if (!isValidFieldKey(key)) {
    fail(
      `ชื่อช่อง "${key}" ไม่ถูกต้อง: ต้องขึ้นต้นด้วยตัวอักษรภาษาอังกฤษ และมีได้เฉพาะ A-Z a-z 0-9 และ _`,
      `Invalid field key "${key}": it must start with an English letter and use only A-Z a-z 0-9 and _`,
    );
  }
}

/** The segments of the object new fields go into: "" = root, a section, or a group (→ its items). */
function containerSegs(form: BuilderForm, parentPointer: string): string[] {
  const segs = segsOf(parentPointer);
  if (segs.length === 0) return segs;
  const loc = locate(form.schema, segs);
  if (!loc) throw notFound({ th: `หัวข้อ "${parentPointer}"`, en: `Section "${parentPointer}"` });
  const kind = detectKind(loc.node, uiAt(form.uiSchema, segs));
  if (kind === "group") return [...segs, "items"];
  if (kind === "section") return segs;
  return fail(
    "เพิ่มช่องได้เฉพาะในหัวข้อหรือชุดข้อมูลที่เพิ่มได้หลายชุดเท่านั้น",
    "Fields can only be added to a section or a repeating group",
  );
}

// ---------------------------------------------------------------------------------------------------------
// Operations

export type NewFieldOptions = { key?: string; label: LocalizedText; required?: boolean };

/** Adds a field of a kind at the end of a parent ("" = root, a section, a group or a group's items). */
export function addField(form: BuilderForm, parentPointer: string, kind: FieldKind, options: NewFieldOptions): { form: BuilderForm; pointer: string } {
  if (!isFieldKind(kind)) fail(`ไม่รู้จักชนิดช่อง "${String(kind)}"`, `Unknown field kind "${String(kind)}"`);
  const label = { th: (options.label.th ?? "").trim(), en: (options.label.en ?? "").trim() };
  if (!label.th && !label.en) fail("กรุณาระบุชื่อช่อง (ภาษาไทยหรือภาษาอังกฤษ)", "Please give the field a label (Thai or English)");
  const next = clone(form);
  const parentSegs = containerSegs(next, parentPointer);
  const key = options.key ?? suggestKey(next, toPointer(parentSegs), label.en, kind);
  checkKey(key);
  if (takenKeys(next, parentSegs).has(key)) {
    fail(`มีช่องชื่อ "${key}" ในส่วนนี้แล้ว กรุณาใช้ชื่ออื่น`, `A field named "${key}" already exists here; choose another key`);
  }
  const order = orderedKeys(next, parentSegs);
  const container = parentSegs.length === 0 ? next.schema : locate(next.schema, parentSegs)!.node;
  const fragment = FIELD_KINDS[kind].create(label);
  container.properties = { ...propsOf(container), [key]: fragment.schema };
  if (options.required) addRequired(container, key);
  if (options.required && kind === "files") requireAFile(fragment.schema, true);
  const segs = [...parentSegs, key];
  if (Object.keys(fragment.ui).length > 0) ensureUi(next.uiSchema, parentSegs)[key] = fragment.ui;
  writeOrder(next, parentSegs, [...order, key]);
  return { form: next, pointer: toPointer(segs) };
}

function setText(node: Node, key: "title" | "description", text: Partial<LocalizedText>) {
  if (text.th !== undefined) {
    if (text.th.trim()) node[key] = text.th;
    else delete node[key];
  }
  if (text.en !== undefined) {
    const overlay: Node = isObj(node["x-en"]) ? { ...node["x-en"] } : {};
    if (text.en.trim()) overlay[key] = text.en;
    else delete overlay[key];
    if (Object.keys(overlay).length > 0) node["x-en"] = overlay;
    else delete node["x-en"];
  }
}

const RULE_NAMES: Record<RuleKey, LocalizedText> = {
  minimum: { th: "ค่าต่ำสุด", en: "minimum" },
  maximum: { th: "ค่าสูงสุด", en: "maximum" },
  minLength: { th: "จำนวนตัวอักษรต่ำสุด", en: "minimum length" },
  maxLength: { th: "จำนวนตัวอักษรสูงสุด", en: "maximum length" },
  pattern: { th: "รูปแบบ (regular expression)", en: "pattern (regular expression)" },
  minItems: { th: "จำนวนรายการต่ำสุด", en: "minimum number of items" },
  maxItems: { th: "จำนวนรายการสูงสุด", en: "maximum number of items" },
};

function applyRules(node: Node, kind: DetectedKind, rules: NonNullable<FieldPatch["rules"]>) {
  const allowed = applicableRules(kind);
  const holder = node; // rules sit on the field node itself (array rules too: minItems/maxItems)
  for (const key of Object.keys(rules) as (RuleKey | "message")[]) {
    if (key === "message") continue;
    const value = rules[key];
    if (value === undefined) continue;
    const name = RULE_NAMES[key];
    if (!name) fail(`ไม่รู้จักเงื่อนไข "${key}"`, `Unknown rule "${key}"`);
    if (!allowed.includes(key)) fail(`ช่องชนิดนี้ตั้ง${name.th}ไม่ได้`, `A field of this kind cannot have a ${name.en}`);
    // Several files always have a ceiling: each may be gigabytes.
    if (kind === "files" && key === "maxItems" && (typeof value !== "number" || !Number.isInteger(value) || value < 1)) {
      fail("จำนวนไฟล์สูงสุดต้องเป็นจำนวนเต็มตั้งแต่ 1 ขึ้นไป", "The maximum number of files must be a whole number, 1 or more");
    }
    if (value === null || value === "") {
      delete holder[key];
      continue;
    }
    if (key === "pattern") {
      try {
        new RegExp(String(value), "u");
      } catch {
        fail(`รูปแบบ "${String(value)}" ไม่ใช่ regular expression ที่ถูกต้อง`, `"${String(value)}" is not a valid regular expression`);
      }
      holder.pattern = String(value);
      continue;
    }
    const number = value as number;
    if (typeof number !== "number" || !Number.isFinite(number)) fail(`${name.th}ต้องเป็นตัวเลข`, `The ${name.en} must be a number`);
    if (key !== "minimum" && key !== "maximum" && (!Number.isInteger(number) || number < 0)) {
      fail(`${name.th}ต้องเป็นจำนวนเต็มที่ไม่ติดลบ`, `The ${name.en} must be a whole number, zero or more`);
    }
    holder[key] = number;
  }
  for (const [min, max] of [
    ["minimum", "maximum"],
    ["minLength", "maxLength"],
    ["minItems", "maxItems"],
  ] as const) {
    if (typeof holder[min] === "number" && typeof holder[max] === "number" && (holder[min] as number) > (holder[max] as number)) {
      fail(`${RULE_NAMES[min].th}ต้องไม่มากกว่า${RULE_NAMES[max].th}`, `The ${RULE_NAMES[min].en} cannot be more than the ${RULE_NAMES[max].en}`);
    }
  }
  if (rules.message === null) delete node["x-message"];
  else if (rules.message) {
    const old = isObj(node["x-message"]) ? node["x-message"] : {};
    const message = { th: String(rules.message.th ?? old.th ?? ""), en: String(rules.message.en ?? old.en ?? "") };
    if (message.th.trim() || message.en.trim()) node["x-message"] = message;
    else delete node["x-message"];
  }
}

function applyOptions(node: Node, kind: DetectedKind, options: FieldOption[]) {
  if (kind === "yesNo") {
    if (options.length !== 2 || options[0].value !== true || options[1].value !== false) {
      fail("ช่องใช่/ไม่ใช่มีได้สองตัวเลือก: ใช่ และ ไม่ใช่", "A yes/no field has exactly two options: yes, then no");
    }
  } else if (kind !== "choice" && kind !== "multiChoice") {
    fail("ช่องชนิดนี้ไม่มีตัวเลือก", "This kind of field has no options");
  } else {
    if (options.length === 0) fail("ต้องมีตัวเลือกอย่างน้อยหนึ่งข้อ", "A choice needs at least one option");
    const seen = new Set<string>();
    for (const option of options) {
      if (typeof option.value !== "string" || option.value.trim() === "") {
        fail("ค่าของตัวเลือกต้องไม่ว่าง", "Every option needs a value");
      }
      if (seen.has(option.value)) fail(`ค่าตัวเลือก "${option.value}" ซ้ำกัน`, `The option value "${option.value}" is used twice`);
      seen.add(option.value);
    }
  }
  const holder = kind === "multiChoice" ? (node.items as Node) : node;
  if (kind !== "yesNo") holder.enum = options.map((o) => o.value);
  holder.enumNames = options.map((o) => o.label.th);
  const overlay: Node = isObj(holder["x-en"]) ? { ...holder["x-en"] } : {};
  if (options.some((o) => o.label.en.trim())) overlay.enumNames = options.map((o) => o.label.en);
  else delete overlay.enumNames;
  if (Object.keys(overlay).length > 0) holder["x-en"] = overlay;
  else delete holder["x-en"];
  const values = options.map((o) => o.value);
  if (kind === "choice" && "default" in node && !values.includes(node.default as OptionValue)) delete node.default;
  if (kind === "multiChoice" && Array.isArray(node.default)) {
    const kept = (node.default as OptionValue[]).filter((v) => values.includes(v));
    if (kept.length > 0) node.default = kept;
    else delete node.default;
  }
}

/**
 * A required array is satisfied by `[]`: a required several-files field also needs one file (minItems 1), and
 * loses that when no longer required (a larger minimum written by hand is kept).
 */
function requireAFile(node: Node, required: boolean) {
  if (required) node.minItems = Math.max(typeof node.minItems === "number" ? node.minItems : 0, 1);
  else if (node.minItems === 1) delete node.minItems;
}

/** The schema node that holds a file field's `x-upload`: the field itself, or the items of several files. */
function uploadHolder(node: Node, kind: DetectedKind): Node | undefined {
  if (kind === "file") return node;
  if (kind === "files" && isObj(node.items)) return node.items;
  return undefined;
}

/** The types a legacy data-url field's `accept` (".pdf,.jpg" or MIME types) names, among UPLOAD_TYPE_CHOICES. */
function typesFromAccept(accept: unknown): string[] | undefined {
  if (typeof accept !== "string") return undefined;
  const types: string[] = [];
  for (const token of accept.split(",").map((t) => t.trim().toLowerCase())) {
    if (!token) continue;
    const type = token.startsWith(".") ? guessMimeType({ name: `file${token}` }) : token;
    if (UPLOAD_TYPE_CHOICES.some((c) => c.type === type) && !types.includes(type)) types.push(type);
  }
  return types.length > 0 ? types : undefined;
}

/** `ui:options.accept` of a legacy file field (on the field, or on the items of several files). */
function legacyAccept(ui: Node | undefined): unknown {
  for (const entry of [ui, isObj(ui?.items) ? ui.items : undefined]) {
    const options = entry?.["ui:options"];
    if (isObj(options) && typeof options.accept === "string") return options.accept;
  }
  return undefined;
}

/** A file field's limits as stored; a legacy data-url field's types come from its `accept`. */
function uploadOf(holder: Node, ui: Node | undefined): UploadSpec {
  const spec = isObj(holder["x-upload"]) ? holder["x-upload"] : {};
  const out: UploadSpec = {};
  if (typeof spec.maxBytes === "number") out.maxBytes = spec.maxBytes;
  if (Array.isArray(spec.types)) out.types = spec.types.filter((t): t is string => typeof t === "string");
  else if (holder.format === "data-url") {
    const types = typesFromAccept(legacyAccept(ui));
    if (types) out.types = types;
  }
  return out;
}

function dropUiOption(ui: Node, option: string) {
  if (!isObj(ui["ui:options"])) return;
  const rest = { ...ui["ui:options"] };
  delete rest[option];
  if (Object.keys(rest).length > 0) ui["ui:options"] = rest;
  else delete ui["ui:options"];
}

/**
 * Sets a file field's limits, keeping those the patch leaves out. Sizes are whole bytes above zero; types come
 * from UPLOAD_TYPE_CHOICES (a type the field already allows may stay). A legacy data-url field becomes an
 * attachment with the upload widget, its `accept` folded into `types`.
 */
function applyUpload(form: BuilderForm, node: Node, segs: string[], kind: DetectedKind, patch: UploadSpec) {
  const holder = uploadHolder(node, kind);
  if (!holder) fail("กำหนดขนาดและชนิดไฟล์ได้เฉพาะช่องไฟล์แนบ", "File size and type limits apply to file fields only");
  if (!isObj(patch)) fail("ข้อกำหนดการแนบไฟล์ไม่ถูกต้อง", "Invalid upload limits");
  const ui = uiAt(form.uiSchema, segs);
  const current = uploadOf(holder, ui);
  const next: Node = { ...(isObj(holder["x-upload"]) ? holder["x-upload"] : {}), ...current };

  if (patch.maxBytes !== undefined) {
    const bytes = patch.maxBytes;
    if (typeof bytes !== "number" || !Number.isSafeInteger(bytes) || bytes <= 0) {
      fail("ขนาดไฟล์สูงสุดต้องเป็นจำนวนเต็มบวก (หน่วยไบต์)", "The maximum file size must be a whole number of bytes above zero");
    }
    next.maxBytes = bytes;
  }
  if (patch.types !== undefined) {
    if (!Array.isArray(patch.types) || patch.types.length === 0) {
      fail("กรุณาเลือกชนิดไฟล์ที่รับอย่างน้อยหนึ่งชนิด", "Choose at least one accepted file type");
    }
    const known = UPLOAD_TYPE_CHOICES.map((c) => c.type);
    const types: string[] = [];
    for (const type of patch.types) {
      if (typeof type !== "string" || (!known.includes(type) && !(current.types ?? []).includes(type))) {
        const names = UPLOAD_TYPE_CHOICES.map((c) => c.name).join(", ");
        fail(`ไม่รู้จักชนิดไฟล์ "${String(type)}" (เลือกได้จาก ${names})`, `Unknown file type "${String(type)}" (choose from ${names})`);
      }
      if (!types.includes(type)) types.push(type);
    }
    next.types = types;
  }
  holder["x-upload"] = next;

  if (holder.format === "data-url") {
    holder.format = ATTACHMENT_FORMAT;
    const fieldUi = ensureUi(form.uiSchema, segs);
    dropUiOption(fieldUi, "accept");
    if (kind === "file") fieldUi["ui:widget"] = "upload";
    else {
      const itemsUi = ensureUi(fieldUi, ["items"]);
      dropUiOption(itemsUi, "accept");
      // The upload widget also handles the whole array; otherwise it goes on the items.
      if (fieldUi["ui:widget"] !== "upload") {
        delete fieldUi["ui:widget"];
        itemsUi["ui:widget"] = "upload";
      }
    }
  }
}

/** Changes a field's labels, help, required status, rules, options, upload limits or choice widget. */
export function updateField(form: BuilderForm, pointer: string, patch: FieldPatch): BuilderForm {
  const next = clone(form);
  const loc = mustLocate(next.schema, pointer);
  const kind = detectKind(loc.node, uiAt(next.uiSchema, loc.segs));
  if (patch.label) setText(loc.node, "title", patch.label);
  if (patch.help) setText(loc.node, "description", patch.help);
  if (patch.required !== undefined) {
    if (patch.required) addRequired(loc.parent, loc.key);
    else dropRequired(loc.parent, loc.key);
    if (kind === "files") requireAFile(loc.node, patch.required);
  }
  if (patch.rules) applyRules(loc.node, kind, patch.rules);
  if (patch.options) applyOptions(loc.node, kind, patch.options);
  if (patch.upload !== undefined) applyUpload(next, loc.node, loc.segs, kind, patch.upload);
  if (patch.prefill !== undefined) {
    if (patch.prefill === null) delete loc.node["x-prefill"];
    else if (!isPrefillClaim(patch.prefill) || !PREFILL_KINDS[patch.prefill].includes(kind)) {
      fail("ช่องชนิดนี้เติมจากข้อมูลยืนยันตัวตนข้อนี้ไม่ได้", "This kind of field cannot be prefilled from that identity claim");
    } else loc.node["x-prefill"] = patch.prefill;
  }
  if (patch.widget !== undefined) {
    if (kind !== "choice") fail("เลือกรูปแบบการแสดงได้เฉพาะช่องเลือกหนึ่งข้อ", "The display style applies to single-choice fields only");
    if (patch.widget !== "radio" && patch.widget !== "select") fail("รูปแบบการแสดงไม่ถูกต้อง", "Unknown display style");
    ensureUi(next.uiSchema, loc.segs)["ui:widget"] = patch.widget;
  }
  return next;
}

/** Reorders a field among its siblings (the parent's ui:order); toIndex is clamped to the list. */
export function moveField(form: BuilderForm, pointer: string, toIndex: number): BuilderForm {
  const next = clone(form);
  const loc = mustLocate(next.schema, pointer);
  const parentSegs = loc.segs.slice(0, -1);
  const keys = orderedKeys(next, parentSegs).filter((k) => k !== loc.key);
  const index = Math.max(0, Math.min(keys.length, Math.trunc(Number.isFinite(toIndex) ? toIndex : keys.length)));
  keys.splice(index, 0, loc.key);
  writeOrder(next, parentSegs, keys);
  return next;
}

/** Drops allOf entries marked for removal (and allOf itself when empty). */
function dropEntries(schema: Node, drop: Set<number>) {
  if (drop.size === 0 || !Array.isArray(schema.allOf)) return;
  const kept = (schema.allOf as unknown[]).filter((_, i) => !drop.has(i));
  if (kept.length > 0) schema.allOf = kept;
  else delete schema.allOf;
}

/** Puts a field back into its base parent (a condition was removed); required status kept. */
function attachToBase(schema: Node, segs: string[], node: Node, required: boolean) {
  const parentSegs = segs.slice(0, -1);
  const key = segs[segs.length - 1];
  const parent = walk(schema, parentSegs);
  if (!parent || parent.type === "array" || key in propsOf(parent)) return;
  parent.properties = { ...propsOf(parent), [key]: node };
  if (required) addRequired(parent, key);
}

const within = (pointer: string, ancestor: string) => pointer === ancestor || pointer.startsWith(`${ancestor}/`);

/**
 * Removes a field (a section or group with everything inside), with its required entries, UI entry, place in
 * ui:order and the condition that shows it. Fields shown by a condition on the removed field stay, unconditionally.
 */
export function removeField(form: BuilderForm, pointer: string): BuilderForm {
  const next = clone(form);
  const schema = next.schema;
  const loc = mustLocate(schema, pointer);
  const parentSegs = loc.segs.slice(0, -1);
  const order = orderOf(next.uiSchema, parentSegs);

  // Conditions that depend on the field: their fields become plain fields again.
  const drop = new Set<number>();
  const released: ReturnType<typeof leavesOf> = [];
  (Array.isArray(schema.allOf) ? (schema.allOf as unknown[]) : []).forEach((entry, i) => {
    if (!isOwnEntry(entry)) return;
    const condition = parseIf(entry.if)!;
    if (!within(condition.when, pointer)) return;
    drop.add(i);
    released.push(...leavesOf(entry.then));
  });
  dropEntries(schema, drop);
  for (const leaf of released) attachToBase(schema, leaf.segs, leaf.node, leaf.required);

  // The field itself, wherever it lives; required lists that name it everywhere.
  const emptied = new Set<number>();
  for (const branch of branchesOf(schema)) {
    const parent = walk(branch.root, parentSegs);
    if (!parent || parent.type === "array") continue;
    const props = propsOf(parent);
    if (loc.key in props) {
      const rest = { ...props };
      delete rest[loc.key];
      parent.properties = rest;
    }
    dropRequired(parent, loc.key);
    if (typeof branch.entry === "number" && isOwnEntry((schema.allOf as unknown[])[branch.entry]) && leavesOf(branch.root).length === 0) {
      emptied.add(branch.entry);
    }
  }
  dropEntries(schema, emptied);

  const parentUi = uiAt(next.uiSchema, parentSegs);
  if (parentUi) {
    delete parentUi[loc.key];
    if (order) parentUi["ui:order"] = (parentUi["ui:order"] as unknown[]).filter((k) => k !== loc.key);
  }
  return next;
}

/**
 * Shows a field only when another field equals a value (or always, with null). The field moves between its
 * section's base properties and its own root allOf entry; its required status and ui entries are kept.
 */
export function setCondition(form: BuilderForm, pointer: string, condition: FieldCondition | null): BuilderForm {
  const next = clone(form);
  const schema = next.schema;
  const loc = mustLocate(schema, pointer);
  const parentSegs = loc.segs.slice(0, -1);
  if (loc.inGroup) {
    fail("ช่องในชุดข้อมูลที่เพิ่มได้หลายชุดตั้งเงื่อนไขการแสดงไม่ได้", "Fields inside a repeating group cannot have a display condition");
  }
  if (loc.branch.entry !== null && loc.owner !== loc.segs.length - 1) {
    fail(
      "ช่องนี้อยู่ในหัวข้อที่มีเงื่อนไขการแสดงอยู่แล้ว จึงแสดงตามเงื่อนไขของหัวข้อ",
      "This field is inside a section that has its own display condition; it follows that condition",
    );
  }
  if (loc.branch.entry === "then") {
    fail("ช่องนี้ใช้เงื่อนไขแบบกำหนดเอง จึงแก้ไขด้วยตัวสร้างแบบฟอร์มไม่ได้", "This field uses a custom condition that the builder cannot change");
  }
  const current = ownCondition(schema, loc);
  if (!condition && !current) return next;

  if (condition) {
    const whenLoc = locate(schema, segsOf(condition.when));
    if (!whenLoc) throw notFound({ th: `ช่อง "${condition.when}"`, en: `Field "${condition.when}"` });
    if (within(condition.when, pointer)) fail("ช่องจะแสดงตามค่าของตัวเองไม่ได้", "A field cannot depend on itself or on a field inside it");
    const whenKind = detectKind(whenLoc.node, uiAt(next.uiSchema, whenLoc.segs));
    if (!CONDITION_SOURCE_KINDS.has(whenKind) || whenLoc.inGroup) {
      fail("ใช้ช่องนี้เป็นเงื่อนไขไม่ได้ (ต้องเป็นช่องค่าเดียว ไม่อยู่ในชุดข้อมูลที่เพิ่มได้หลายชุด)", "This field cannot drive a condition (it must hold a single value and not be inside a repeating group)");
    }
    const value = condition.equals;
    const okValue =
      whenKind === "yesNo"
        ? typeof value === "boolean"
        : whenKind === "number"
          ? typeof value === "number" && Number.isFinite(value)
          : whenKind === "choice"
            ? (whenLoc.node.enum as unknown[]).includes(value)
            : typeof value === "string";
    if (!okValue) fail(`ค่า "${String(value)}" ใช้กับช่อง "${condition.when}" ไม่ได้`, `"${String(value)}" is not a possible value of "${condition.when}"`);
    // No loops: the chain of conditions above the source must not come back to this field.
    let cursor: Located | undefined = whenLoc;
    for (let hops = 0; cursor && hops < 100; hops++) {
      const above = effectiveCondition(schema, cursor);
      if (!above) break;
      if (within(above.when, pointer)) fail("เงื่อนไขนี้ทำให้ช่องอ้างอิงกันเป็นวง", "This condition would make fields depend on each other in a loop");
      cursor = locate(schema, segsOf(above.when));
    }
    if (loc.node.type === "object" && leavesInsideConditional(schema, pointer)) {
      fail(
        "หัวข้อนี้มีช่องที่มีเงื่อนไขการแสดงของตัวเอง กรุณาลบเงื่อนไขของช่องเหล่านั้นก่อน",
        "Fields inside this section have their own display conditions; remove those first",
      );
    }
  }

  // Keep the display order as it is now, wherever the field's schema ends up.
  if (!orderOf(next.uiSchema, parentSegs)) writeOrder(next, parentSegs, orderedKeys(next, parentSegs));

  const required = requiredOf(loc.parent).includes(loc.key);
  const props = { ...propsOf(loc.parent) };
  delete props[loc.key];
  loc.parent.properties = props;
  dropRequired(loc.parent, loc.key);
  // The entry that showed it goes when nothing else is left in it.
  const entry = loc.branch.entry;
  if (typeof entry === "number" && isOwnEntry((schema.allOf as unknown[])[entry]) && leavesOf(loc.branch.root).length === 0) {
    dropEntries(schema, new Set([entry]));
  }

  if (!condition) attachToBase(schema, loc.segs, loc.node, required);
  else {
    const entry = { if: buildIf(segsOf(condition.when), condition.equals), then: buildThen(parentSegs, loc.key, loc.node, required) };
    schema.allOf = [...(Array.isArray(schema.allOf) ? (schema.allOf as unknown[]) : []), entry];
  }
  return next;
}

/** Whether some allOf entry shows a field strictly inside the given section. */
function leavesInsideConditional(schema: Node, sectionPointer: string): boolean {
  return (Array.isArray(schema.allOf) ? (schema.allOf as unknown[]) : []).some(
    (entry) => isObj(entry) && isObj(entry.then) && leavesOf(entry.then).some((leaf) => toPointer(leaf.segs).startsWith(`${sectionPointer}/`)),
  );
}
