/**
 * The studio's JSON view: the whole service definition as text, for those who prefer it.
 * Checked as you type (debounced): JSON syntax with line and column, then the meta-schemas and
 * cross-references (validateServiceDefinition), which block Apply, and the publishing checks
 * (verifyServiceDefinition), which are shown but do not. Deterministic on the server and first client
 * render: the first check runs during render, timers only in effects, ids from useId.
 */
import { useEffect, useId, useMemo, useRef, useState } from "react";
import type { ServiceDefinition } from "~/core/definitions/types";
import { validateServiceDefinition, type DefinitionFiles } from "~/core/definitions/validate-definition";
import { verifyServiceDefinition } from "~/core/definitions/verify-definition";
import {
  lineColumnToOffset,
  lineRange,
  parseJsonText,
  pointerToLine,
  prettyJson,
  scanJson,
} from "~/core/studio/json-text";
import type { Lang, LocalizedText } from "~/core/text";

export type JsonViewProps = {
  definition: ServiceDefinition;
  /** The agency's staff roles: transitions given to other roles are reported (before publishing). */
  agencyRoles: string[];
  lang: Lang;
  onApply: (definition: ServiceDefinition) => void;
};

export type JsonProblem = {
  /** "error" blocks Apply; "warning" is shown only (publishing checks it again). */
  severity: "error" | "warning";
  /** JSON pointer into the whole definition (/manifest/…, /form/schema/…); absent for syntax errors. */
  pointer?: string;
  /** 1-based line in the checked text, when it could be found. */
  line: number | null;
  /** 1-based column, for syntax errors. */
  column?: number;
  message: LocalizedText;
};

export type DefinitionTextCheck = {
  /** The parsed definition, only when there are no errors. */
  definition: ServiceDefinition | null;
  errors: JsonProblem[];
  warnings: JsonProblem[];
};

export const JSON_CHECK_DELAY_MS = 300;

const TEXT = {
  th: {
    heading: "JSON ของบริการ",
    intro: "นิยามบริการทั้งหมด (manifest, form, workflow) ในรูป JSON ระบบตรวจสอบระหว่างพิมพ์ กด “นำไปใช้” เพื่อแทนที่ฉบับร่างที่แก้อยู่",
    textLabel: "นิยามบริการ (JSON)",
    apply: "นำไปใช้",
    reset: "คืนค่าเดิม",
    checking: "กำลังตรวจสอบ…",
    valid: "ไม่พบข้อผิดพลาด",
    errors: (n: number) => `พบข้อผิดพลาด ${n} รายการ — แก้ให้ครบก่อนนำไปใช้`,
    warnings: (n: number) => `ต้องแก้ก่อนเผยแพร่ ${n} รายการ (นำไปใช้ได้)`,
    unapplied: "มีการแก้ไขที่ยังไม่ได้นำไปใช้",
    changedElsewhere: "นิยามบริการถูกแก้ไขจากส่วนอื่นของสตูดิโอ กด “คืนค่าเดิม” เพื่อโหลดฉบับล่าสุด หรือ “นำไปใช้” เพื่อแทนที่ด้วยข้อความนี้",
    line: (n: number) => `บรรทัด ${n}`,
    lineColumn: (l: number, c: number) => `บรรทัด ${l} คอลัมน์ ${c}`,
    goTo: "ไปยังตำแหน่งนี้ในข้อความ",
  },
  en: {
    heading: "Service JSON",
    intro: "The whole service definition (manifest, form, workflow) as JSON, checked as you type. Apply replaces the draft you are editing.",
    textLabel: "Service definition (JSON)",
    apply: "Apply",
    reset: "Reset",
    checking: "Checking…",
    valid: "No problems found",
    errors: (n: number) => `${n} ${n === 1 ? "error" : "errors"} — fix before applying`,
    warnings: (n: number) => `${n} ${n === 1 ? "problem" : "problems"} to fix before publishing (you can still apply)`,
    unapplied: "Unapplied changes",
    changedElsewhere: "The definition was changed elsewhere in the studio. Reset loads the latest one; Apply replaces it with this text.",
    line: (n: number) => `line ${n}`,
    lineColumn: (l: number, c: number) => `line ${l}, column ${c}`,
    goTo: "Go to this place in the text",
  },
} as const;

const FILES: DefinitionFiles = { manifest: "manifest", form: "form", ui: "ui", workflow: "workflow" };
const PREFIX: Record<string, string> = { manifest: "/manifest", form: "/form/schema", ui: "/form/uiSchema", workflow: "/workflow" };

const isObject = (v: unknown): v is Record<string, unknown> => Boolean(v) && typeof v === "object" && !Array.isArray(v);

