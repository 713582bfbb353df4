/**
 * Thai formats for JSON Schema forms.
 *
 * `thaiCustomFormats` plugs into `customizeValidator({ customFormats: thaiCustomFormats })` and is
 * safe for the browser. Stored values are canonical (digits only), which is what the widgets
 * write, so the formats are strict about separators.
 *
 * `"format": "thai-address"` goes on an address *object* schema. ajv applies formats to strings
 * only, so the server checks those objects with `findInvalidThaiAddresses` after ajv.
 */
import { toPointer } from "../json-pointer";
import type { ThaiAddressInput } from "./address";
import { isValidThaiNationalId } from "./national-id";

export const THAI_ADDRESS_FORMAT = "thai-address";

export const thaiCustomFormats = {
  "thai-national-id": (value: string) => /^\d{13}$/.test(value) && isValidThaiNationalId(value),
  "thai-mobile": (value: string) => /^0[689]\d{8}$/.test(value),
  // Registered only so ajv knows the name (it would warn "unknown format" on every compile);
  // ajv never calls it for the objects it sits on — findInvalidThaiAddresses does the real check.
  [THAI_ADDRESS_FORMAT]: () => true,
} satisfies Record<string, (value: string) => boolean>;

type Schema = {
  $ref?: string;
  format?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema | Schema[];
  prefixItems?: Schema[];
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  then?: Schema;
  else?: Schema;
  dependencies?: Record<string, Schema | string[]>;
};

const ADDRESS_KEYS = ["province", "district", "subdistrict", "postcode"] as const;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A local "#/definitions/x" reference; anything else is not followed. */
function resolveRef(root: Schema, ref: string): Schema | undefined {
  if (!ref.startsWith("#")) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(1).split("/").filter(Boolean)) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    node = isObject(node) ? node[key] : undefined;
  }
  return isObject(node) ? (node as Schema) : undefined;
}

/** Walks schema and data together, collecting the thai-address objects that have something filled in. */
function collectAddresses(root: Schema, schema: Schema, data: unknown, path: (string | number)[], seen: Set<Schema>, out: Map<string, ThaiAddressInput>) {
  // Subschemas that apply to the same data (allOf, $ref …) could cycle through $ref; `seen` is per data location.
  if (seen.has(schema)) return;
  seen.add(schema);

  if (schema.$ref) {
    const target = resolveRef(root, schema.$ref);
    if (target) collectAddresses(root, target, data, path, seen, out);
  }
  // Every branch is walked: a thai-address object under a oneOf/if is checked whichever branch matched.
  const sameData = [...(schema.allOf ?? []), ...(schema.anyOf ?? []), ...(schema.oneOf ?? []), schema.then, schema.else];
  for (const [key, dep] of Object.entries(schema.dependencies ?? {})) {
    if (isObject(data) && key in data && !Array.isArray(dep)) sameData.push(dep);
  }
  for (const sub of sameData) if (sub) collectAddresses(root, sub, data, path, seen, out);

  if (isObject(data)) {
    // An address with nothing filled in is left to ajv's `required`; a partly filled one is checked.
    const filled = ADDRESS_KEYS.some((key) => data[key] !== undefined && data[key] !== "");
    if (schema.format === THAI_ADDRESS_FORMAT && filled) out.set(toPointer(path), data);
    for (const [key, value] of Object.entries(data)) {
      const sub = schema.properties?.[key] ?? (isObject(schema.additionalProperties) ? schema.additionalProperties : undefined);
      if (sub) collectAddresses(root, sub, value, [...path, key], new Set(), out);
    }
  }
  if (Array.isArray(data)) {
    data.forEach((value, index) => {
      const tuple = schema.prefixItems ?? (Array.isArray(schema.items) ? schema.items : undefined);
      const sub = tuple && index < tuple.length ? tuple[index] : Array.isArray(schema.items) ? undefined : schema.items;
      if (sub) collectAddresses(root, sub, value, [...path, index], new Set(), out);
    });
  }
}

/**
 * JSON pointers ("/applicant/address") of the objects whose schema says `"format": "thai-address"`
 * but whose province/district/subdistrict/postcode do not belong together. Async because the
 * address data loads lazily; it is imported only when the data holds an address, and dynamically,
 * so a browser bundle that imports this module for `thaiCustomFormats` never carries the dataset.
 */
export async function findInvalidThaiAddresses(schema: object, data: unknown): Promise<{ pointer: string }[]> {
  const found = new Map<string, ThaiAddressInput>();
  collectAddresses(schema as Schema, schema as Schema, data, [], new Set(), found);
  if (found.size === 0) return [];
  const { loadThaiAddressBook } = await import("./address");
  const book = await loadThaiAddressBook();
  return [...found].filter(([, address]) => !book.isValid(address)).map(([pointer]) => ({ pointer }));
}
