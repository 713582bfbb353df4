/**
 * Lays out a flat XState workflow definition as a top-to-bottom diagram (boxes and arrows).
 * Pure: no DOM, no I/O, so the same code runs on the server (SSR) and in the browser, and the
 * same definition always gives the same coordinates (dagre is deterministic for a given
 * insertion order, and we insert in the definition's own key order).
 */
import dagre from "@dagrejs/dagre";
import type { EdgeLabel, GraphLabel, NodeLabel } from "@dagrejs/dagre";
import type { Lang, LocalizedText } from "~/core/text";

// ---------------------------------------------------------------------------------------------
// The part of a workflow definition the diagram reads. Kept structural and loose on purpose:
// it is JSON read from disk, and the diagram should draw whatever it is given.

type LabelLike = LocalizedText | string | undefined;

export type DiagramTransitionObject = {
  target?: string | string[];
  guard?: unknown;
  actions?: unknown;
  meta?: { label?: LabelLike; roles?: string[]; [key: string]: unknown };
  [key: string]: unknown;
};
export type DiagramTransition = string | DiagramTransitionObject | Array<string | DiagramTransitionObject>;

export type DiagramStateConfig = {
  type?: string;
  meta?: {
    label?: LabelLike;
    slaDays?: number;
    pausesSla?: boolean;
    outcome?: string;
    [key: string]: unknown;
  };
  on?: Record<string, DiagramTransition | undefined>;
  always?: DiagramTransition;
  after?: Record<string, DiagramTransition | undefined>;
  [key: string]: unknown;
};

export type DiagramWorkflowConfig = {
  id?: string;
  initial?: string;
  states: Record<string, DiagramStateConfig>;
  [key: string]: unknown;
};

// ---------------------------------------------------------------------------------------------
// What the layout returns.

export type DiagramNodeKind = "initial" | "normal" | "final" | "waiting";
export type DiagramPoint = { x: number; y: number };

export type DiagramNode = {
  id: string;
  label: string;
  /** `label` broken at spaces into lines that fit the box (Thai phrases are separated by spaces). */
  labelLines: string[];
  /** Centre of the box, like dagre. */
  x: number;
  y: number;
  width: number;
  height: number;
  kind: DiagramNodeKind;
  slaDays?: number;
  /** The box is also an end state / pauses the SLA clock, whatever its `kind` says first. */
  final: boolean;
  pausesSla: boolean;
  outcome?: string;
};

export type DiagramEdge = {
  id: string;
  from: string;
  to: string;
  event: string;
  label: string;
  labelLines: string[];
  roles: string[];
  /** From the border of `from` to the border of `to`; at least two points. */
  points: DiagramPoint[];
  guarded: boolean;
  /** The name of the guard (e.g. `fieldEquals`) when there is one. */
  guardType?: string;
  /** Centre of the label block as placed by dagre, and its size. */
  labelX: number;
  labelY: number;
  labelWidth: number;
  labelHeight: number;
};

export type DiagramLayout = {
  width: number;
  height: number;
  nodes: DiagramNode[];
  edges: DiagramEdge[];
  /** The small filled dot marking where the workflow starts, and the arrow from it. */
  start?: { x: number; y: number; radius: number; points: DiagramPoint[] };
};

export type LayoutOptions = {
  /** Where dagre puts an edge label relative to its edge. Default "c" (on the edge). */
  labelpos?: "l" | "c" | "r";
  nodesep?: number;
  ranksep?: number;
  edgesep?: number;
  margin?: number;
};

// ---------------------------------------------------------------------------------------------
// Sizes shared with the component, so what is measured here is what is drawn there.

export const DIAGRAM_FONT_FAMILY = 'Sarabun, "Noto Sans Thai", Laksaman, sans-serif';
export const DIAGRAM_METRICS = {
  nodeFontSize: 15,
  nodeSubFontSize: 12,
  edgeFontSize: 12.5,
  edgeRoleFontSize: 10.5,
  nodePaddingX: 18,
  nodeMinWidth: 120,
  nodeMaxTextWidth: 250,
  nodeLineHeight: 20,
  nodeHeight: 44,
  nodeHeightWithSub: 62,
  edgeMaxTextWidth: 170,
  edgeLabelPaddingX: 6,
  edgeLabelPaddingY: 3,
  edgeLineHeight: 1.35,
  startRadius: 7,
} as const;

