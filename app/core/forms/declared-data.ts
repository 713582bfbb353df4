import { toPointer } from "../json-pointer";

/**
 * Only declared data is stored: the JSON pointers of every property in form data that the form's JSON Schema
 * does not declare. A property declared anywhere for that object counts — in `properties`, in any branch of
 * `allOf`/`anyOf`/`oneOf`, in `if`/`then`/`else`, in `dependencies`, or through `patternProperties` /
 * an `additionalProperties` schema — because a field a condition shows is one of the form's fields whether or
 * not the condition holds now. Items of repeating groups are checked against `items`. The browser form
 * (RJSF `customValidate`) and the server (`validateFormData`) both call this one function.
 */
export function findUndeclaredProperties(schema: unknown, data: unknown): string[] {
  const out: string[] = [];
  walk(expand([schema], schema), data, [], schema, out);
  return out;
}

type Node = {
  $ref?: string;
  properties?: Record<string, unknown>;
  patternProperties?: Record<string, unknown>;
  additionalProperties?: unknown;
  items?: unknown;
  additionalItems?: unknown;
  allOf?: unknown[];
  anyOf?: unknown[];
  oneOf?: unknown[];
  if?: unknown;
  then?: unknown;
  else?: unknown;
  dependencies?: Record<string, unknown>;
};

const isNode = (value: unknown): value is Node => typeof value === "object" && value !== null && !Array.isArray(value);

/** A local `$ref` ("#/definitions/x") resolved against the root schema; other refs are not followed. */
function resolveRef(ref: string, root: unknown): unknown {
  if (!ref.startsWith("#")) return undefined;
  let node: unknown = root;
  for (const part of ref.slice(1).split("/").filter(Boolean)) {
    const key = decodeURIComponent(part).replace(/~1/g, "/").replace(/~0/g, "~");
    if (!isNode(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** The schema nodes that together describe one value: the nodes themselves and every branch and reference within. */
function expand(nodes: unknown[], root: unknown): Node[] {
  const out: Node[] = [];
  const seen = new Set<unknown>();
  const visit = (node: unknown) => {
    if (!isNode(node) || seen.has(node)) return;
    seen.add(node);
    out.push(node);
    if (typeof node.$ref === "string") visit(resolveRef(node.$ref, root));
    for (const list of [node.allOf, node.anyOf, node.oneOf]) if (Array.isArray(list)) list.forEach(visit);
    visit(node.if);
    visit(node.then);
    visit(node.else);
    for (const dependency of Object.values(node.dependencies ?? {})) visit(dependency);
  };
  nodes.forEach(visit);
  return out;
}

function childSchemas(nodes: Node[], key: string): { declared: boolean; schemas: unknown[] } {
  const schemas: unknown[] = [];
  let declared = false;
  for (const node of nodes) {
    const properties = node.properties;
    if (properties && typeof properties === "object" && Object.prototype.hasOwnProperty.call(properties, key)) {
      declared = true;
      schemas.push(properties[key]);
      continue;
    }
    for (const [pattern, schema] of Object.entries(node.patternProperties ?? {})) {
      if (safeRegExp(pattern)?.test(key)) {
        declared = true;
        schemas.push(schema);
      }
    }
    if (node.additionalProperties === true || isNode(node.additionalProperties)) {
      declared = true;
      schemas.push(node.additionalProperties);
    }
  }
  return { declared, schemas };
}

function itemSchemas(nodes: Node[], index: number): unknown[] {
  const schemas: unknown[] = [];
  for (const node of nodes) {
    if (Array.isArray(node.items)) schemas.push(index < node.items.length ? node.items[index] : node.additionalItems);
    else if (node.items !== undefined) schemas.push(node.items);
  }
  return schemas;
}

function walk(nodes: Node[], value: unknown, path: string[], root: unknown, out: string[]) {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      const schemas = itemSchemas(nodes, i);
      if (!schemas.some((s) => s === true)) walk(expand(schemas, root), item, [...path, String(i)], root, out);
    });
    return;
  }
  if (!isNode(value)) return;
  // An object where a list (repeating group) is declared is one type error, which the validator reports at the
  // field; its keys are not "undeclared properties" on top of it.
  if (nodes.length > 0 && nodes.every((n) => (n as { type?: unknown }).type === "array")) return;
  for (const key of Object.keys(value)) {
    const { declared, schemas } = childSchemas(nodes, key);
    if (!declared) {
      out.push(toPointer([...path, key]));
      continue;
    }
    // `true` as a schema (or `additionalProperties: true`) declares anything below it.
    if (schemas.some((s) => s === true)) continue;
    walk(expand(schemas, root), (value as Record<string, unknown>)[key], [...path, key], root, out);
  }
}

function safeRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, "u");
  } catch {
    return undefined;
  }
}
