/**
 * The studio's form builder: a field tree (add, select, reorder by drag-and-drop or keyboard), an editor for the
 * selected field, and a live preview rendered by the same ServiceForm citizens use.
 *
 * Every change goes through the pure operations of ~/core/studio/form-builder and is handed to `onChange` as a
 * new form. Rendering depends on props and state only (no window, no random ids), so the server's HTML and the
 * first client render match.
 */
import type { RJSFSchema, UiSchema } from "@rjsf/utils";
import { Component, useEffect, useMemo, useRef, useState, type CSSProperties, type DragEvent, type FormEvent, type KeyboardEvent, type ReactNode } from "react";
import { ServiceForm } from "~/components/ServiceForm";
import { isAppError } from "~/core/errors";
import { isPrefillClaim } from "~/core/identity/verified-claims";
import {
  prefillChoices,
  FIELD_KINDS,
  UPLOAD_TYPE_CHOICES,
  addField,
  applicableRules,
  canDriveCondition,
  isFieldKind,
  listBuilderFields,
  listContainers,
  moveField,
  removeField,
  setCondition,
  updateField,
  type BuilderField,
  type BuilderForm,
  type FieldKind,
  type FieldOption,
  type OptionValue,
  type RuleKey,
} from "~/core/studio/form-builder";
import { pick, type Lang, type LocalizedText } from "~/core/text";
import { limitsHint } from "~/core/uploads/upload-format";
import { DEFAULT_TYPES, typeName } from "~/core/uploads/upload-rules";

export type FormBuilderProps = {
  form: { schema: Record<string, unknown>; uiSchema: Record<string, unknown> };
  lang: Lang;
  onChange: (form: { schema: Record<string, unknown>; uiSchema: Record<string, unknown> }) => void;
  /** The field whose editor is open at first (by pointer); none by default. */
  initialSelected?: string;
};