// Thai combining marks sit above or below the previous character and take no horizontal space.
function isThaiCombining(cp: number): boolean {
  return cp === 0x0e31 || (cp >= 0x0e34 && cp <= 0x0e3a) || (cp >= 0x0e47 && cp <= 0x0e4e);
}

/** Advance width in em of one character, roughly Sarabun's (measured from the font's metrics). */
function charWidthEm(cp: number): number {
  if (isThaiCombining(cp)) return 0;
  if (cp >= 0x0e50 && cp <= 0x0e59) return 0.69; // Thai digits
  if (cp === 0x0e30 || cp === 0x0e32 || cp === 0x0e33 || (cp >= 0x0e40 && cp <= 0x0e46)) return 0.46;
  if (cp >= 0x0e01 && cp <= 0x0e2f) return 0.63; // Thai consonants
  if (cp >= 0x0e00 && cp <= 0x0e7f) return 0.55;
  if (cp === 0x20) return 0.25;
  if (cp >= 0x30 && cp <= 0x39) return 0.56;
  if (cp >= 0x41 && cp <= 0x5a) return cp === 0x4d || cp === 0x57 ? 0.85 : 0.63; // M, W
  if (cp >= 0x61 && cp <= 0x7a) {
    if (cp === 0x69 || cp === 0x6a || cp === 0x6c) return 0.26; // i j l
    if (cp === 0x6d || cp === 0x77) return 0.8; // m w
    if (cp === 0x66 || cp === 0x74 || cp === 0x72) return 0.34; // f t r
    return 0.52;
  }
  if (cp < 0x80) return 0.33; // punctuation
  if (cp === 0xb7) return 0.3; // middle dot
  return 0.7; // anything else: err on the wide side
}

/**
 * Estimated rendered width, in px, of `text` at `fontSize`. Thai combining marks
 * (U+0E31, U+0E34–U+0E3A, U+0E47–U+0E4E) count as zero. `bold` widens by ~5% like Sarabun Bold.
 */
export function estimateTextWidth(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const ch of text) em += charWidthEm(ch.codePointAt(0) ?? 0);
  return em * fontSize * (bold ? 1.06 : 1);
}

/**
 * Breaks `text` at spaces into lines no wider than `maxWidth` (a single word wider than that
 * stays on its own line). Only spaces: Thai word breaking needs a dictionary, and the server's
 * and browser's dictionaries could disagree, which would break hydration.
 */
export function wrapText(text: string, fontSize: number, maxWidth: number, bold = false): string[] {
  const words = text.split(/ +/).filter(Boolean);
  if (words.length === 0) return text ? [text] : [];
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && estimateTextWidth(candidate, fontSize, bold) > maxWidth) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line) lines.push(line);
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Text helpers shared with the component.

export function pickLabel(label: LabelLike, lang: Lang, fallback: string): string {
  if (typeof label === "string") return label || fallback;
  if (!label) return fallback;
  return label[lang] || label.th || label.en || fallback;
}

export function slaText(days: number, lang: Lang): string {
  if (lang === "th") return `${days} วันทำการ`;
  return `${days} working day${days === 1 ? "" : "s"}`;
}

export function slaPausedText(lang: Lang): string {
  return lang === "th" ? "หยุดนับเวลา" : "SLA clock paused";
}

/** The second line of a box: the SLA, and/or that the SLA clock stops here. */
export function nodeSubText(node: Pick<DiagramNode, "slaDays" | "pausesSla">, lang: Lang): string {
  const parts: string[] = [];
  if (node.slaDays !== undefined) parts.push(slaText(node.slaDays, lang));
  if (node.pausesSla) parts.push(slaPausedText(lang));
  return parts.join(" · ");
}

// ---------------------------------------------------------------------------------------------

