/**
 * A picture of a workflow, drawn from its definition: an inline, accessible SVG.
 * Server-rendered and then hydrated, so everything here is deterministic: ids come from
 * React's useId (stable across server and client), never from random numbers or `window`.
 */
import { useId, useMemo, type KeyboardEvent } from "react";
import {
  DIAGRAM_FONT_FAMILY,
  DIAGRAM_METRICS,
  layoutWorkflow,
  nodeSubText,
  type DiagramEdge,
  type DiagramNode,
  type DiagramPoint,
  type DiagramWorkflowConfig,
  type LayoutOptions,
} from "~/core/workflow/diagram-layout";
import type { Lang, LocalizedText } from "~/core/text";
import { ROLE_LABELS } from "~/core/workflow/labels";

export type WorkflowDiagramProps = {
  config: DiagramWorkflowConfig;
  lang: Lang;
  /** The state the case is in now: drawn filled and bold. */
  currentState?: string;
  /** States the case has already been through: lightly tinted. */
  visitedStates?: readonly string[];
  /** Accessible name and <title>; defaults to "Workflow" in the chosen language. */
  title?: string;
  /** How role ids are shown under an arrow's label; the raw id when a role is missing here. */
  roleLabels?: Record<string, LocalizedText>;
  className?: string;
  layoutOptions?: LayoutOptions;
  /** The state chosen in an editor: drawn with a selection outline. */
  selectedState?: string;
  /** Makes the state boxes buttons (click, Enter, Space) that report their state id. */
  onSelectState?: (id: string) => void;
  /** Makes the arrows' labels buttons that report the transition's source state and event. */
  onSelectTransition?: (from: string, event: string) => void;
};

const COLORS = {
  text: "#1e293b",
  muted: "#64748b",
  edge: "#64748b",
  normal: { fill: "#ffffff", stroke: "#475569" },
  waiting: { fill: "#fffbeb", stroke: "#b45309" },
  approved: { fill: "#f0fdf4", stroke: "#15803d" },
  rejected: { fill: "#fef2f2", stroke: "#b91c1c" },
  final: { fill: "#f8fafc", stroke: "#334155" },
  visited: { fill: "#e0ecff" },
  current: { fill: "#1d4ed8", stroke: "#1e3a8a", text: "#ffffff", sub: "#dbeafe" },
  selected: "#2c5fd6",
} as const;

const TEXT = {
  th: {
    title: "ขั้นตอนการดำเนินงาน",
    steps: "ขั้นตอน",
    current: "ขั้นตอนปัจจุบัน",
    start: "เริ่มต้น",
    end: "สิ้นสุด",
    condition: "มีเงื่อนไข",
  },
  en: {
    title: "Workflow",
    steps: "Steps",
    current: "Current step",
    start: "start",
    end: "end",
    condition: "condition",
  },
} as const;

/**
 * A smooth path through every one of dagre's points (a Catmull-Rom spline as cubic Béziers), so
 * the line runs through the middle of its label, which dagre placed on one of those points.
 */
export function smoothPath(points: readonly DiagramPoint[]): string {
  const f = (n: number) => String(Math.round(n * 10) / 10);
  if (points.length === 0) return "";
  let d = `M${f(points[0].x)},${f(points[0].y)}`;
  if (points.length === 2) return `${d}L${f(points[1].x)},${f(points[1].y)}`;
  for (let i = 0; i < points.length - 1; i++) {
    const p0 = points[i - 1] ?? points[i];
    const p1 = points[i];
    const p2 = points[i + 1];
    const p3 = points[i + 2] ?? p2;
    const c1 = { x: p1.x + (p2.x - p0.x) / 6, y: p1.y + (p2.y - p0.y) / 6 };
    const c2 = { x: p2.x - (p3.x - p1.x) / 6, y: p2.y - (p3.y - p1.y) / 6 };
    d += `C${f(c1.x)},${f(c1.y)} ${f(c2.x)},${f(c2.y)} ${f(p2.x)},${f(p2.y)}`;
  }
  return d;
}

function nodeColors(node: DiagramNode) {
  if (node.final)
    return node.outcome === "approved" ? COLORS.approved : node.outcome === "rejected" ? COLORS.rejected : COLORS.final;
  if (node.pausesSla) return COLORS.waiting;
  return COLORS.normal;
}

/** Enter and Space activate an SVG element that plays a button, as they would a real one. */
function onActivateKey(activate: () => void) {
  return (event: KeyboardEvent<SVGGElement>) => {
    if (event.key !== "Enter" && event.key !== " ") return;
    event.preventDefault();
    activate();
  };
}

// The platform's role names unless the caller passes its own; never the bare role ids.
function roleText(roles: readonly string[], lang: Lang, roleLabels: Record<string, LocalizedText> = ROLE_LABELS): string {
  return roles.map((r) => roleLabels[r]?.[lang] || roleLabels[r]?.th || r).join(", ");
}