const TEXT = {
  th: {
    fields: "ช่องในแบบฟอร์ม",
    empty: "ยังไม่มีช่องในแบบฟอร์ม เพิ่มช่องแรกได้ด้านล่าง",
    reorderHint: "ลากเพื่อเรียงลำดับ หรือกด Alt+ลูกศรขึ้น/ลง บนแถวที่เลือก",
    addTitle: "เพิ่มช่อง",
    kind: "ชนิดช่อง",
    labelTh: "ชื่อช่อง (ภาษาไทย)",
    labelEn: "ชื่อช่อง (ภาษาอังกฤษ)",
    parent: "เพิ่มไว้ใน",
    root: "แบบฟอร์ม (ระดับบนสุด)",
    add: "เพิ่มช่อง",
    moveUp: (label: string) => `เลื่อน "${label}" ขึ้น`,
    moveDown: (label: string) => `เลื่อน "${label}" ลง`,
    moved: (label: string, position: number, total: number) => `ย้าย "${label}" ไปลำดับที่ ${position} จาก ${total}`,
    added: (label: string) => `เพิ่มช่อง "${label}" แล้ว`,
    removed: (label: string) => `ลบช่อง "${label}" แล้ว`,
    conditionSet: (label: string) => `ตั้งเงื่อนไขการแสดงของ "${label}" แล้ว`,
    conditionCleared: (label: string) => `"${label}" แสดงเสมอแล้ว`,
    required: "จำเป็น",
    conditional: "มีเงื่อนไข",
    untitled: "(ไม่มีชื่อ)",
    custom: "ชนิดกำหนดเอง",
    editTitle: "แก้ไขช่อง",
    selectPrompt: "เลือกช่องทางซ้ายเพื่อแก้ไข",
    key: "ชื่อในระบบ",
    help: "คำอธิบายช่วยกรอก",
    helpTh: "คำอธิบาย (ภาษาไทย)",
    helpEn: "คำอธิบาย (ภาษาอังกฤษ)",
    requiredLabel: "ต้องกรอก",
    rules: "เงื่อนไขการกรอก",
    rule: {
      minimum: "ค่าต่ำสุด",
      maximum: "ค่าสูงสุด",
      minLength: "จำนวนตัวอักษรต่ำสุด",
      maxLength: "จำนวนตัวอักษรสูงสุด",
      minItems: "จำนวนรายการต่ำสุด",
      maxItems: "จำนวนรายการสูงสุด",
      pattern: "รูปแบบ (regular expression)",
    } satisfies Record<RuleKey, string>,
    messageTh: "ข้อความเมื่อกรอกไม่ตรงเงื่อนไข (ภาษาไทย)",
    messageEn: "ข้อความเมื่อกรอกไม่ตรงเงื่อนไข (ภาษาอังกฤษ)",
    notNumber: { th: "กรุณากรอกตัวเลข", en: "Please enter a number" },
    options: "ตัวเลือก",
    optionValue: "ค่าที่บันทึก",
    optionTh: "ชื่อตัวเลือก (ไทย)",
    optionEn: "ชื่อตัวเลือก (อังกฤษ)",
    addOption: "เพิ่มตัวเลือก",
    removeOption: (label: string) => `ลบตัวเลือก "${label}"`,
    prefill: "เติมจากข้อมูลที่ยืนยันตัวตนแล้ว (ThaID)",
    prefillHint: "ผู้ยื่นที่เข้าสู่ระบบด้วย ThaID จะเห็นช่องนี้กรอกไว้แล้วและแก้ไขไม่ได้ ระบบตรวจซ้ำเมื่อยื่น",
    prefillNone: "ไม่เติม — ผู้ยื่นกรอกเอง",
    prefillClaims: { pid: "เลขประจำตัวประชาชน (pid)", name: "ชื่อ-นามสกุล (name)", birthdate: "วันเกิด (birthdate)", address: "ที่อยู่ (address)" },
    widget: "การแสดงตัวเลือก",
    radio: "ปุ่มเลือก (radio)",
    select: "รายการแบบเลื่อนลง",
    upload: "การแนบไฟล์",
    uploadTypes: "ชนิดไฟล์ที่รับ",
    uploadMaxMb: "ขนาดสูงสุดต่อไฟล์ (MB)",
    uploadMaxFiles: "จำนวนไฟล์สูงสุด",
    uploadAgencyMax: "ตามเพดานของหน่วยงาน",
    uploadNeedSize: { th: "กรุณากรอกขนาดเป็นตัวเลข (MB)", en: "Please enter the size in MB" },
    uploadSummary: "ผู้ยื่นจะเห็น:",
    uploadCeiling: "ขนาดที่รับจริงไม่เกินเพดานของหน่วยงาน และระบบตรวจชนิดไฟล์จากเนื้อไฟล์",
    condition: "เงื่อนไขการแสดง",
    always: "แสดงเสมอ",
    shownWhen: (field: string, value: string) => `แสดงเมื่อ "${field}" เท่ากับ "${value}"`,
    showWhen: "แสดงเมื่อช่อง",
    equals: "มีค่าเท่ากับ",
    chooseField: "— เลือกช่อง —",
    apply: "ใช้เงื่อนไข",
    clear: "แสดงเสมอ (ลบเงื่อนไข)",
    noSources: "ยังไม่มีช่องที่ใช้เป็นเงื่อนไขได้ (ช่องข้อความ ตัวเลข วันที่ ตัวเลือก หรือใช่/ไม่ใช่)",
    inGroup: "ช่องในชุดข้อมูลที่เพิ่มได้หลายชุดตั้งเงื่อนไขการแสดงไม่ได้",
    inherited: "ช่องนี้แสดงตามเงื่อนไขของหัวข้อที่อยู่ หรือกฎที่กำหนดไว้เอง",
    yes: "ใช่",
    no: "ไม่ใช่",
    remove: "ลบช่องนี้",
    confirmRemove: (label: string) => `ลบช่อง "${label}" รวมทั้งทุกช่องที่อยู่ภายใน? เงื่อนไขที่อ้างถึงช่องนี้จะถูกลบด้วย`,
    confirmYes: "ยืนยันการลบ",
    cancel: "ยกเลิก",
    preview: "ตัวอย่างแบบฟอร์ม",
    previewNote: "ลองกรอกได้ ข้อมูลในตัวอย่างจะไม่ถูกบันทึก",
    previewFailed: "แสดงตัวอย่างไม่ได้:",
  },
  en: {
    fields: "Form fields",
    empty: "The form has no fields yet. Add the first one below.",
    reorderHint: "Drag to reorder, or press Alt+Arrow Up/Down on a focused row",
    addTitle: "Add a field",
    kind: "Field type",
    labelTh: "Label (Thai)",
    labelEn: "Label (English)",
    parent: "Add to",
    root: "Form (top level)",
    add: "Add field",
    moveUp: (label: string) => `Move "${label}" up`,
    moveDown: (label: string) => `Move "${label}" down`,
    moved: (label: string, position: number, total: number) => `Moved "${label}" to position ${position} of ${total}`,
    added: (label: string) => `Added "${label}"`,
    removed: (label: string) => `Removed "${label}"`,
    conditionSet: (label: string) => `Display condition set for "${label}"`,
    conditionCleared: (label: string) => `"${label}" is now always shown`,
    required: "Required",
    conditional: "Conditional",
    untitled: "(untitled)",
    custom: "Custom",
    editTitle: "Edit field",
    selectPrompt: "Select a field on the left to edit it",
    key: "Key",
    help: "Help text",
    helpTh: "Help text (Thai)",
    helpEn: "Help text (English)",
    requiredLabel: "Required",
    rules: "Validation rules",
    rule: {
      minimum: "Minimum",
      maximum: "Maximum",
      minLength: "Minimum length",
      maxLength: "Maximum length",
      minItems: "Minimum items",
      maxItems: "Maximum items",
      pattern: "Pattern (regular expression)",
    } satisfies Record<RuleKey, string>,
    messageTh: "Message when a rule fails (Thai)",
    messageEn: "Message when a rule fails (English)",
    notNumber: { th: "กรุณากรอกตัวเลข", en: "Please enter a number" },
    options: "Options",
    optionValue: "Stored value",
    optionTh: "Option label (Thai)",
    optionEn: "Option label (English)",
    addOption: "Add option",
    removeOption: (label: string) => `Remove option "${label}"`,
    prefill: "Prefill from verified identity (ThaID)",
    prefillHint: "Applicants signed in with ThaID see this field filled in and read-only; the server re-checks it on filing",
    prefillNone: "No prefill — the applicant types it",
    prefillClaims: { pid: "National ID (pid)", name: "Full name (name)", birthdate: "Date of birth (birthdate)", address: "Address (address)" },
    widget: "Show options as",
    radio: "Radio buttons",
    select: "Drop-down list",
    upload: "File uploads",
    uploadTypes: "Accepted file types",
    uploadMaxMb: "Maximum size per file (MB)",
    uploadMaxFiles: "Maximum number of files",
    uploadAgencyMax: "The agency's maximum",
    uploadNeedSize: { th: "กรุณากรอกขนาดเป็นตัวเลข (MB)", en: "Please enter the size in MB" },
    uploadSummary: "Applicants see:",
    uploadCeiling: "Files are never accepted above the agency's ceiling, and their type is checked from their content.",
    condition: "Display condition",
    always: "Always shown",
    shownWhen: (field: string, value: string) => `Shown when "${field}" is "${value}"`,
    showWhen: "Show when field",
    equals: "is",
    chooseField: "— choose a field —",
    apply: "Apply condition",
    clear: "Always show (remove condition)",
    noSources: "No field can drive a condition yet (text, number, date, choice or yes/no fields)",
    inGroup: "Fields inside a repeating group cannot have a display condition",
    inherited: "This field follows the condition of its section or a custom rule",
    yes: "Yes",
    no: "No",
    remove: "Remove this field",
    confirmRemove: (label: string) => `Remove "${label}" and every field inside it? Conditions that refer to it are removed too.`,
    confirmYes: "Yes, remove",
    cancel: "Cancel",
    preview: "Live preview",
    previewNote: "Try it out; nothing typed in the preview is saved.",
    previewFailed: "The preview cannot be shown:",
  },
} as const;