type FlatTransition = {
  event: string;
  index: number;
  target: string;
  transition: DiagramTransitionObject;
};

/** `#machine.state`, `.state` and `state` all name the sibling `state` in a flat machine. */
function normalizeTarget(target: string, machineId: string | undefined): string {
  let t = target;
  if (machineId && t.startsWith(`#${machineId}.`)) t = t.slice(machineId.length + 2);
  else if (t.startsWith("#")) t = t.slice(t.indexOf(".") + 1);
  if (t.startsWith(".")) t = t.slice(1);
  return t;
}

function flattenTransitions(
  event: string,
  value: DiagramTransition | undefined,
  machineId: string | undefined
): FlatTransition[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  const out: FlatTransition[] = [];
  list.forEach((item, index) => {
    const transition: DiagramTransitionObject = typeof item === "string" ? { target: item } : item;
    const targets =
      transition.target === undefined ? [] : Array.isArray(transition.target) ? transition.target : [transition.target];
    // A transition without a target only runs actions; it does not move the case, so no arrow.
    for (const target of targets) out.push({ event, index, target: normalizeTarget(target, machineId), transition });
  });
  return out;
}

function transitionsOf(state: DiagramStateConfig, machineId: string | undefined): FlatTransition[] {
  const out: FlatTransition[] = [];
  for (const [event, value] of Object.entries(state.on ?? {})) out.push(...flattenTransitions(event, value, machineId));
  if (state.always !== undefined) out.push(...flattenTransitions("always", state.always, machineId));
  for (const [delay, value] of Object.entries(state.after ?? {}))
    out.push(...flattenTransitions(`after ${delay}`, value, machineId));
  return out;
}

function guardName(guard: unknown): string | undefined {
  if (typeof guard === "string") return guard;
  if (guard && typeof guard === "object" && typeof (guard as { type?: unknown }).type === "string") {
    return (guard as { type: string }).type;
  }
  return undefined;
}

const round = (n: number) => Math.round(n * 10) / 10;
const START_ID = "\u0000start"; // cannot clash with a state key from JSON written by people