/** The parts a definition must have before the meta-schemas can be asked (they read def.form.schema …). */
function shapeErrors(value: unknown): { pointer: string; message: LocalizedText }[] {
  if (!isObject(value)) {
    return [
      {
        pointer: "",
        message: {
          th: "นิยามบริการต้องเป็นออบเจกต์ที่มี manifest, form และ workflow",
          en: "The definition must be an object with manifest, form and workflow",
        },
      },
    ];
  }
  const out: { pointer: string; message: LocalizedText }[] = [];
  const need = (parent: Record<string, unknown>, key: string, pointer: string) => {
    if (!isObject(parent[key])) {
      out.push({ pointer, message: { th: `ต้องมี "${key}" เป็นออบเจกต์`, en: `"${key}" is required and must be an object` } });
    }
  };
  const unknown = (parent: Record<string, unknown>, known: string[], base: string) => {
    for (const key of Object.keys(parent)) {
      if (known.includes(key)) continue;
      out.push({
        pointer: `${base}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`,
        message: { th: `ไม่รู้จัก "${key}" (ใช้ได้: ${known.join(", ")})`, en: `Unknown property "${key}" (allowed: ${known.join(", ")})` },
      });
    }
  };
  unknown(value, ["manifest", "form", "workflow"], "");
  need(value, "manifest", "/manifest");
  need(value, "workflow", "/workflow");
  if (!isObject(value.form)) need(value, "form", "/form");
  else {
    unknown(value.form, ["schema", "uiSchema"], "/form");
    need(value.form, "schema", "/form/schema");
    need(value.form, "uiSchema", "/form/uiSchema");
  }
  return out;
}

/** Checks the JSON view's text: syntax, shape, meta-schemas and cross-references, then the publishing checks. */
export function checkDefinitionText(text: string, agencyRoles: readonly string[]): DefinitionTextCheck {
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    const { line, column, message } = parsed.error;
    return {
      definition: null,
      errors: [
        {
          severity: "error",
          line,
          column,
          message: { th: `JSON ไม่ถูกต้อง: ${message}`, en: `Invalid JSON: ${message}` },
        },
      ],
      warnings: [],
    };
  }

  let locations: Map<string, number> | undefined;
  const lineOf = (pointer: string) => pointerToLine(text, pointer, (locations ??= scanJson(text).locations));
  const problem = (severity: JsonProblem["severity"], pointer: string, message: LocalizedText): JsonProblem => ({
    severity,
    pointer,
    line: lineOf(pointer),
    message,
  });

  const shape = shapeErrors(parsed.value);
  if (shape.length > 0) return { definition: null, errors: shape.map((s) => problem("error", s.pointer, s.message)), warnings: [] };

  const definition = parsed.value as ServiceDefinition;
  const errors: JsonProblem[] = [];
  const warnings: JsonProblem[] = [];
  try {
    for (const issue of validateServiceDefinition(definition, FILES)) {
      const pointer = (PREFIX[issue.file] ?? "") + (issue.path === "/" ? "" : issue.path);
      (issue.severity === "error" ? errors : warnings).push(problem(issue.severity, pointer, issue.message));
    }
  } catch (error) {
    // The meta-schemas passed but a cross-check met something unexpected: report it, never crash the view.
    const reason = error instanceof Error ? error.message : String(error);
    errors.push(problem("error", "", { th: `ตรวจสอบนิยามบริการไม่ได้: ${reason}`, en: `The definition could not be checked: ${reason}` }));
  }
  if (errors.length > 0) return { definition: null, errors, warnings };

  try {
    const seen = new Set(warnings.map((w) => `${w.pointer} ${w.message.en}`));
    const report = verifyServiceDefinition(definition, { agencyRoles: [...agencyRoles] });
    for (const finding of [...report.errors, ...report.warnings]) {
      const key = `${finding.path} ${finding.message.en}`;
      if (seen.has(key)) continue;
      seen.add(key);
      warnings.push(problem("warning", finding.path, finding.message));
    }
  } catch {
    // Publishing runs these checks again; a failure here must not stop the admin from applying.
  }
  return { definition, errors, warnings };
}