type Text = (typeof TEXT)[Lang];

/** Runs one builder operation; returns its error (Thai + English) instead of throwing for domain errors. */
type Apply = (operation: (form: BuilderForm) => BuilderForm) => LocalizedText | null;

const cx = (...names: (string | false | null | undefined)[]) => names.filter(Boolean).join(" ");

function labelOf(field: BuilderField, lang: Lang, text: Text): string {
  return pick(field.label, lang) || field.key || text.untitled;
}

function kindLabel(field: BuilderField, lang: Lang, text: Text): string {
  return field.kind === "unknown" ? text.custom : FIELD_KINDS[field.kind].label[lang];
}

/** A short, stable fingerprint of the form, so the preview re-mounts whenever the form changes. */
function fingerprint(value: unknown): string {
  const json = JSON.stringify(value) ?? "";
  let hash = 5381;
  for (let i = 0; i < json.length; i++) hash = ((hash << 5) + hash + json.charCodeAt(i)) | 0;
  return `${json.length}-${(hash >>> 0).toString(36)}`;
}

export function FormBuilder({ form, lang, onChange, initialSelected }: FormBuilderProps) {
  const text = TEXT[lang];
  const fields = useMemo(() => listBuilderFields(form), [form]);
  const [selected, setSelected] = useState<string | null>(initialSelected ?? null);
  const [error, setError] = useState<LocalizedText | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const [dragging, setDragging] = useState<string | null>(null);
  const [dropTarget, setDropTarget] = useState<string | null>(null);
  const [previewData, setPreviewData] = useState<unknown>({});
  const listRef = useRef<HTMLOListElement>(null);
  const pendingFocus = useRef<{ pointer: string; control: "row" | "up" | "down" } | null>(null);

  const tryApply: Apply = (operation) => {
    try {
      onChange(operation(form));
      return null;
    } catch (caught) {
      if (isAppError(caught)) return caught.text;
      throw caught;
    }
  };
  /** Like tryApply, showing a failure at the top of the builder. */
  const apply = (operation: (form: BuilderForm) => BuilderForm, announce?: string): boolean => {
    const problem = tryApply(operation);
    setError(problem);
    if (!problem && announce) setAnnouncement(announce);
    return !problem;
  };

  const move = (field: BuilderField, toIndex: number, control: "row" | "up" | "down") => {
    const index = Math.max(0, Math.min(field.siblings - 1, toIndex));
    if (index === field.index) return;
    pendingFocus.current = { pointer: field.pointer, control };
    apply((f) => moveField(f, field.pointer, index), text.moved(labelOf(field, lang, text), index + 1, field.siblings));
  };

  // After a move the row's DOM node is re-inserted, which drops focus: put it back where the user was.
  useEffect(() => {
    const target = pendingFocus.current;
    if (!target || !listRef.current) return;
    pendingFocus.current = null;
    const row = listRef.current.querySelector<HTMLElement>(`[data-pointer="${target.pointer}"]`);
    const button = target.control === "row" ? null : row?.querySelector<HTMLButtonElement>(`[data-testid="fb-move-${target.control}"]`);
    (button && !button.disabled ? button : row)?.focus();
  }, [fields]);

  const onRowKeyDown = (event: KeyboardEvent<HTMLLIElement>, field: BuilderField) => {
    if (event.altKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
      event.preventDefault();
      move(field, field.index + (event.key === "ArrowUp" ? -1 : 1), "row");
      return;
    }
    if ((event.key === "Enter" || event.key === " ") && event.target === event.currentTarget) {
      event.preventDefault();
      setSelected(field.pointer);
    }
  };

  const draggedField = dragging ? fields.find((f) => f.pointer === dragging) : undefined;
  const canDropOn = (field: BuilderField) => !!draggedField && draggedField.pointer !== field.pointer && draggedField.parent === field.parent;
  const endDrag = () => {
    setDragging(null);
    setDropTarget(null);
  };

  const selectedField = fields.find((f) => f.pointer === selected);

  return (
    <div className="bk-fb">
      <p className="bk-fb-live" aria-live="polite" role="status" data-testid="fb-announce">
        {announcement}
      </p>
      {error ? (
        <div className="bk-alert error" role="alert" data-testid="fb-error">
          {pick(error, lang)}
        </div>
      ) : null}
      <div className="bk-fb-layout">
        <section className="bk-fb-fields bk-card" aria-label={text.fields}>
          <h3 className="bk-fb-heading">{text.fields}</h3>
          {fields.length === 0 ? (
            <p className="bk-muted">{text.empty}</p>
          ) : (
            <>
              <p className="bk-muted bk-fb-hint">{text.reorderHint}</p>
              <ol className="bk-fb-tree" ref={listRef}>
                {fields.map((field) => {
                  const label = labelOf(field, lang, text);
                  return (
                    <li
                      key={field.pointer}
                      data-testid={`fb-row-${field.pointer}`}
                      data-pointer={field.pointer}
                      data-kind={field.kind}
                      className={cx(
                        "bk-fb-row",
                        field.pointer === selected && "is-selected",
                        field.pointer === dragging && "is-dragging",
                        field.pointer === dropTarget && "is-drop-target",
                        (field.kind === "section" || field.kind === "group") && "is-container",
                      )}
                      style={{ "--bk-fb-depth": field.depth } as CSSProperties}
                      tabIndex={0}
                      draggable
                      aria-current={field.pointer === selected ? "true" : undefined}
                      onClick={() => setSelected(field.pointer)}
                      onKeyDown={(event) => onRowKeyDown(event, field)}
                      onDragStart={(event: DragEvent<HTMLLIElement>) => {
                        event.dataTransfer.effectAllowed = "move";
                        event.dataTransfer.setData("text/plain", field.pointer);
                        setDragging(field.pointer);
                      }}
                      onDragOver={(event: DragEvent<HTMLLIElement>) => {
                        if (!canDropOn(field)) return;
                        event.preventDefault();
                        event.dataTransfer.dropEffect = "move";
                        if (dropTarget !== field.pointer) setDropTarget(field.pointer);
                      }}
                      onDragLeave={() => dropTarget === field.pointer && setDropTarget(null)}
                      onDrop={(event: DragEvent<HTMLLIElement>) => {
                        event.preventDefault();
                        if (draggedField && canDropOn(field)) move(draggedField, field.index, "row");
                        endDrag();
                      }}
                      onDragEnd={endDrag}
                    >
                      <span className="bk-fb-grip" aria-hidden="true">
                        ⋮⋮
                      </span>
                      <span className="bk-fb-row-main">
                        <span className="bk-fb-row-label">{label}</span>
                        <span className="bk-fb-row-meta">
                          <span className="bk-badge">{kindLabel(field, lang, text)}</span>
                          {field.required ? <span className="bk-badge bk-fb-badge-required">{text.required}</span> : null}
                          {field.conditional ? <span className="bk-badge bk-fb-badge-conditional">{text.conditional}</span> : null}
                        </span>
                      </span>
                      <span className="bk-fb-row-actions">
                        <button
                          type="button"
                          className="bk-fb-icon"
                          data-testid="fb-move-up"
                          aria-label={text.moveUp(label)}
                          title={text.moveUp(label)}
                          disabled={field.index === 0}
                          onClick={(event) => {
                            event.stopPropagation();
                            move(field, field.index - 1, "up");
                          }}
                        >
                          ↑
                        </button>
                        <button
                          type="button"
                          className="bk-fb-icon"
                          data-testid="fb-move-down"
                          aria-label={text.moveDown(label)}
                          title={text.moveDown(label)}
                          disabled={field.index >= field.siblings - 1}
                          onClick={(event) => {
                            event.stopPropagation();
                            move(field, field.index + 1, "down");
                          }}
                        >
                          ↓
                        </button>
                      </span>
                    </li>
                  );
                })}
              </ol>
            </>
          )}
          <AddField
            form={form}
            lang={lang}
            text={text}
            apply={apply}
            onAdded={(pointer) => {
              setSelected(pointer);
            }}
          />
        </section>

        <section className="bk-fb-editor bk-card" aria-label={text.editTitle}>
          <h3 className="bk-fb-heading">{text.editTitle}</h3>
          {selectedField ? (
            <FieldEditor
              key={selectedField.pointer}
              field={selectedField}
              fields={fields}
              lang={lang}
              text={text}
              apply={apply}
              tryApply={tryApply}
              onRemoved={() => setSelected(null)}
            />
          ) : (
            <p className="bk-muted">{text.selectPrompt}</p>
          )}
        </section>

        <section className="bk-fb-preview bk-card" aria-label={text.preview} data-testid="fb-preview">
          <h3 className="bk-fb-heading">{text.preview}</h3>
          <p className="bk-muted bk-fb-hint">{text.previewNote}</p>
          <Preview form={form} lang={lang} text={text} data={previewData} onData={setPreviewData} />
        </section>
      </div>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------------------

function AddField({
  form,
  lang,
  text,
  apply,
  onAdded,
}: {
  form: BuilderForm;
  lang: Lang;
  text: Text;
  apply: (operation: (form: BuilderForm) => BuilderForm, announce?: string) => boolean;
  onAdded: (pointer: string) => void;
}) {
  const [kind, setKind] = useState<FieldKind>("text");
  const [labelTh, setLabelTh] = useState("");
  const [labelEn, setLabelEn] = useState("");
  const [parent, setParent] = useState("");
  const containers = useMemo(() => listContainers(form), [form]);
  const target = containers.some((c) => c.pointer === parent) ? parent : "";

  const submit = (event: FormEvent) => {
    event.preventDefault();
    let added = "";
    const label = { th: labelTh, en: labelEn };
    const ok = apply((f) => {
      const result = addField(f, target, kind, { label });
      added = result.pointer;
      return result.form;
    }, text.added(pick(label, lang)));
    if (!ok) return;
    setLabelTh("");
    setLabelEn("");
    onAdded(added);
  };

  return (
    <form className="bk-fb-add" onSubmit={submit} aria-label={text.addTitle}>
      <h4 className="bk-fb-subheading">{text.addTitle}</h4>
      <label className="bk-field">
        {text.kind}
        <select data-testid="fb-add-kind" value={kind} onChange={(e) => isFieldKind(e.target.value) && setKind(e.target.value)}>
          {(Object.keys(FIELD_KINDS) as FieldKind[]).map((k) => (
            <option key={k} value={k}>
              {FIELD_KINDS[k].label[lang]}
            </option>
          ))}
        </select>
      </label>
      <label className="bk-field">
        {text.labelTh}
        <input data-testid="fb-add-label-th" lang="th" value={labelTh} onChange={(e) => setLabelTh(e.target.value)} />
      </label>
      <label className="bk-field">
        {text.labelEn}
        <input data-testid="fb-add-label-en" lang="en" value={labelEn} onChange={(e) => setLabelEn(e.target.value)} />
      </label>
      <label className="bk-field">
        {text.parent}
        <select data-testid="fb-add-parent" value={target} onChange={(e) => setParent(e.target.value)}>
          {containers.map((c) => (
            <option key={c.pointer} value={c.pointer}>
              {c.pointer === "" ? text.root : `${"— ".repeat(c.depth)}${pick(c.label, lang) || c.pointer}`}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="bk-button" data-testid="fb-add-submit">
        {text.add}
      </button>
    </form>
  );
}

// ---------------------------------------------------------------------------------------------------------

function Problem({ problem, lang }: { problem: LocalizedText | null; lang: Lang }) {
  return problem ? (
    <span className="bk-fb-problem" role="alert">
      {pick(problem, lang)}
    </span>
  ) : null;
}

/**
 * A text input whose value is committed only when valid (a half-typed regular expression or number stays in the
 * box with the reason beside it). It follows the stored value when that changes from elsewhere.
 */
function DraftInput({
  value,
  numeric = false,
  type,
  min,
  step,
  placeholder,
  commit,
  testId,
  label,
  lang,
  text,
}: {
  value: string;
  numeric?: boolean;
  /** "number" for a browser number input (numeric only). */
  type?: "number";
  min?: number;
  step?: number | "any";
  placeholder?: string;
  commit: (value: string | number | null) => LocalizedText | null;
  testId: string;
  label: string;
  lang: Lang;
  text: Text;
}) {
  const [draft, setDraft] = useState(value);
  const [seen, setSeen] = useState(value);
  const [problem, setProblem] = useState<LocalizedText | null>(null);
  const sameAsDraft = (stored: string) => (numeric ? (draft.trim() === "" ? stored === "" : Number(draft) === Number(stored)) : draft === stored);
  if (value !== seen) {
    setSeen(value);
    if (!sameAsDraft(value)) {
      setDraft(value);
      setProblem(null);
    }
  }
  const onInput = (next: string) => {
    setDraft(next);
    if (numeric) {
      if (next.trim() === "") return setProblem(commit(null));
      const number = Number(next);
      if (!Number.isFinite(number)) return setProblem(text.notNumber);
      return setProblem(commit(number));
    }
    setProblem(commit(next === "" ? null : next));
  };
  return (
    <label className="bk-field">
      {label}
      <input
        data-testid={testId}
        type={type}
        min={min}
        step={step}
        placeholder={placeholder}
        inputMode={numeric && type !== "number" ? "decimal" : undefined}
        value={draft}
        aria-invalid={problem ? true : undefined}
        onChange={(e) => onInput(e.target.value)}
        spellCheck={false}
      />
      <Problem problem={problem} lang={lang} />
    </label>
  );
}

/** A Thai and an English input side by side; each edit hands on only the language that changed. */
function LocalizedInputs({
  labels,
  testIds,
  value,
  onChange,
  multiline = false,
}: {
  labels: LocalizedText;
  testIds: LocalizedText;
  value: LocalizedText;
  onChange: (change: Partial<LocalizedText>) => void;
  multiline?: boolean;
}) {
  const input = (lang: Lang) =>
    multiline ? (
      <textarea data-testid={testIds[lang]} lang={lang} rows={2} value={value[lang]} onChange={(e) => onChange({ [lang]: e.target.value })} />
    ) : (
      <input data-testid={testIds[lang]} lang={lang} value={value[lang]} onChange={(e) => onChange({ [lang]: e.target.value })} />
    );
  return (
    <div className="bk-fb-pair">
      <label className="bk-field">
        {labels.th}
        {input("th")}
      </label>
      <label className="bk-field">
        {labels.en}
        {input("en")}
      </label>
    </div>
  );
}

function FieldEditor({
  field,
  fields,
  lang,
  text,
  apply,
  tryApply,
  onRemoved,
}: {
  field: BuilderField;
  fields: BuilderField[];
  lang: Lang;
  text: Text;
  apply: (operation: (form: BuilderForm) => BuilderForm, announce?: string) => boolean;
  tryApply: Apply;
  onRemoved: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const pointer = field.pointer;
  const label = labelOf(field, lang, text);
  const rules = applicableRules(field.kind);
  const [minKey, maxKey] = rules.includes("minimum")
    ? (["minimum", "maximum"] as const)
    : rules.includes("minLength")
      ? (["minLength", "maxLength"] as const)
      : rules.includes("minItems")
        ? (["minItems", "maxItems"] as const)
        : [null, null];
  const update = (patch: Parameters<typeof updateField>[2]) => apply((f) => updateField(f, pointer, patch));
  const commitRule = (key: RuleKey) => (value: string | number | null) => tryApply((f) => updateField(f, pointer, { rules: { [key]: value } }));
  const message = field.rules.message ?? { th: "", en: "" };
  const numberText = (value: number | undefined) => (value === undefined ? "" : String(value));

  return (
    <div className="bk-fb-edit" data-testid="fb-editor" data-pointer={pointer}>
      <p className="bk-fb-edit-meta">
        <span className="bk-badge">{kindLabel(field, lang, text)}</span> <span className="bk-muted">{text.key}:</span> <code>{field.key}</code>
      </p>

      <LocalizedInputs
        labels={{ th: text.labelTh, en: text.labelEn }}
        testIds={{ th: "fb-label-th", en: "fb-label-en" }}
        value={field.label}
        onChange={(label) => update({ label })}
      />
      <LocalizedInputs
        multiline
        labels={{ th: text.helpTh, en: text.helpEn }}
        testIds={{ th: "fb-help-th", en: "fb-help-en" }}
        value={field.help}
        onChange={(help) => update({ help })}
      />
      <label className="bk-fb-check">
        <input type="checkbox" data-testid="fb-required" checked={field.required} onChange={(e) => update({ required: e.target.checked })} />
        {text.requiredLabel}
      </label>

      {rules.length > 0 && field.kind !== "files" ? (
        <fieldset className="bk-fb-group">
          <legend>{text.rules}</legend>
          <div className="bk-fb-pair">
            {minKey ? (
              <DraftInput numeric value={numberText(field.rules[minKey])} commit={commitRule(minKey)} testId="fb-min" label={text.rule[minKey]} lang={lang} text={text} />
            ) : null}
            {maxKey ? (
              <DraftInput numeric value={numberText(field.rules[maxKey])} commit={commitRule(maxKey)} testId="fb-max" label={text.rule[maxKey]} lang={lang} text={text} />
            ) : null}
          </div>
          {rules.includes("pattern") ? (
            <DraftInput value={field.rules.pattern ?? ""} commit={commitRule("pattern")} testId="fb-pattern" label={text.rule.pattern} lang={lang} text={text} />
          ) : null}
          <LocalizedInputs
            labels={{ th: text.messageTh, en: text.messageEn }}
            testIds={{ th: "fb-message-th", en: "fb-message-en" }}
            value={message}
            onChange={(change) => update({ rules: { message: change } })}
          />
        </fieldset>
      ) : null}

      {field.kind === "choice" || field.kind === "multiChoice" ? (
        <OptionsEditor field={field} lang={lang} text={text} tryApply={tryApply} />
      ) : null}
      {field.kind === "choice" ? (
        <label className="bk-field">
          {text.widget}
          <select data-testid="fb-widget" value={field.widget ?? "radio"} onChange={(e) => update({ widget: e.target.value === "select" ? "select" : "radio" })}>
            <option value="radio">{text.radio}</option>
            <option value="select">{text.select}</option>
          </select>
        </label>
      ) : null}
      {prefillChoices(field.kind).length > 0 ? (
        <label className="bk-field">
          {text.prefill}
          <span className="bk-hint">{text.prefillHint}</span>
          <select
            data-testid="fb-prefill"
            value={field.prefill ?? ""}
            onChange={(e) => tryApply((form) => updateField(form, field.pointer, { prefill: isPrefillClaim(e.target.value) ? e.target.value : null }))}
          >
            <option value="">{text.prefillNone}</option>
            {prefillChoices(field.kind).map((claim) => (
              <option key={claim} value={claim}>{text.prefillClaims[claim]}</option>
            ))}
          </select>
        </label>
      ) : null}
      {field.upload ? <UploadEditor field={field} upload={field.upload} lang={lang} text={text} tryApply={tryApply} /> : null}

      <ConditionEditor field={field} fields={fields} lang={lang} text={text} apply={apply} />

      <div className="bk-fb-remove">
        {confirming ? (
          <div className="bk-alert warn" role="alertdialog" aria-label={text.remove}>
            <p>{text.confirmRemove(label)}</p>
            <div className="bk-fb-buttons">
              <button
                type="button"
                className="bk-button danger"
                data-testid="fb-remove-confirm"
                onClick={() => {
                  if (apply((f) => removeField(f, pointer), text.removed(label))) onRemoved();
                }}
              >
                {text.confirmYes}
              </button>
              <button type="button" className="bk-button secondary" data-testid="fb-remove-cancel" onClick={() => setConfirming(false)}>
                {text.cancel}
              </button>
            </div>
          </div>
        ) : (
          <button type="button" className="bk-button danger" data-testid="fb-remove" onClick={() => setConfirming(true)}>
            {text.remove}
          </button>
        )}
      </div>
    </div>
  );
}

const MB = 1024 * 1024;
/** Bytes as megabytes for the input: "50", "2048", "1.5" (two decimals at most, never "NaN"). */
const mbText = (bytes: number | undefined) => (bytes === undefined || !Number.isFinite(bytes) ? "" : String(Math.round((bytes / MB) * 100) / 100));

/** The limits of a file field: accepted types, size per file and, for several files, how many. */
function UploadEditor({ field, upload, lang, text, tryApply }: { field: BuilderField; upload: NonNullable<BuilderField["upload"]>; lang: Lang; text: Text; tryApply: Apply }) {
  const [problem, setProblem] = useState<LocalizedText | null>(null);
  // Without its own list a field takes the server's default types: show those as ticked.
  const types = upload.types && upload.types.length > 0 ? upload.types : DEFAULT_TYPES;
  const choices = [
    ...UPLOAD_TYPE_CHOICES,
    ...types.filter((t) => !UPLOAD_TYPE_CHOICES.some((c) => c.type === t)).map((type) => ({ type, name: typeName(type) })),
  ];
  const toggle = (type: string, on: boolean) => {
    const next = choices.map((c) => c.type).filter((t) => (t === type ? on : types.includes(t)));
    setProblem(tryApply((f) => updateField(f, field.pointer, { upload: { types: next } })));
  };
  const commitSize = (value: string | number | null) =>
    value === null || typeof value !== "number" ? text.uploadNeedSize : tryApply((f) => updateField(f, field.pointer, { upload: { maxBytes: Math.round(value * MB) } }));
  const commitFiles = (value: string | number | null) => tryApply((f) => updateField(f, field.pointer, { rules: { maxItems: value as number | null } }));
  const hint = limitsHint({ maxBytes: upload.maxBytes, types }, lang);

  return (
    <fieldset className="bk-fb-group bk-fb-upload" data-testid="fb-upload">
      <legend>{text.upload}</legend>
      <fieldset className="bk-fb-upload-types">
        <legend>{text.uploadTypes}</legend>
        {choices.map((c) => (
          <label key={c.type} className="bk-fb-check bk-fb-upload-type" title={c.type}>
            <input type="checkbox" data-testid={`fb-upload-type-${c.type}`} checked={types.includes(c.type)} onChange={(e) => toggle(c.type, e.target.checked)} />
            {c.name}
          </label>
        ))}
      </fieldset>
      <Problem problem={problem} lang={lang} />
      <div className="bk-fb-pair">
        <DraftInput
          numeric
          type="number"
          min={0}
          step="any"
          placeholder={text.uploadAgencyMax}
          value={mbText(upload.maxBytes)}
          commit={commitSize}
          testId="fb-upload-max-mb"
          label={text.uploadMaxMb}
          lang={lang}
          text={text}
        />
        {field.kind === "files" ? (
          <DraftInput
            numeric
            type="number"
            min={1}
            step={1}
            value={field.rules.maxItems === undefined ? "" : String(field.rules.maxItems)}
            commit={commitFiles}
            testId="fb-upload-max-files"
            label={text.uploadMaxFiles}
            lang={lang}
            text={text}
          />
        ) : null}
      </div>
      {hint ? (
        <p className="bk-fb-upload-summary" data-testid="fb-upload-summary">
          <span className="bk-muted">{text.uploadSummary}</span> {hint}
        </p>
      ) : null}
      <p className="bk-muted bk-fb-hint">{text.uploadCeiling}</p>
    </fieldset>
  );
}

type OptionDraft = { value: string; th: string; en: string };

function OptionsEditor({ field, lang, text, tryApply }: { field: BuilderField; lang: Lang; text: Text; tryApply: Apply }) {
  const [drafts, setDrafts] = useState<OptionDraft[]>(() => field.options.map((o) => ({ value: String(o.value), th: o.label.th, en: o.label.en })));
  const [problem, setProblem] = useState<LocalizedText | null>(null);
  const commit = (next: OptionDraft[]) => {
    setDrafts(next);
    const options: FieldOption[] = next.map((d) => ({ value: d.value, label: { th: d.th, en: d.en } }));
    setProblem(tryApply((f) => updateField(f, field.pointer, { options })));
  };
  const change = (index: number, part: keyof OptionDraft, value: string) => commit(drafts.map((d, i) => (i === index ? { ...d, [part]: value } : d)));
  const addOption = () => {
    let n = drafts.length + 1;
    while (drafts.some((d) => d.value === `option${n}`)) n++;
    commit([...drafts, { value: `option${n}`, th: "", en: "" }]);
  };
  return (
    <fieldset className="bk-fb-group" data-testid="fb-options">
      <legend>{text.options}</legend>
      <table className="bk-fb-options">
        <thead>
          <tr>
            <th scope="col">{text.optionValue}</th>
            <th scope="col">{text.optionTh}</th>
            <th scope="col">{text.optionEn}</th>
            <th scope="col">
              <span className="bk-fb-visually-hidden">{text.removeOption("")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {drafts.map((d, i) => (
            // Options have no identity but their position while they are being edited.
            <tr key={i}>
              <td>
                <input aria-label={`${text.optionValue} ${i + 1}`} data-testid={`fb-option-value-${i}`} value={d.value} spellCheck={false} onChange={(e) => change(i, "value", e.target.value)} />
              </td>
              <td>
                <input aria-label={`${text.optionTh} ${i + 1}`} data-testid={`fb-option-th-${i}`} lang="th" value={d.th} onChange={(e) => change(i, "th", e.target.value)} />
              </td>
              <td>
                <input aria-label={`${text.optionEn} ${i + 1}`} data-testid={`fb-option-en-${i}`} lang="en" value={d.en} onChange={(e) => change(i, "en", e.target.value)} />
              </td>
              <td>
                <button
                  type="button"
                  className="bk-fb-icon"
                  data-testid={`fb-option-remove-${i}`}
                  aria-label={text.removeOption(d.th || d.en || d.value)}
                  title={text.removeOption(d.th || d.en || d.value)}
                  onClick={() => commit(drafts.filter((_, j) => j !== i))}
                >
                  ×
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Problem problem={problem} lang={lang} />
      <button type="button" className="bk-button secondary" data-testid="fb-option-add" onClick={addOption}>
        {text.addOption}
      </button>
    </fieldset>
  );
}

function optionText(source: BuilderField | undefined, value: OptionValue, lang: Lang): string {
  const option = source?.options.find((o) => o.value === value);
  return option ? pick(option.label, lang) || String(value) : String(value);
}

function ConditionEditor({
  field,
  fields,
  lang,
  text,
  apply,
}: {
  field: BuilderField;
  fields: BuilderField[];
  lang: Lang;
  text: Text;
  apply: (operation: (form: BuilderForm) => BuilderForm, announce?: string) => boolean;
}) {
  const sources = fields.filter((f) => canDriveCondition(f) && f.pointer !== field.pointer && !f.pointer.startsWith(`${field.pointer}/`));
  const [when, setWhen] = useState(field.condition?.when ?? "");
  const [value, setValue] = useState(field.condition ? String(field.condition.equals) : "");
  const source = sources.find((s) => s.pointer === when);
  const hasOptions = !!source && (source.kind === "choice" || source.kind === "yesNo");
  const label = labelOf(field, lang, text);
  const current = field.condition ? fields.find((f) => f.pointer === field.condition!.when) : undefined;

  const chooseSource = (pointer: string) => {
    setWhen(pointer);
    const next = sources.find((s) => s.pointer === pointer);
    setValue(next && (next.kind === "choice" || next.kind === "yesNo") && next.options[0] ? String(next.options[0].value) : "");
  };
  const equals = (): OptionValue => {
    if (source?.kind === "number") return value.trim() === "" ? Number.NaN : Number(value);
    const option = source?.options.find((o) => String(o.value) === value);
    return option ? option.value : value;
  };

  if (field.inGroup || (field.conditional && !field.condition)) {
    return (
      <fieldset className="bk-fb-group">
        <legend>{text.condition}</legend>
        <p className="bk-muted">{field.inGroup ? text.inGroup : text.inherited}</p>
      </fieldset>
    );
  }
  return (
    <fieldset className="bk-fb-group" data-testid="fb-condition">
      <legend>{text.condition}</legend>
      <p className="bk-fb-condition-now" data-testid="fb-cond-current">
        {field.condition ? text.shownWhen(current ? labelOf(current, lang, text) : field.condition.when, optionText(current, field.condition.equals, lang)) : text.always}
      </p>
      {sources.length === 0 ? (
        <p className="bk-muted">{text.noSources}</p>
      ) : (
        <div className="bk-fb-pair">
          <label className="bk-field">
            {text.showWhen}
            <select data-testid="fb-cond-field" value={source ? when : ""} onChange={(e) => chooseSource(e.target.value)}>
              <option value="">{text.chooseField}</option>
              {sources.map((s) => (
                <option key={s.pointer} value={s.pointer}>
                  {`${"— ".repeat(s.depth)}${labelOf(s, lang, text)}`}
                </option>
              ))}
            </select>
          </label>
          <label className="bk-field">
            {text.equals}
            {hasOptions ? (
              <select data-testid="fb-cond-value" value={value} onChange={(e) => setValue(e.target.value)}>
                {source!.options.map((o) => (
                  <option key={String(o.value)} value={String(o.value)}>
                    {source!.kind === "yesNo" ? pick(o.label, lang) || (o.value ? text.yes : text.no) : pick(o.label, lang) || String(o.value)}
                  </option>
                ))}
              </select>
            ) : (
              <input
                data-testid="fb-cond-value"
                inputMode={source?.kind === "number" ? "decimal" : undefined}
                value={value}
                disabled={!source}
                onChange={(e) => setValue(e.target.value)}
              />
            )}
          </label>
        </div>
      )}
      <div className="bk-fb-buttons">
        <button
          type="button"
          className="bk-button"
          data-testid="fb-cond-apply"
          disabled={!source}
          onClick={() => apply((f) => setCondition(f, field.pointer, { when, equals: equals() }), text.conditionSet(label))}
        >
          {text.apply}
        </button>
        <button
          type="button"
          className="bk-button secondary"
          data-testid="fb-cond-clear"
          disabled={!field.condition}
          onClick={() => {
            if (apply((f) => setCondition(f, field.pointer, null), text.conditionCleared(label))) {
              setWhen("");
              setValue("");
            }
          }}
        >
          {text.clear}
        </button>
      </div>
    </fieldset>
  );
}

// ---------------------------------------------------------------------------------------------------------

/** Keeps a form the preview cannot render (a hand-written construct RJSF rejects) from taking the builder down. */
class PreviewBoundary extends Component<{ message: string; children: ReactNode }, { failure: string | null }> {
  state = { failure: null as string | null };

  static getDerivedStateFromError(error: unknown) {
    return { failure: error instanceof Error ? error.message : String(error) };
  }

  render() {
    if (this.state.failure) {
      return (
        <p className="bk-alert warn" role="status">
          {this.props.message} {this.state.failure}
        </p>
      );
    }
    return this.props.children;
  }
}

function Preview({ form, lang, text, data, onData }: { form: BuilderForm; lang: Lang; text: Text; data: unknown; onData: (data: unknown) => void }) {
  // A new key per form version: RJSF and the boundary start fresh, while the answers typed so far are kept.
  const key = `${lang}-${fingerprint(form)}`;
  return (
    <PreviewBoundary key={key} message={text.previewFailed}>
      <ServiceForm key={key} schema={form.schema as RJSFSchema} uiSchema={form.uiSchema as UiSchema} lang={lang} formData={data} onSubmit={() => {}} onChange={onData} />
    </PreviewBoundary>
  );
}