export function WorkflowDiagram({
  config,
  lang,
  currentState,
  visitedStates,
  title,
  roleLabels,
  className,
  layoutOptions,
  selectedState,
  onSelectState,
  onSelectTransition,
}: WorkflowDiagramProps) {
  const layout = useMemo(() => layoutWorkflow(config, lang, layoutOptions), [config, lang, layoutOptions]);
  // useId is the same on the server and in the browser; stripped of ':' so it is safe in url(#…).
  const uid = `wfd${useId().replace(/[^a-zA-Z0-9_-]/g, "")}`;
  const t = TEXT[lang];
  const m = DIAGRAM_METRICS;
  const visited = new Set(visitedStates ?? []);
  const heading = title ?? t.title;
  const nodeById = new Map(layout.nodes.map((n) => [n.id, n]));

  const stepsText = layout.nodes
    .map((n, i) => {
      const notes = [n.kind === "initial" ? t.start : "", n.final ? t.end : "", nodeSubText(n, lang)].filter(Boolean);
      return `${i + 1}. ${n.label}${notes.length ? ` (${notes.join(", ")})` : ""}`;
    })
    .join("; ");
  const current = currentState ? nodeById.get(currentState) : undefined;
  const ariaLabel = `${heading}. ${t.steps}: ${stepsText}.${current ? ` ${t.current}: ${current.label}.` : ""}`;
  const description = layout.edges
    .map((e) => `${nodeById.get(e.from)?.label} → ${nodeById.get(e.to)?.label}: ${edgeTitle(e)}`)
    .join("\n");

  function edgeTitle(e: DiagramEdge): string {
    const roles = roleText(e.roles, lang, roleLabels);
    const guard = e.guarded ? ` (${t.condition}${e.guardType ? `: ${e.guardType}` : ""})` : "";
    return `${[e.label || e.event, roles].filter(Boolean).join(" · ")}${guard}`;
  }
  /** A clickable arrow's name: its shown lines in order, then what is not shown (WCAG 2.5.3, label in name). */
  function edgeName(e: DiagramEdge): string {
    const roles = roleText(e.roles, lang, roleLabels);
    const guard = e.guarded ? ` (${t.condition}${e.guardType ? `: ${e.guardType}` : ""})` : "";
    return `${[...e.labelLines, roles].filter(Boolean).join(" ")}${guard}`;
  }

  // Children of role="img" are hidden from assistive technology, so an interactive diagram is a group.
  const interactive = Boolean(onSelectState || onSelectTransition);

  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      role={interactive ? "group" : "img"}
      aria-label={ariaLabel}
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      // Natural size by default, shrinking with a narrower container (the viewBox keeps the ratio).
      width={layout.width}
      height={layout.height}
      className={className}
      style={{ maxWidth: "100%", height: "auto", display: "block" }}
      fontFamily={DIAGRAM_FONT_FAMILY}
      data-workflow={config.id}
    >
      <title>{heading}</title>
      <desc>{description}</desc>
      <defs>
        <marker
          id={`${uid}-arrow`}
          viewBox="0 0 10 10"
          refX="9.5"
          refY="5"
          markerWidth="9"
          markerHeight="9"
          markerUnits="userSpaceOnUse"
          orient="auto"
        >
          <path d="M0,0.8L10,5L0,9.2z" fill={COLORS.edge} />
        </marker>
      </defs>

      {layout.start && (
        <g data-start="true">
          <circle cx={layout.start.x} cy={layout.start.y} r={layout.start.radius} fill={COLORS.text} />
          <path
            d={smoothPath(layout.start.points)}
            fill="none"
            stroke={COLORS.edge}
            strokeWidth={1.5}
            markerEnd={`url(#${uid}-arrow)`}
          />
        </g>
      )}

      <g data-layer="edges">
        {layout.edges.map((e) => (
          <g
            key={e.id}
            data-edge={e.id}
            data-from={e.from}
            data-to={e.to}
            data-guarded={e.guarded ? "true" : undefined}
          >
            <title>{edgeTitle(e)}</title>
            <path
              d={smoothPath(e.points)}
              fill="none"
              stroke={COLORS.edge}
              strokeWidth={1.5}
              strokeDasharray={e.guarded ? "5 4" : undefined}
              markerEnd={`url(#${uid}-arrow)`}
            />
          </g>
        ))}
      </g>

      <g data-layer="edge-labels">
        {layout.edges.map((e) => {
          if (e.labelWidth === 0) return null;
          const roles = roleText(e.roles, lang, roleLabels);
          const lineH = m.edgeLineHeight;
          const top = e.labelY - e.labelHeight / 2 + m.edgeLabelPaddingY;
          const labelLineY = (i: number) => top + m.edgeFontSize * lineH * (i + 0.5);
          const roleLineY = top + e.labelLines.length * m.edgeFontSize * lineH + (m.edgeRoleFontSize * lineH) / 2;
          const select = onSelectTransition ? () => onSelectTransition(e.from, e.event) : undefined;
          return (
            <g
              key={e.id}
              data-edge-label={e.id}
              role={select ? "button" : undefined}
              tabIndex={select ? 0 : undefined}
              aria-label={select ? edgeName(e) : undefined}
              onClick={select}
              onKeyDown={select ? onActivateKey(select) : undefined}
              style={select ? { cursor: "pointer" } : undefined}
            >
              <rect
                x={e.labelX - e.labelWidth / 2}
                y={e.labelY - e.labelHeight / 2}
                width={e.labelWidth}
                height={e.labelHeight}
                rx={4}
                fill="#ffffff"
                fillOpacity={0.92}
              />
              {e.labelLines.map((line, i) => (
                <text
                  key={i}
                  x={e.labelX}
                  y={labelLineY(i)}
                  textAnchor="middle"
                  dominantBaseline="central"
                  fontSize={m.edgeFontSize}
                  fill={COLORS.text}
                >
                  {/* A space after all but the last line: read together, the lines stay separate words. */}
                  {i < e.labelLines.length - 1 || roles ? `${line} ` : line}
                </text>
              ))}
              {roles && (
                <text
                  x={e.labelX}
                  y={roleLineY}
                  textAnchor="middle"
                  dominantBaseline="central"
                  fontSize={m.edgeRoleFontSize}
                  fill={COLORS.muted}
                >
                  {roles}
                </text>
              )}
            </g>
          );
        })}
      </g>

      <g data-layer="nodes">
        {layout.nodes.map((n) => {
          const isCurrent = n.id === currentState;
          const isVisited = !isCurrent && visited.has(n.id);
          const base = nodeColors(n);
          const fill = isCurrent ? COLORS.current.fill : isVisited ? COLORS.visited.fill : base.fill;
          const stroke = isCurrent ? COLORS.current.stroke : base.stroke;
          const textColor = isCurrent ? COLORS.current.text : COLORS.text;
          const subColor = isCurrent ? COLORS.current.sub : n.pausesSla ? COLORS.waiting.stroke : COLORS.muted;
          const sub = nodeSubText(n, lang);
          const left = n.x - n.width / 2;
          const top = n.y - n.height / 2;
          // Label lines are centred in the box, or start near the top when an SLA line follows.
          const firstLineY = sub ? top + 23 : n.y - ((n.labelLines.length - 1) * m.nodeLineHeight) / 2;
          const isSelected = n.id === selectedState;
          const select = onSelectState ? () => onSelectState(n.id) : undefined;
          return (
            <g
              key={n.id}
              data-state={n.id}
              data-kind={n.kind}
              data-current={isCurrent ? "true" : undefined}
              data-visited={isVisited ? "true" : undefined}
              data-selected={isSelected ? "true" : undefined}
              aria-current={isCurrent ? "step" : undefined}
              role={select ? "button" : undefined}
              tabIndex={select ? 0 : undefined}
              aria-label={select ? [...n.labelLines, sub].filter(Boolean).join(" ") : undefined}
              aria-pressed={select ? isSelected : undefined}
              onClick={select}
              onKeyDown={select ? onActivateKey(select) : undefined}
              style={select ? { cursor: "pointer" } : undefined}
            >
              {isSelected && (
                <rect
                  data-selection="true"
                  x={left - 5}
                  y={top - 5}
                  width={n.width + 10}
                  height={n.height + 10}
                  rx={14}
                  fill="none"
                  stroke={COLORS.selected}
                  strokeWidth={3}
                />
              )}
              <rect
                x={left}
                y={top}
                width={n.width}
                height={n.height}
                rx={10}
                fill={fill}
                stroke={stroke}
                strokeWidth={isCurrent ? 2.5 : 1.5}
              />
              {n.final && (
                <rect
                  x={left + 4}
                  y={top + 4}
                  width={n.width - 8}
                  height={n.height - 8}
                  rx={7}
                  fill="none"
                  stroke={isCurrent ? COLORS.current.text : stroke}
                  strokeWidth={1.25}
                />
              )}
              {n.labelLines.map((line, i) => (
                <text
                  key={i}
                  x={n.x}
                  y={firstLineY + i * m.nodeLineHeight}
                  textAnchor="middle"
                  dominantBaseline="central"
                  fontSize={m.nodeFontSize}
                  fontWeight={isCurrent ? 700 : 500}
                  fill={textColor}
                >
                  {i < n.labelLines.length - 1 || sub ? `${line} ` : line}
                </text>
              ))}
              {sub && (
                <text
                  x={n.x}
                  y={top + n.height - 17}
                  textAnchor="middle"
                  dominantBaseline="central"
                  fontSize={m.nodeSubFontSize}
                  fill={subColor}
                >
                  {sub}
                </text>
              )}
            </g>
          );
        })}
      </g>
    </svg>
  );
}

export default WorkflowDiagram;
