/** RFC 6901 JSON pointers over plain data ("/business/name"). */
export function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw new Error(`Not a JSON pointer: ${pointer}`);
  return pointer
    .slice(1)
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
}

export function toPointer(parts: (string | number)[]): string {
  return parts.map((p) => "/" + String(p).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

export function getAt(data: unknown, pointer: string): unknown {
  let node: unknown = data;
  for (const key of parsePointer(pointer)) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Returns a copy of data with the value at pointer replaced (intermediate objects created). */
export function setAt<T>(data: T, pointer: string, value: unknown): T {
  const parts = parsePointer(pointer);
  if (parts.length === 0) return value as T;
  const [head, ...rest] = parts;
  const base = (data && typeof data === "object" ? data : {}) as Record<string, unknown>;
  const copy: Record<string, unknown> = Array.isArray(base) ? ([...base] as never) : { ...base };
  copy[head] = setAt(base[head], toPointer(rest), value);
  return copy as T;
}

type SchemaNode = {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  dependencies?: Record<string, unknown>;
  allOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  then?: SchemaNode;
  else?: SchemaNode;
};

/** The sub-schema a pointer addresses in a form schema, looking through conditionals; undefined when absent. */
export function schemaAt(schema: unknown, pointer: string): SchemaNode | undefined {
  let candidates: SchemaNode[] = [schema as SchemaNode];
  for (const key of parsePointer(pointer)) {
    const next: SchemaNode[] = [];
    const visit = (node: SchemaNode | undefined) => {
      if (!node || typeof node !== "object") return;
      if (node.properties?.[key]) next.push(node.properties[key]);
      if (/^\d+$/.test(key) && node.items) next.push(node.items);
      for (const sub of [...(node.allOf ?? []), ...(node.oneOf ?? []), ...(node.anyOf ?? []), node.then, node.else]) visit(sub);
      for (const dep of Object.values(node.dependencies ?? {})) {
        if (dep && typeof dep === "object" && !Array.isArray(dep)) visit(dep as SchemaNode);
      }
    };
    candidates.forEach(visit);
    if (next.length === 0) return undefined;
    candidates = next;
  }
  return candidates[0];
}
