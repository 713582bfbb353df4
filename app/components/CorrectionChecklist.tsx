import { MIN_REASON_LENGTH, unchangedCorrections } from "~/core/cases/case-rules";
import { pick, type Lang } from "~/core/text";

const TEXT = {
  heading: { th: "สิ่งที่เจ้าหน้าที่ขอให้แก้ไข", en: "What the officer asked you to fix" },
  changed: { th: "แก้ไขแล้ว", en: "Changed" },
  unchanged: { th: "ยังไม่ได้แก้ไข", en: "Not changed yet" },
  reason: { th: "ถ้าไม่แก้ไข บอกเหตุผล", en: "If you leave it as it is, say why" },
  reasonHint: {
    th: `แก้ไขในแบบฟอร์มด้านล่าง หรือบอกเหตุผลอย่างน้อย ${MIN_REASON_LENGTH} ตัวอักษร เช่น “เอกสารถูกต้องแล้ว ดูหน้า 2”`,
    en: `Fix it in the form below, or give a reason of at least ${MIN_REASON_LENGTH} characters, e.g. “the document is correct: see page 2”`,
  },
};

export const reasonFieldId = (pointer: string) => `reason-${pointer.replace(/[^a-zA-Z0-9]/g, "-")}`;

/** Requested items left unchanged without a reason: what stops the resubmission (the server checks the same). */
export function correctionsWithoutReason(stored: unknown, current: unknown, fields: string[], reasons: Record<string, string>): string[] {
  return unchangedCorrections(stored, current, fields).filter((p) => (reasons[p] ?? "").trim().length < MIN_REASON_LENGTH);
}

/**
 * Each item the officer asked for, whether the applicant has changed it yet, and — while it is unchanged — a
 * place to say why it stays as it is.
 */
export function CorrectionChecklist(props: {
  lang: Lang;
  fields: { pointer: string; title: string }[];
  stored: unknown;
  current: unknown;
  reasons: Record<string, string>;
  errors: Record<string, string>;
  onReason: (pointer: string, reason: string) => void;
}) {
  const { lang, fields, stored, current, reasons, errors, onReason } = props;
  const unchanged = new Set(unchangedCorrections(stored, current, fields.map((f) => f.pointer)));
  return (
    <section className="bk-card bk-corrections" data-testid="corrections">
      <h3 style={{ marginTop: 0 }}>{pick(TEXT.heading, lang)}</h3>
      <ul>
        {fields.map((f) => {
          const id = reasonFieldId(f.pointer);
          const error = errors[f.pointer];
          return (
            <li key={f.pointer} data-pointer={f.pointer} data-changed={unchanged.has(f.pointer) ? "false" : "true"}>
              <strong>{f.title}</strong>{" "}
              {unchanged.has(f.pointer) ? (
                <span className="bk-badge paused">{pick(TEXT.unchanged, lang)}</span>
              ) : (
                <span className="bk-badge done">✓ {pick(TEXT.changed, lang)}</span>
              )}
              {unchanged.has(f.pointer) ? (
                <div className={`bk-field${error ? " bk-field-error" : ""}`}>
                  <label htmlFor={id}>{pick(TEXT.reason, lang)}</label>
                  <span className="bk-hint" id={`${id}-hint`}>{pick(TEXT.reasonHint, lang)}</span>
                  {error ? <span className="bk-error-message" id={`${id}-error`}>{error}</span> : null}
                  <textarea
                    id={id}
                    rows={2}
                    value={reasons[f.pointer] ?? ""}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
                    onChange={(e) => onReason(f.pointer, e.target.value)}
                  />
                </div>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