/** Lays out every state as a node and every transition that has a target as an edge. */
export function layoutWorkflow(config: DiagramWorkflowConfig, lang: Lang, options: LayoutOptions = {}): DiagramLayout {
  const m = DIAGRAM_METRICS;
  const margin = options.margin ?? 16;
  const labelpos = options.labelpos ?? "c";

  const g = new dagre.graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>({ multigraph: true });
  g.setGraph({
    rankdir: "TB",
    nodesep: options.nodesep ?? 36,
    ranksep: options.ranksep ?? 44,
    edgesep: options.edgesep ?? 24,
    marginx: margin,
    marginy: margin,
  });
  g.setDefaultEdgeLabel(() => ({}));

  const stateIds = Object.keys(config.states ?? {});
  // The initial state goes in first: dagre breaks cycles from the first node it meets, so arrows
  // back to the start (e.g. "resubmit") are the ones drawn upwards.
  const initial = config.initial && stateIds.includes(config.initial) ? config.initial : undefined;
  const ordered = initial ? [initial, ...stateIds.filter((id) => id !== initial)] : stateIds;

  const protoNodes = new Map<string, Omit<DiagramNode, "x" | "y">>();
  if (initial) g.setNode(START_ID, { width: m.startRadius * 2, height: m.startRadius * 2 });
  for (const id of ordered) {
    const state = config.states[id];
    const meta = state.meta ?? {};
    const label = pickLabel(meta.label, lang, id);
    const final = state.type === "final";
    const pausesSla = meta.pausesSla === true;
    const slaDays = typeof meta.slaDays === "number" ? meta.slaDays : undefined;
    const kind: DiagramNodeKind = id === initial ? "initial" : final ? "final" : pausesSla ? "waiting" : "normal";
    const sub = nodeSubText({ slaDays, pausesSla }, lang);
    // Measured in bold: the current step is drawn bold and must still fit.
    const labelLines = wrapText(label, m.nodeFontSize, m.nodeMaxTextWidth, true);
    const textWidth = Math.max(
      ...labelLines.map((line) => estimateTextWidth(line, m.nodeFontSize, true)),
      sub ? estimateTextWidth(sub, m.nodeSubFontSize, true) : 0
    );
    const width = Math.ceil(Math.max(m.nodeMinWidth, textWidth + 2 * m.nodePaddingX + (final ? 8 : 0)));
    const extraLines = Math.max(0, labelLines.length - 1) * m.nodeLineHeight;
    const height = (sub ? m.nodeHeightWithSub : m.nodeHeight) + extraLines;
    const outcome = typeof meta.outcome === "string" ? meta.outcome : undefined;
    protoNodes.set(id, { id, label, labelLines, width, height, kind, slaDays, final, pausesSla, outcome });
    g.setNode(id, { width, height });
  }
  if (initial) g.setEdge(START_ID, initial, { minlen: 1, weight: 2 }, "start");

  type ProtoEdge = Omit<DiagramEdge, "points" | "labelX" | "labelY">;
  const protoEdges: ProtoEdge[] = [];
  for (const from of ordered) {
    for (const t of transitionsOf(config.states[from], config.id)) {
      if (!protoNodes.has(t.target)) continue; // unknown target: the definition checks report it, not the picture
      const meta = t.transition.meta ?? {};
      const label = pickLabel(meta.label, lang, t.event === "always" ? "" : t.event);
      const roles = Array.isArray(meta.roles) ? meta.roles.filter((r): r is string => typeof r === "string") : [];
      const guardType = guardName(t.transition.guard);
      const id = `${from}:${t.event}:${t.index}:${t.target}`;
      const rolesText = roles.join(", ");
      const labelLines = wrapText(label, m.edgeFontSize, m.edgeMaxTextWidth);
      const textWidth = Math.max(
        0,
        ...labelLines.map((line) => estimateTextWidth(line, m.edgeFontSize)),
        rolesText ? estimateTextWidth(rolesText, m.edgeRoleFontSize) : 0
      );
      const lines = labelLines.length * m.edgeFontSize + (rolesText ? m.edgeRoleFontSize : 0);
      const hasText = textWidth > 0;
      const labelWidth = hasText ? Math.ceil(textWidth + 2 * m.edgeLabelPaddingX) : 0;
      const labelHeight = hasText ? Math.ceil(lines * m.edgeLineHeight + 2 * m.edgeLabelPaddingY) : 0;
      protoEdges.push({
        id,
        from,
        to: t.target,
        event: t.event,
        label,
        labelLines,
        roles,
        guarded: guardType !== undefined,
        guardType,
        labelWidth,
        labelHeight,
      });
      g.setEdge(
        from,
        t.target,
        { width: labelWidth, height: labelHeight, labelpos, labeloffset: 8, minlen: 1, weight: 1 },
        id
      );
    }
  }

  dagre.layout(g);

  const graph = g.graph();
  const nodes: DiagramNode[] = ordered.map((id) => {
    const laid = g.node(id);
    return { ...protoNodes.get(id)!, x: round(laid.x ?? 0), y: round(laid.y ?? 0) };
  });
  const edges: DiagramEdge[] = protoEdges.map((e) => {
    const laid = g.edge({ v: e.from, w: e.to, name: e.id });
    const points = (laid.points ?? []).map((p) => ({ x: round(p.x), y: round(p.y) }));
    return { ...e, points, labelX: round(laid.x ?? 0), labelY: round(laid.y ?? 0) };
  });

  let start: DiagramLayout["start"];
  if (initial) {
    const dot = g.node(START_ID);
    const laid = g.edge({ v: START_ID, w: initial, name: "start" });
    start = {
      x: round(dot.x ?? 0),
      y: round(dot.y ?? 0),
      radius: m.startRadius,
      points: (laid.points ?? []).map((p) => ({ x: round(p.x), y: round(p.y) })),
    };
  }

  return { width: Math.ceil(graph.width ?? 0), height: Math.ceil(graph.height ?? 0), nodes, edges, start };
}