export function JsonView({ definition, agencyRoles, lang, onApply }: JsonViewProps) {
  const t = TEXT[lang];
  const uid = useId();
  const textareaRef = useRef<HTMLTextAreaElement>(null);

  const base = useMemo(() => prettyJson(definition), [definition]);
  const [text, setText] = useState(base);
  /** The definition text the editor last loaded: when the prop moves on and the text is still that, it follows. */
  const [loaded, setLoaded] = useState(base);
  /** The text the current problems were computed for (lags `text` by the debounce). */
  const [checkedText, setCheckedText] = useState(base);

  if (base !== loaded && (text === loaded || text === base)) {
    // Changed from outside (or our own Apply came back): follow it when there is nothing unapplied.
    setLoaded(base);
    if (text !== base) {
      setText(base);
      setCheckedText(base);
    }
  }

  useEffect(() => {
    if (checkedText === text) return;
    const timer = setTimeout(() => setCheckedText(text), JSON_CHECK_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, checkedText]);

  // A stable key so a new array with the same roles does not re-run the checks.
  const rolesKey = agencyRoles.join("\n");
  const roles = useMemo(() => (rolesKey ? rolesKey.split("\n") : []), [rolesKey]);
  const check = useMemo(() => checkDefinitionText(checkedText, roles), [checkedText, roles]);

  const pending = checkedText !== text;
  const dirty = text !== base;
  const changedElsewhere = base !== loaded;
  const canApply = !pending && check.definition !== null && check.errors.length === 0;

  function apply() {
    // Check the text as it is now: the button may be clicked right as the debounce fires.
    const now = checkedText === text ? check : checkDefinitionText(text, roles);
    if (!now.definition || now.errors.length > 0) return;
    const next = prettyJson(now.definition);
    setText(next);
    setCheckedText(next);
    onApply(now.definition);
  }

  function reset() {
    setText(base);
    setLoaded(base);
    setCheckedText(base);
  }

  function goTo(problem: JsonProblem) {
    const textarea = textareaRef.current;
    if (!textarea) return;
    const current = textarea.value;
    // Pointers are looked up again in the text as it is now; syntax positions are where they were found.
    const line = (problem.pointer !== undefined ? pointerToLine(current, problem.pointer) : null) ?? problem.line;
    if (line === null) return;
    const { start, end } = lineRange(current, line);
    let from: number;
    let to: number;
    if (problem.column !== undefined) {
      from = to = lineColumnToOffset(current, { line, column: problem.column });
    } else {
      from = start + (/^\s*/.exec(current.slice(start, end))?.[0].length ?? 0);
      to = end;
    }
    textarea.focus();
    textarea.setSelectionRange(from, to);
    const lineHeight = Number.parseFloat(getComputedStyle(textarea).lineHeight);
    textarea.scrollTop = Math.max(0, (line - 4) * (Number.isFinite(lineHeight) ? lineHeight : 20));
  }

  const renderProblem = (problem: JsonProblem, index: number) => {
    const where =
      problem.line === null ? null : problem.column !== undefined ? t.lineColumn(problem.line, problem.column) : t.line(problem.line);
    return (
      <li key={index} className={`bk-json-problem ${problem.severity}`}>
        <button type="button" className="bk-json-goto" onClick={() => goTo(problem)} title={t.goTo} disabled={problem.line === null}>
          {where ? <span className="bk-json-where">{where}</span> : null}
          {problem.pointer !== undefined ? <code className="bk-json-pointer">{problem.pointer || "/"}</code> : null}
          <span className="bk-json-message">{problem.message[lang] || problem.message.th}</span>
        </button>
      </li>
    );
  };

  const errorsId = `${uid}-errors`;
  return (
    <section className="bk-json" aria-labelledby={`${uid}-heading`}>
      <div className="bk-json-head">
        <h3 id={`${uid}-heading`}>{t.heading}</h3>
        {dirty ? <span className="bk-badge paused">{t.unapplied}</span> : null}
      </div>
      <p className="bk-muted bk-json-intro">{t.intro}</p>
      {changedElsewhere ? <div className="bk-alert warn">{t.changedElsewhere}</div> : null}
      <label className="bk-field bk-json-label" htmlFor={`${uid}-text`}>
        {t.textLabel}
      </label>
      <textarea
        id={`${uid}-text`}
        ref={textareaRef}
        className="bk-json-text"
        data-testid="json-text"
        value={text}
        onChange={(e) => setText(e.target.value)}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        autoCorrect="off"
        wrap="off"
        rows={28}
        aria-invalid={check.errors.length > 0 && !pending}
        aria-describedby={errorsId}
      />
      <div className="bk-json-actions">
        <button type="button" className="bk-button" data-testid="json-apply" onClick={apply} disabled={!canApply}>
          {t.apply}
        </button>
        <button type="button" className="bk-button secondary" data-testid="json-reset" onClick={reset} disabled={!dirty && !changedElsewhere}>
          {t.reset}
        </button>
        {pending ? <span className="bk-muted bk-json-pending">{t.checking}</span> : null}
      </div>
      <div id={errorsId} className="bk-json-status" data-testid="json-errors" role="status" aria-live="polite" aria-busy={pending}>
        {check.errors.length > 0 ? (
          <div className="bk-alert error bk-json-list">
            <p className="bk-json-summary">{t.errors(check.errors.length)}</p>
            <ul>{check.errors.map(renderProblem)}</ul>
          </div>
        ) : (
          <div className="bk-alert ok bk-json-list">
            <p className="bk-json-summary">{t.valid}</p>
          </div>
        )}
        {check.warnings.length > 0 ? (
          <div className="bk-alert warn bk-json-list">
            <p className="bk-json-summary">{t.warnings(check.warnings.length)}</p>
            <ul>{check.warnings.map(renderProblem)}</ul>
          </div>
        ) : null}
      </div>
    </section>
  );
}
